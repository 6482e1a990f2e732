"""Shared by the benchmark scripts: how a child process reports its own peak memory."""

from __future__ import annotations

import resource


def peak_rss() -> int:
    """This process's peak resident memory in bytes.

    VmHWM is the process's own high-water mark; ``ru_maxrss`` survives ``exec`` on Linux
    and would report the parent's peak instead.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
