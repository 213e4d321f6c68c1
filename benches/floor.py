#!/usr/bin/env python3
"""The floor for a build on this machine: how fast the file system takes a site's files.

Usage: python3 benches/floor.py SITE_DIR [--threads 8]

SITE_DIR is a site copcat built (e.g. target/bench/copcat-10000/public). Measures
(1) sequential write speed (one 512 MiB file, fsync'd) and (2) the time to recreate the
same tree of folders and files, with the same sizes, from a pool of threads as copcat's
writers do: no rendering, only the file system. Compare with a build's wall time; the
markdown parse floor is `cargo bench --bench stages -- markdown`.
"""
import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def sequential_write(folder):
    path = os.path.join(folder, "floor-sequential.bin")
    block = b"\0" * (1 << 20)
    started = time.perf_counter()
    with open(path, "wb") as file:
        for _ in range(512):
            file.write(block)
        file.flush()
        os.fsync(file.fileno())
    seconds = time.perf_counter() - started
    os.remove(path)
    return 512 / seconds


def recreate(site, target, threads):
    files = []
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            files.append((os.path.relpath(path, site), os.path.getsize(path)))
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    made = set()
    payload = b"x" * max(size for _, size in files)

    def write(item):
        relative, size = item
        path = os.path.join(target, relative)
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(path, "wb") as file:
            file.write(payload[:size])

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, files, chunksize=64))
    seconds = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return len(files), sum(size for _, size in files), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if not os.path.isdir(args.site):
        sys.exit(f"no such folder: {args.site}")
    scratch = os.path.join(os.path.dirname(os.path.abspath(args.site)), "floor-scratch")
    speed = sequential_write(os.path.dirname(os.path.abspath(args.site)))
    count, size, seconds = recreate(args.site, scratch, args.threads)
    print(f"sequential write: {speed:.0f} MiB/s")
    print(f"recreating {count} files ({size / 1048576:.0f} MiB) with {args.threads} threads: {seconds:.2f} s")
    print(f"bytes alone at the sequential speed: {size / 1048576 / speed:.2f} s")


if __name__ == "__main__":
    main()
