#!/usr/bin/env python3
"""trace_report.py SERVER_TRACE CLIENT_TRACE — where a fan-out event's time goes.

Reads the server's trace (a build with -DOBRADY_FANTRACE, OBRADY_FANTRACE=FILE;
src/util/fantrace.h) and the load generator's (FANOUT_TRACE=FILE, fanout.c),
both in CLOCK_MONOTONIC ns, and prints per (meeting, round), over all:
request sent -> hub publish (handler, commit, group-commit fsync), publish ->
last sendmsg of that meeting's streams (writer threads), last sendmsg -> last
arrival (kernel and the load generator), and the writers' wake-up delay
(eventfd kick -> epoll_wait returns) and their longest pauses with the
thread's context switches and CPU time in the pause (involuntary switches
with no CPU used: the thread was runnable but not run)."""
import collections
import sys


def pct(v, p):
    v = sorted(v)
    return v[int(p * (len(v) - 1))] / 1e6 if v else float('nan')


def main(srv_path, cli_path):
    srv = sorted((int(ns), k, i, int(n)) for ns, k, i, n in (l.split() for l in open(srv_path)))
    cli = [l.split() for l in open(cli_path)]
    t0 = min(ns for ns, k, _, _ in srv if k == 'req')
    pubs, sends = collections.defaultdict(list), collections.defaultdict(list)
    for ns, k, i, n in srv:
        if k == 'pub':
            pubs[i].append(ns)
        elif k == 'send':
            sends[i].append(ns)
    groups = collections.defaultdict(list)
    for ch, r, s, a, t in cli:
        groups[(ch, int(r))].append((int(s), int(a), int(t)))
    parts = collections.defaultdict(list)
    for (ch, _), v in groups.items():
        sent, acked = v[0][0], v[0][1]
        last_arrival = max(x[2] for x in v)
        after = [p for p in pubs[ch] if p >= sent]
        if not after:
            continue
        pub = after[0]
        sd = [x for x in sends[ch] if pub <= x <= last_arrival]
        if not sd:
            continue
        parts['request sent -> hub publish'].append(pub - sent)
        parts['hub publish -> answer read'].append(acked - pub)
        parts['hub publish -> last sendmsg'].append(max(sd) - pub)
        parts['last sendmsg -> last arrival'].append(max(last_arrival - max(sd), 0))
        parts['request sent -> last arrival'].append(last_arrival - sent)
    print('per meeting and round (ms): p50 / p99 / max')
    for k, v in parts.items():
        print(f'  {k:32s} {pct(v, .5):7.2f} {pct(v, .99):7.2f} {pct(v, 1):7.2f}')
    writers = sorted({n % 10 for _, k, _, n in srv if k == 'csw'})
    for w in writers:
        delays, kick = [], None
        for ns, k, _, n in srv:
            if ns < t0:
                continue
            if k == 'kick' and n == w and kick is None:
                kick = ns
            elif k == 'wwake' and n == w and kick is not None:
                delays.append(ns - kick)
                kick = None
        print(f'writer {w}: kick -> wake ms p50 {pct(delays, .5):.2f} p99 {pct(delays, .99):.2f} '
              f'max {pct(delays, 1):.2f} (n {len(delays)})')
        csw = [(ns, n // 10) for ns, k, _, n in srv if k == 'csw' and n % 10 == w]
        cpu = [(ns, n // 10) for ns, k, _, n in srv if k == 'cpu' and n % 10 == w]
        snaps = [(a[0], a[1] % 1000000, a[1] // 1000000, b[1]) for a, b in zip(csw, cpu)]
        all_pubs = sorted(p for v in pubs.values() for p in v)
        gaps = []
        for a, b in zip(snaps, snaps[1:]):
            # every meeting has streams on every writer: a publish in the
            # pause is work the writer had due from then on
            due = [p for p in all_pubs if a[0] < p < b[0]]
            if b[0] > t0 and due:
                gaps.append((b[0] - due[0], len(due), a, b))
        gaps.sort(reverse=True)
        for g, due, a, b in gaps[:5]:
            print(f'  no sendmsg for {g / 1e6:6.1f} ms after a publish ({due} publishes meanwhile) at '
                  f'+{(b[0] - t0) / 1e6:.0f} ms; in the pause: involuntary switches {b[1] - a[1]}, '
                  f'voluntary {b[2] - a[2]}, CPU {(b[3] - a[3]) / 1e3:.1f} ms')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
