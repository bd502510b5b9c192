#!/bin/sh
# Installs the Debian packages obrady needs, or prints the command to do so.
# Usage: scripts/deps.sh run   — what building and running the server needs
#        scripts/deps.sh test  — that plus what the test suites need
set -eu

RUN_PKGS="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
libsodium-dev libcurl4-openssl-dev nettle-dev ca-certificates
libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core libzip-dev
libpq-dev libogg-dev zlib1g-dev libxlsxwriter-dev
postgresql-client"  # pg_dump/pg_restore: backups of a PostgreSQL installation
TEST_PKGS="libcmocka-dev chromium sqlite3 openssl python3 python3-aiosmtpd fonts-dejavu-core
poppler-utils gnupg
nginx debhelper lintian systemd curl adduser
postgresql postgresql-client opus-tools"
TEST_PKGS="$TEST_PKGS clang libclang-rt-14-dev" # libFuzzer harnesses (make test-fuzz)

case "${1:-run}" in
run) want="$RUN_PKGS" ;;
test) want="$RUN_PKGS $TEST_PKGS" ;;
*) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
command -v node >/dev/null 2>&1 || want="$want nodejs npm"

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/tmp/obrady-apt.log 2>&1 ||
        { tail -30 /tmp/obrady-apt.log >&2; exit 1; }
else
    echo "obrady needs these Debian packages:$missing" >&2
    echo "install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
