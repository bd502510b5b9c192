"""run_suite.py — runs the spec v2 conformance suite
(tests/vectors/evote-v2-suite.json) through the Python verifier: every case
must reach its expected verdict, alone and against its log, and a failure
must name every word the case lists. Exit 0 when all agree.

    python3 tests/pyverify/run_suite.py [SUITE.json]"""

import json
import os
import sys

from common import Fail, parse_profile
from verify_board import verify, verify_log

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "vectors", "evote-v2-suite.json")


def verdict(fn):
    try:
        return True, fn(), ""
    except Fail as e:
        return False, None, str(e)


def check(name, what, expect, ok, why):
    problems = []
    if ok != expect["ok"]:
        problems.append(f"{name} ({what}): expected {'valid' if expect['ok'] else 'a failure'}, got {why or 'valid'}")
    for m in expect["mentions"]:
        if m not in why:
            problems.append(f"{name} ({what}): the failure {why!r} does not name {m!r}")
    return problems


def main(argv):
    path = argv[1] if len(argv) > 1 else DEFAULT
    with open(path, encoding="utf-8") as f:
        suite = json.load(f)
    problems, n = [], 0
    for c in suite["cases"]:
        text = c["board_text"] if "board_text" in c else json.dumps(c["board"], ensure_ascii=False)
        ok, summary, why = verdict(lambda: verify(parse_profile(text)))
        problems += check(c["name"], "board", c["expect"], ok, why)
        if ok and "board" in c and summary["sign_key"] != suite["installation_key"]:
            problems.append(f"{c['name']}: signed by {summary['sign_key']}, not the suite's key")
        if "log" in c and ok:
            lok, _, lwhy = verdict(lambda: verify_log(c["log"], c["board"], summary))
            problems += check(c["name"], "with the log", c["expect_with_log"], lok, lwhy)
        n += 1
    for p in problems:
        print("MISMATCH:", p)
    print(f"python verifier: {n} cases, {len(problems)} mismatches")
    return 1 if problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
