#!/usr/bin/env python3
"""Before and after: two copcat binaries on the same catalogs, in the same run.

Usage: python3 benches/ab.py BEFORE AFTER [--size 10000] [--runs 5] [--work DIR]

Builds the shipped catalog and a generated catalog (../shared/bench/gen_catalog.py) with
each binary and checks that the outputs are byte-identical (a refactor must not change
what the site is), then times full builds of the generated catalog, alternating BEFORE and
AFTER so that both see the same machine, each into a new folder, and prints the median
wall time, CPU time and peak memory of each with the AFTER/BEFORE ratios. Exits 1 if the
outputs differ. Standard library only.
"""
import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys

from measure import run_measured

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_catalog.py")


def differences(a, b):
    """The relative paths that differ between two folders (missing on one side included)."""
    found = []
    compare = filecmp.dircmp(a, b)
    stack = [("", compare)]
    while stack:
        prefix, node = stack.pop()
        found += [os.path.join(prefix, name) for name in node.left_only + node.right_only + node.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(
            os.path.join(a, prefix), os.path.join(b, prefix), node.common_files, shallow=False
        )
        found += [os.path.join(prefix, name) for name in mismatch + errors]
        stack += [(os.path.join(prefix, name), sub) for name, sub in node.subdirs.items()]
    return sorted(found)


def build(binary, root, output):
    return run_measured([binary, "build", "--quiet", "--root", root, "--output", output])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=os.path.join(REPO, "target", "ab"))
    args = parser.parse_args()
    binaries = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    generated = os.path.join(args.work, f"catalog-{args.size}")
    subprocess.run(
        [sys.executable, GENERATOR, "--n", str(args.size), "--format", "copcat", "--out", generated],
        check=True, stdout=subprocess.DEVNULL,
    )

    different = False
    for name, root in [("shipped", REPO), (f"generated {args.size}", generated)]:
        outputs = {}
        for side, binary in binaries.items():
            outputs[side] = os.path.join(args.work, f"{side}-{name.split()[0]}")
            build(binary, root, outputs[side])
        diff = differences(outputs["before"], outputs["after"])
        print(f"{name}: {'byte-identical' if not diff else f'{len(diff)} files differ, e.g. {diff[:5]}'}")
        different |= bool(diff)

    results = {"before": [], "after": []}
    for run in range(args.runs):
        for side in ("before", "after") if run % 2 == 0 else ("after", "before"):
            output = os.path.join(args.work, f"timed-{side}-{run}")
            results[side].append(build(binaries[side], generated, output))
    medians = {side: [statistics.median(values) for values in zip(*runs)] for side, runs in results.items()}
    b, a = medians["before"], medians["after"]
    print(f"{args.size} entries, median of {args.runs} alternating full builds:")
    for side, (wall, cpu, rss) in medians.items():
        print(f"  {side:6} {wall:6.2f} s wall  {cpu:6.2f} s cpu  {rss / 2**20:7.0f} MiB peak")
    print(f"  after/before: wall {a[0] / b[0]:.3f}  cpu {a[1] / b[1]:.3f}  memory {a[2] / b[2]:.3f}")
    shutil.rmtree(args.work, ignore_errors=True)
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
