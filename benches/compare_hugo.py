#!/usr/bin/env python3
"""Whole-build benchmark: copcat against Hugo on the same generated catalogs.

Usage: python3 benches/compare_hugo.py [--sizes 1000,10000,50000] [--runs 5] [--work DIR]

For each size, generates the catalog with ../shared/bench/gen_catalog.py in copcat's and
Hugo's formats, then runs full clean builds of each, alternating copcat and Hugo so both see
the same machine conditions, and prints median wall time, CPU time, peak RSS and output
size, with copcat/Hugo ratios. Builds the release binary and installs Debian's hugo if
missing. Standard library only.

Each build writes into a new, empty folder, and the folders are deleted only at the end
(about 8 GB at 50k with 3 runs). On ext4 without a journal (as on this machine) the kernel
skips inodes freed in the last minute (six, while their inode table block is dirty, which
new files in the same block make it) when it allocates new ones, scanning past them one by
one: creating 20,000 files right after deleting 20,000 costs seconds of system time that
belong to the deletion, not to the tool. So the script first waits until six minutes have
passed since its last deletion of outputs or its compile of copcat. `--delete-before` measures the other way
(delete the previous output, then build), for comparison.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

from measure import run_measured, tree_size

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_catalog.py")
COPCAT = os.path.join(REPO, "target", "release", "copcat")


def ensure_tools():
    """Builds copcat and installs Hugo if needed; returns whether copcat was compiled (a
    compile deletes many temporary files, which slows the next builds the same way)."""
    before = os.path.getmtime(COPCAT) if os.path.exists(COPCAT) else None
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    compiled = os.path.getmtime(COPCAT) != before
    if shutil.which("hugo") is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "hugo"], check=True)
    if not os.path.exists(GENERATOR):
        sys.exit(f"the catalog generator is missing: {GENERATOR}")
    return compiled


def generate(size, fmt, work):
    out = os.path.join(work, f"{fmt}-{size}")
    if not os.path.exists(os.path.join(out, ".generated")):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, GENERATOR, "--n", str(size), "--format", fmt, "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(out, ".generated"), "w").close()
    return out


def build_copcat(site, output):
    measured = run_measured([COPCAT, "build", "--quiet", "--root", site, "--output", output])
    return measured + (tree_size(output)[0],)


def build_hugo(site, output):
    shutil.rmtree(os.path.join(site, "resources"), ignore_errors=True)
    measured = run_measured(["hugo", "--quiet", "--source", site, "--destination", output])
    return measured + (tree_size(output)[0],)


class Outputs:
    """Where builds write: a new folder per build, all deleted at the end (or, with
    `delete_before`, one folder per tool and size, deleted right before each build)."""

    QUIET_SECONDS = 370

    def __init__(self, work, delete_before):
        self.root = os.path.join(work, "out")
        self.delete_before = delete_before
        self.count = 0
        self.stamp = os.path.join(work, "out.deleted")
        if os.path.exists(self.root) and os.listdir(self.root):
            self.remove()
        shutil.rmtree(self.root, ignore_errors=True)
        if not delete_before and os.path.exists(self.stamp):
            left = self.QUIET_SECONDS - (time.time() - os.path.getmtime(self.stamp))
            if left > 0:
                print(f"(many files were deleted {self.QUIET_SECONDS - left:.0f} s ago; waiting {left:.0f} s "
                      "for the freed inodes to age)", file=sys.stderr, flush=True)
                time.sleep(left)
        os.makedirs(self.root)

    def next(self, tool, size):
        if self.delete_before:
            path = os.path.join(self.root, f"{tool}-{size}")
            shutil.rmtree(path, ignore_errors=True)
            return path
        self.count += 1
        return os.path.join(self.root, f"{tool}-{size}-{self.count}")

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)
        Outputs.mark_deletion(os.path.dirname(self.root))

    @staticmethod
    def mark_deletion(work):
        """Notes that many files were just deleted, for the next run to wait out."""
        os.sync()
        with open(os.path.join(work, "out.deleted"), "w"):
            pass


def mib(n):
    return f"{n / 1048576:.0f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=os.path.join(REPO, "target", "bench"))
    parser.add_argument("--delete-before", action="store_true",
                        help="delete the previous output right before each build (see above)")
    args = parser.parse_args()
    compiled = ensure_tools()
    os.makedirs(args.work, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    sites = {size: (generate(size, "copcat", args.work), generate(size, "hugo", args.work)) for size in sizes}
    if compiled:
        Outputs.mark_deletion(args.work)
    outputs = Outputs(args.work, args.delete_before)
    rows = []
    for size in sizes:
        copcat_site, hugo_site = sites[size]
        results = {"copcat": [], "hugo": []}
        build_copcat(copcat_site, outputs.next("copcat", size))  # warm the file cache for both
        build_hugo(hugo_site, outputs.next("hugo", size))
        for _ in range(args.runs):
            results["copcat"].append(build_copcat(copcat_site, outputs.next("copcat", size)))
            results["hugo"].append(build_hugo(hugo_site, outputs.next("hugo", size)))
        medians = {tool: [statistics.median(r[i] for r in runs) for i in range(4)] for tool, runs in results.items()}
        rows.append((size, medians))
        c, h = medians["copcat"], medians["hugo"]
        print(f"{size:>6} entries  copcat {c[0]:.2f} s wall, {c[1]:.2f} s cpu, {mib(c[2])} peak, {mib(c[3])} out | "
              f"hugo {h[0]:.2f} s wall, {h[1]:.2f} s cpu, {mib(h[2])} peak, {mib(h[3])} out | "
              f"ratio wall {c[0] / h[0]:.3f}, peak {c[2] / h[2]:.3f}", flush=True)
        for tool, runs in results.items():
            print(f"        {tool} walls: {', '.join(f'{r[0]:.2f}' for r in runs)} s", flush=True)
    outputs.remove()
    print()
    print("| entries | copcat wall | copcat CPU | copcat peak RSS | copcat output | Hugo wall | Hugo CPU "
          "| Hugo peak RSS | Hugo output | wall ratio | memory ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, medians in rows:
        c, h = medians["copcat"], medians["hugo"]
        print(f"| {size:,} | {c[0]:.2f} s | {c[1]:.2f} s | {mib(c[2])} | {mib(c[3])} | {h[0]:.2f} s | {h[1]:.2f} s "
              f"| {mib(h[2])} | {mib(h[3])} | {c[0] / h[0]:.3f} | {c[2] / h[2]:.3f} |")
    where = "previous output deleted right before each build" if args.delete_before else "each into a new folder"
    print(f"\nmedians of {args.runs} alternating runs; full clean builds ({where}); "
          f"copcat includes its search index, Hugo has none.")


if __name__ == "__main__":
    main()
