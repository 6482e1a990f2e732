"""Shared by the benchmark scripts: running one contender in a fresh process, and how that
process reports its own peak memory."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_child(code: str, name: str) -> list[str]:
    """Run ``code`` in a fresh interpreter from the repository root and return the fields
    it printed (for example seconds and peak RSS); a failing child stops the benchmark."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode != 0:
        raise SystemExit(f"{name} failed:\n{result.stderr[-3000:]}")
    return result.stdout.split()


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
