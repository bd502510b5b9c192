#!/usr/bin/env python3
"""smaps_report.py BEFORE AFTER [SUBSCRIBERS] — where a server's Pss grew
between two /proc/PID/smaps copies (bench.mjs with FANOUT_SMAPS=dir): the
kB of each mapping kind (heap, thread stacks and malloc arenas told apart
by size, files, ...) before, after, the growth and the growth per subscriber."""
import re
import signal
import sys


def kinds(path):
    out = {}
    name, size = None, 0
    with open(path) as f:
        for line in f:
            m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$', line)
            if m:
                size = (int(m.group(2), 16) - int(m.group(1), 16)) // 1024
                label = m.group(3).strip()
                if not label:
                    # anonymous: glibc's arenas are 64 MiB heaps (or parts of one),
                    # thread stacks 8 MiB (+ guard), the rest plain mmap (big mallocs)
                    label = ('anon 8 MiB (thread stack)' if size in (8192, 8196)
                             else 'anon arena part (<=64 MiB)' if size <= 65536 and size % 4 == 0 and size >= 132
                             else 'anon small')
                elif label.startswith('/'):
                    label = 'file ' + label.rsplit('/', 1)[-1]
                name = label
                continue
            m = re.match(r'^Pss:\s+(\d+) kB', line)
            if m and name:
                out[name] = out.get(name, 0) + int(m.group(1))
    return out


def main():
    a, b = kinds(sys.argv[1]), kinds(sys.argv[2])
    subs = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    rows = sorted(set(a) | set(b), key=lambda k: -(b.get(k, 0) - a.get(k, 0)))
    print(f"{'mapping':40} {'before kB':>10} {'after kB':>10} {'growth kB':>10}" + (f" {'per sub kB':>10}" if subs else ''))
    for k in rows:
        g = b.get(k, 0) - a.get(k, 0)
        if not g and b.get(k, 0) < 100:
            continue
        print(f'{k[:40]:40} {a.get(k, 0):10} {b.get(k, 0):10} {g:10}' + (f' {g / subs:10.2f}' if subs else ''))
    ta, tb = sum(a.values()), sum(b.values())
    print(f"{'total':40} {ta:10} {tb:10} {tb - ta:10}" + (f' {(tb - ta) / subs:10.2f}' if subs else ''))


signal.signal(signal.SIGPIPE, signal.SIG_DFL)
main()
