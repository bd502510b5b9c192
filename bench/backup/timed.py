#!/usr/bin/env python3
"""timed.py CMD [ARG...] — runs CMD and prints "WALL_S CPU_S" (CPU = user +
system of CMD and everything it started), so a loaded machine's waiting is
told apart from the work itself."""
import resource, subprocess, sys, time

t0 = time.monotonic()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
if rc:
    sys.exit(f"timed.py: {sys.argv[1:]} exited {rc}")
print(f"{wall:.3f} {ru.ru_utime + ru.ru_stime:.3f}")
