#!/bin/sh
# Runs each unit-test binary given, reports every failure, exits non-zero if any failed.
failed=0
for t in "$@"; do
    if ! "$t"; then
        echo "FAILED: $t" >&2
        failed=1
    fi
done
exit $failed
