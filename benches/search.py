#!/usr/bin/env python3
"""Search benchmark: copcat's search index against Pagefind 1.6 on the same generated sites.

Usage: python3 benches/search.py [--sizes 1000,10000] [--runs 3] [--words funding,knowlege,sponsoring]
                                 [--work DIR] [--no-pagefind]

For each size, generates a catalog with ../shared/bench/gen_catalog.py (--format copcat),
builds it with the release binary, alternately with and without search
(`build --no-search`, into /dev/shm when it exists), and reports:

- index size on disk (search/ plus search.js and the search-*.js it loads on demand;
  Pagefind: pagefind/),
- bytes a browser fetches for a first one-word query, showing 10 results (headless
  Chromium, a plain uncompressed static server, a fresh browser context per word),
- median and 95th-percentile query time in Chromium, warm (performance.now() around the
  page's query function: copcatSearch.query, Pagefind's pagefind.search),
- the share of the build that the index takes (median wall and CPU time, user + system,
  with search over without), and Pagefind's indexing time and peak memory on the same
  built site.

Pagefind indexes the same entry pages (--glob "{roles,guidance}/*/index.html") and the
same region (--root-selector main). It is installed with npm into DIR/pagefind-1.6.
Needs Chromium (/usr/bin/chromium or $CHROMIUM), node, and playwright-core
(npm ci --prefix tests/browser). Standard library only.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from measure import run_measured, tree_size

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_catalog.py")
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
COPCAT = os.path.join(TARGET, "release", "copcat")
BROWSER = os.path.join(REPO, "benches", "search_browser.mjs")
PAGEFIND_VERSION = "1.6"


def generate(size, work):
    out = os.path.join(work, f"copcat-{size}")
    if not os.path.exists(os.path.join(out, "catalog.toml")):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, GENERATOR, "--n", str(size), "--format", "copcat", "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def scratch_dir(work):
    """Where timed builds write: a tmpfs when there is one, so that the disk traffic of
    other processes does not swamp the difference being measured."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return os.path.join(shm, f"copcat-bench-search-{os.getpid()}")
    return os.path.join(work, "scratch")


def build_times(root, output, runs, scratch):
    """Alternating builds with and without search, into `scratch`; medians of (wall, cpu)
    each, then one build into `output` for the browser."""
    with_search, without = [], []
    plain, searched = os.path.join(scratch, "nosearch"), os.path.join(scratch, "search")
    for _ in range(runs):
        wall, cpu, _ = run_measured([COPCAT, "build", "--no-search", "--root", root, "--output", plain])
        without.append((wall, cpu))
        wall, cpu, _ = run_measured([COPCAT, "build", "--root", root, "--output", searched])
        with_search.append((wall, cpu))
    if os.path.exists(os.path.join(plain, "search", "meta.js")):
        sys.exit("--no-search is not honoured by this build; cannot time the index")
    shutil.rmtree(scratch, ignore_errors=True)
    run_measured([COPCAT, "build", "--root", root, "--output", output])
    median = lambda pairs, i: statistics.median(p[i] for p in pairs)
    return (median(with_search, 0), median(with_search, 1)), (median(without, 0), median(without, 1))


