#!/bin/sh
# Runs a command with a throw-away PostgreSQL cluster (cluster.sh) whose base
# URL is in OBRADY_TEST_PG and OBRADY_E2E_PG; the cluster is removed after,
# whatever the command's outcome, and the command's exit status is returned.
#   with-cluster.sh [--durable] COMMAND [ARGS...]
set -eu
here=$(dirname "$0")
opt=
if [ "${1:-}" = "--durable" ]; then opt=--durable; shift; fi
out=$("$here/cluster.sh" start $opt)
dir=$(echo "$out" | sed -n 1p)
url=$(echo "$out" | sed -n 2p)
trap '"$here/cluster.sh" stop "$dir"' EXIT INT TERM
export OBRADY_TEST_PG="$url" OBRADY_E2E_PG="$url"
set +e
"$@"
rc=$?
set -e
exit $rc
