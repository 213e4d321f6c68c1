"""What the whole-build benchmarks share: running a command with its time and memory
measured, and the size of a folder. Standard library only."""
import os
import subprocess
import sys
import time


def run_measured(argv, env=None):
    """Runs argv; returns (wall seconds, cpu seconds, peak RSS bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(argv)}\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def tree_size(path):
    """The bytes and the number of files under `path`."""
    total = files = 0
    for folder, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(folder, name))
            files += 1
    return total, files