def install_pagefind(work):
    prefix = os.path.join(work, f"pagefind-{PAGEFIND_VERSION}")
    binary = os.path.join(prefix, "node_modules", ".bin", "pagefind")
    if not os.path.exists(binary):
        os.makedirs(prefix, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error",
                        f"pagefind@{PAGEFIND_VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return binary


def browser(site, engine, words, runs):
    result = subprocess.run(["node", BROWSER, "--site", site, "--engine", engine, "--words", ",".join(words),
                             "--runs", str(runs)], check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def kib(n):
    return f"{n / 1024:,.1f} KiB"


def mib(n):
    return f"{n / 1024 / 1024:,.1f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5, help="builds with and without search, alternating")
    parser.add_argument("--words", default="funding,knowlege,sponsoring,nowledge",
                        help="first one-word queries (an inflection the catalog lacks loads the stemmer)")
    parser.add_argument("--query-runs", type=int, default=50)
    parser.add_argument("--work", default=os.path.join(REPO, "target", "bench-search"))
    parser.add_argument("--no-pagefind", action="store_true")
    options = parser.parse_args()
    if not os.path.exists(GENERATOR):
        sys.exit(f"the catalog generator is missing: {GENERATOR}")
    work = os.path.abspath(options.work)
    os.makedirs(work, exist_ok=True)
    words = options.words.split(",")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    pagefind = None if options.no_pagefind else install_pagefind(work)

    rows = []
    for size in (int(s) for s in options.sizes.split(",")):
        root = generate(size, work)
        output = os.path.join(work, f"public-{size}")
        (wall, cpu), (plain_wall, plain_cpu) = build_times(root, output, options.runs, scratch_dir(work))
        search_bytes, search_files = tree_size(os.path.join(output, "search"))
        # The scripts beside the site's root: search.js and those it loads on demand.
        scripts = [name for name in os.listdir(output) if name.startswith("search") and name.endswith(".js")]
        script = sum(os.path.getsize(os.path.join(output, name)) for name in scripts)
        html = os.path.getsize(os.path.join(output, "search", "index.html"))
        search_bytes, search_files = search_bytes - html + script, search_files - 1 + len(scripts)
        copcat = browser(output, "copcat", words, options.query_runs)
        row = {
            "size": size,
            "copcat": {
                "index_bytes": search_bytes, "index_files": search_files,
                "build_wall": wall, "build_cpu": cpu, "plain_wall": plain_wall, "plain_cpu": plain_cpu,
                "share_wall": (wall - plain_wall) / plain_wall, "share_cpu": (cpu - plain_cpu) / plain_cpu,
                "search_page_html": html, "browser": copcat,
            },
        }
        if pagefind:
            shutil.rmtree(os.path.join(output, "pagefind"), ignore_errors=True)
            pf_wall, pf_cpu, pf_rss = run_measured([pagefind, "--site", output, "--glob", "{roles,guidance}/*/index.html",
                                                    "--root-selector", "main", "--quiet"])
            pf_bytes, pf_files = tree_size(os.path.join(output, "pagefind"))
            row["pagefind"] = {"index_bytes": pf_bytes, "index_files": pf_files, "wall": pf_wall, "cpu": pf_cpu,
                               "rss": pf_rss, "browser": browser(output, "pagefind", words, options.query_runs)}
            shutil.rmtree(os.path.join(output, "pagefind"), ignore_errors=True)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)

    print(f"\nSearch benchmark ({options.runs} alternating builds per size; {options.query_runs} warm queries per word)\n")
    for row in rows:
        c = row["copcat"]
        print(f"== {row['size']:,} entries")
        print(f"copcat build {c['build_wall']:.2f} s wall / {c['build_cpu']:.2f} s CPU with search, "
              f"{c['plain_wall']:.2f} s / {c['plain_cpu']:.2f} s without: the index adds "
              f"{c['share_wall']:+.0%} wall, {c['share_cpu']:+.0%} CPU")
        print(f"copcat index: {mib(c['index_bytes'])} in {c['index_files']:,} files "
              f"(search page HTML with the A–Z fallback: {kib(c['search_page_html'])})")
        p = row.get("pagefind")
        if p:
            print(f"Pagefind {PAGEFIND_VERSION} index: {mib(p['index_bytes'])} in {p['index_files']:,} files, "
                  f"{p['wall']:.2f} s wall, {p['cpu']:.2f} s CPU, {mib(p['rss'])} peak")
        print(f"{'query':<12} {'copcat first-query bytes':>26} {'Pagefind':>22} {'ratio':>6}   "
              f"{'copcat ms (median/p95)':>22} {'Pagefind ms':>16}")
        for i, word in enumerate(words):
            cf = c["browser"]["first_query"][i]
            cq = c["browser"]["query_ms"][word]
            copcat_bytes = "%s (%d files)" % (kib(cf["bytes"]), cf["files"])
            line = f"{word:<12} {copcat_bytes:>26} "
            if p:
                pf = p["browser"]["first_query"][i]
                pq = p["browser"]["query_ms"][word]
                pagefind_bytes = "%s (%d files)" % (kib(pf["bytes"]), pf["files"])
                line += f"{pagefind_bytes:>22} {cf['bytes'] / pf['bytes']:>6.0%}   "
                line += f"{cq['median']:>10.1f} / {cq['p95']:<9.1f} {pq['median']:>7.1f} / {pq['p95']:<7.1f}"
            else:
                line += f"{'':>22} {'':>6}   {cq['median']:>10.1f} / {cq['p95']:<9.1f}"
            print(line)
            print(f"{'':<12} copcat: {cf['results']['status']}"
                  + (f"; Pagefind: {pf['results']['count']} results" if p else ""))
        print()


if __name__ == "__main__":
    main()
