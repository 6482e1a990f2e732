"""Shared by the benchmark scripts: running one contender in a fresh process, how that
process reports its own peak memory, and how a parent measures a whole process tree (a
contender that starts other processes, such as Spark's JVM)."""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
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


def tree_cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of process ``pid`` (default: this one) and of every live
    descendant, e.g. the JVM a PySpark driver starts. Take the difference of two calls to
    time a step in which no descendant exits."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@dataclass
class TreeUsage:
    """What one child process and all its descendants used, seen from the parent."""

    stdout: str
    wall_s: float
    cpu_s: float  # user + system of every descendant, exact (all of them are reaped here)
    peak_rss: int  # bytes: the largest sum of RSS over the tree in one sample
    peak_sum: int  # bytes: the sum of each process's own high-water mark (an upper bound)
    processes: int  # how many distinct processes the tree had


def _become_subreaper() -> None:
    """Orphaned descendants (a JVM whose Python driver exited first) are re-parented to this
    process instead of init, so that they are sampled and reaped here and their CPU time
    reaches RUSAGE_CHILDREN."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _high_water_mark(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_tree(argv: list[str], *, interval: float = 0.05) -> TreeUsage:
    """Run ``argv`` and measure its whole process tree: the RSS of the child and of all its
    descendants is summed every ``interval`` seconds (peak of the sums), each process's own
    peak (VmHWM) is kept as an upper bound, and the CPU time is RUSAGE_CHILDREN's, which
    covers every descendant because this process reaps them all (it is their subreaper).
    A failing child stops the benchmark with its stderr."""
    import psutil

    _become_subreaper()
    me = psutil.Process()
    if me.children():
        raise RuntimeError("run_tree needs a process without other children")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    # Read the pipes in threads so that a chatty child never blocks on a full pipe.
    output: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=n, s=s: output.__setitem__(n, s.read()), daemon=True)
        for n, s in (("out", child.stdout), ("err", child.stderr))
    ]
    for reader in readers:
        reader.start()
    peak, marks = 0, {}
    code = None
    while True:
        tree = me.children(recursive=True)
        total = 0
        for process in tree:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            marks[process.pid] = max(marks.get(process.pid, 0), _high_water_mark(process.pid))
        peak = max(peak, total)
        if code is None:
            code = child.poll()
        # Reap re-parented orphans as they exit; stop when no descendant is left.
        for process in me.children():
            if process.pid != child.pid:
                try:
                    os.waitpid(process.pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        if code is not None and not me.children():
            break
        time.sleep(interval)
    wall = time.perf_counter() - start
    for reader in readers:
        reader.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code != 0:
        raise SystemExit(f"{argv} failed:\n{output.get('err', b'').decode()[-3000:]}")
    return TreeUsage(
        stdout=output.get("out", b"").decode(),
        wall_s=wall,
        cpu_s=cpu,
        peak_rss=peak,
        peak_sum=sum(marks.values()),
        processes=len(marks),
    )
