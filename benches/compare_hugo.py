#!/usr/bin/env python3
"""Whole-build benchmark: copcat against Hugo on the same generated catalogs.

Usage: python3 benches/compare_hugo.py [--sizes 1000,10000,50000] [--runs 5] [--work DIR]

For each size, generates the catalog with ../shared/bench/gen_catalog.py in copcat's and
Hugo's formats, then runs full clean builds of each, alternating copcat and Hugo so both see
the same machine conditions, and prints median wall time, CPU time, peak RSS and output
size, with copcat/Hugo ratios. Builds the release binary and installs Debian's hugo if
missing. Standard library only.

It measures the two states users meet, alternating copcat and Hugo within each run:
"rebuild" builds into the output the previous build left, nothing changed since (copcat
swaps in a new tree whose unchanged files are hard links to the previous one's, and
removes the old tree in a background process, which the script waits for, untimed, before
the next build of either tool; Hugo overwrites every file in place); "every page changed"
is the same after an edit that changes every page (catalog.toml's description, shown in
every footer: copcat then writes every file, and its old tree's removal frees them all), and "after delete" deletes the previous output (not timed) and
builds right away, with no waiting for the file system to settle. Every run's figures are
printed, then medians with copcat/Hugo ratios.
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
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
COPCAT = os.path.join(TARGET, "release", "copcat")
STATES = ("rebuild", "every page changed", "after delete")


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
    removal = wait_for_removal(output)
    return measured + (tree_size(output)[0], removal)


def wait_for_removal(output):
    """copcat returns once the new site is in place and removes the previous one in a
    process of its own (`.<name>.removing-<pid>` beside the output). The next build, of
    either tool, starts after that removal ended, so that neither pays for it; how long it
    ran after the build returned is reported, not timed."""
    parent, name = os.path.split(os.path.abspath(output))
    prefix = f".{name}.removing-"
    started = time.monotonic()
    while any(entry.startswith(prefix) for entry in os.listdir(parent)):
        time.sleep(0.02)
    return time.monotonic() - started


def build_hugo(site, output):
    shutil.rmtree(os.path.join(site, "resources"), ignore_errors=True)
    measured = run_measured(["hugo", "--quiet", "--source", site, "--destination", output])
    return measured + (tree_size(output)[0], 0.0)


def mib(n):
    return f"{n / 1048576:.0f} MiB"


def change_every_page(site, run):
    """Makes catalog.toml's description, which every page's footer shows, differ from the
    last build's (Hugo writes every page on every build anyway, so its site is left as is)."""
    path = os.path.join(site, "catalog.toml")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("description = "):
            base = line.split(" (edition ")[0].rstrip('"')
            lines[i] = f'{base} (edition {run})"'
            break
    else:
        sys.exit(f"no description line in {path}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def run_state(state, tool, site, output, run):
    """One build of `tool` into `output` in `state`: (wall, cpu, peak, output bytes,
    seconds removing the previous site afterwards)."""
    if state == "after delete":
        shutil.rmtree(output, ignore_errors=True)
    if state == "every page changed" and tool == "copcat":
        change_every_page(site, run)
    return (build_copcat if tool == "copcat" else build_hugo)(site, output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=os.path.join(TARGET, "bench"))
    args = parser.parse_args()
    ensure_tools()
    os.makedirs(args.work, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    sites = {size: (generate(size, "copcat", args.work), generate(size, "hugo", args.work)) for size in sizes}
    out = os.path.join(args.work, "out")
    rows = []
    for size in sizes:
        outputs = {tool: os.path.join(out, f"{tool}-{size}") for tool in ("copcat", "hugo")}
        copcat_site, hugo_site = sites[size]
        # A first build of each, so that both rebuild into an output from the start (into
        # outputs emptied first: a run stopped part-way may have left one half deleted).
        for output in outputs.values():
            shutil.rmtree(output, ignore_errors=True)
        build_copcat(copcat_site, outputs["copcat"])
        build_hugo(hugo_site, outputs["hugo"])
        results = {(state, tool): [] for state in STATES for tool in ("copcat", "hugo")}
        for run in range(args.runs):
            for state in STATES:
                for tool, site in (("copcat", copcat_site), ("hugo", hugo_site)):
                    r = run_state(state, tool, site, outputs[tool], run)
                    results[(state, tool)].append(r)
                    removal = f", then {r[4]:.2f} s removing the previous site in the background" if r[4] > 0.05 else ""
                    print(f"{size:>6} run {run + 1} {state:<12} {tool:<6} {r[0]:.2f} s wall, {r[1]:.2f} s cpu, "
                          f"{mib(r[2])} peak, {mib(r[3])} out{removal}", flush=True)
        for state in STATES:
            medians = {tool: [statistics.median(r[i] for r in results[(state, tool)]) for i in range(4)]
                       for tool in ("copcat", "hugo")}
            rows.append((size, state, medians, results))
        for tool in outputs:
            shutil.rmtree(outputs[tool], ignore_errors=True)
    print()
    print("| entries | state | copcat wall (each run) | Hugo wall (each run) | copcat peak | Hugo peak "
          "| copcat output | Hugo output | wall ratio | memory ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size, state, medians, results in rows:
        c, h = medians["copcat"], medians["hugo"]
        each = {tool: ", ".join(f"{r[0]:.2f}" for r in results[(state, tool)]) for tool in ("copcat", "hugo")}
        print(f"| {size:,} | {state} | {c[0]:.2f} s ({each['copcat']}) | {h[0]:.2f} s ({each['hugo']}) "
              f"| {mib(c[2])} | {mib(h[2])} | {mib(c[3])} | {mib(h[3])} | {c[0] / h[0]:.3f} | {c[2] / h[2]:.3f} |")
    print(f"\nmedians of {args.runs} runs, copcat and Hugo alternating in each state; copcat includes its "
          "search index, Hugo has none.")


if __name__ == "__main__":
    main()
