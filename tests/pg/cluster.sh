#!/bin/sh
# A throw-away PostgreSQL cluster for the tests: initdb + pg_ctl in a
# temporary directory, on a free loopback port, never a system cluster.
# As root it runs the server as the `postgres` user (runuser), since
# PostgreSQL refuses to run as root.
#   cluster.sh start [--durable]  prints DIR and, on the next line, the base URL
#                                 postgresql://obrady:PASSWORD@127.0.0.1:PORT
#                                 (add /DBNAME; the database `postgres` exists)
#   cluster.sh stop DIR           stops the server and removes DIR
#   cluster.sh pause DIR          stops the server (fast), keeping DIR
#   cluster.sh resume DIR         starts it again with the same settings and port
# Without --durable the server runs with fsync off: tests do not pull the plug.
set -eu

bindir() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    echo "cluster.sh: PostgreSQL is not installed (scripts/deps.sh test)" >&2
    return 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    durable=no
    [ "${1:-}" = "--durable" ] && durable=yes
    bin=$(bindir)
    dir=$(mktemp -d /tmp/obrady-pg-XXXXXX)
    chmod 755 "$dir"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U obrady --pwfile="$dir/pwfile" -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    fsync=off
    [ "$durable" = yes ] && fsync=on
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        echo "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
-c max_connections=300 -c fsync=$fsync -c synchronous_commit=on -c shared_buffers=64MB" \
            > "$dir/options"
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
            -o "$(cat "$dir/options")" >/dev/null 2>&1; then
            echo "$dir"
            echo "postgresql://obrady:$password@127.0.0.1:$port"
            return 0
        fi
    done
    cat "$dir/server.log" >&2
    rm -rf "$dir"
    echo "cluster.sh: the server did not start" >&2
    exit 1
}

stop() {
    dir=$1
    case "$dir" in /tmp/obrady-pg-*) ;; *) echo "cluster.sh: not a test cluster: $dir" >&2; exit 2;; esac
    bin=$(bindir)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

pause() {
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}

resume() {
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start -o "$(cat "$1/options")" \
        >/dev/null
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) stop "$2" ;;
pause) pause "$2" ;;
resume) resume "$2" ;;
*) echo "usage: cluster.sh start [--durable] | stop DIR | pause DIR | resume DIR" >&2; exit 2 ;;
esac
