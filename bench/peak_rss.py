"""Peak resident set size of this Python process, for the benchmarks' memory columns (the
Python side of bench/peakRss.ts). Linux: VmHWM from /proc/self/status, the process's own
high-water mark; resource.getrusage(RUSAGE_SELF).ru_maxrss would start from the parent's RSS
at fork (the bench process that spawned us) and survive execve. Elsewhere ru_maxrss (KiB on
Linux, bytes on macOS)."""
import re
import resource
import sys


def peak_rss_bytes():
    try:
        with open("/proc/self/status") as f:
            m = re.search(r"^VmHWM:\s*(\d+)\s*kB", f.read(), re.M)
        if m:
            return int(m.group(1)) * 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024
