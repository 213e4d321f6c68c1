#!/usr/bin/env python3
"""A catalog in two languages against the same catalog in one, in the same run (spec §9).

Usage: python3 benches/bilingual.py [--binary target/release/copcat] [--size 10000] [--runs 5]
                                    [--work DIR]

Generates a catalog of SIZE entries (../shared/bench/gen_catalog.py), then a copy
published in French too: `[languages.fr]`, a French name for every stage, kind, taxonomy
and term, and a translation of every entry and page (`<slug>.fr.md`, a title, summary and
body as long as the original's), so that the site holds SIZE entries per language. Times
full builds of both, alternating, each into a new folder, and prints the median wall time,
CPU time and peak memory of each and the bilingual/monolingual ratios (the budget: wall
time at most 2.2x). Standard library only.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

from measure import run_measured, tree_size

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_catalog.py")


def frenchify(text):
    """Text of the same length and shape, standing for a translation."""
    return text.replace("the ", "le ").replace("and ", "et ").replace("of ", "de ")


def translate_catalog_toml(path):
    """Adds [languages.fr] and a French name to every stage, kind, taxonomy and term."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    text = re.sub(
        r'^(name = "([^"]*)"\n)',
        lambda m: f'{m.group(1)}fr = {{ name = "{frenchify(m.group(2))} (fr)" }}\n',
        text,
        flags=re.M,
    )
    text = re.sub(
        r'\{ id = "([^"]*)", name = "([^"]*)" \}',
        lambda m: f'{{ id = "{m.group(1)}", name = "{m.group(2)}", fr = {{ name = "{m.group(2)} (fr)" }} }}',
        text,
    )
    # [kinds.*] tables have name, plural and dir: the line after name is plural.
    text = re.sub(r'fr = \{ name = "([^"]*)" \}\nplural = "([^"]*)"',
                  lambda m: f'plural = "{m.group(2)}"\nfr = {{ name = "{m.group(1)}", plural = "{m.group(2)} (fr)" }}',
                  text)
    first_table = re.search(r"^\[", text, flags=re.M).start()
    text = text[:first_table] + '[languages.fr]\ntitle = "Catalogue (fr)"\n\n' + text[first_table:]
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def translate_content(root):
    """Writes `<slug>.fr.md` beside every content file: its title and summary, and its body."""
    count = 0
    for folder, _, names in os.walk(os.path.join(root, "content")):
        for name in names:
            if not name.endswith(".md") or name.count(".") > 1:
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                text = file.read()
            _, front, body = text.split("+++", 2) if text.startswith("+++") else ("", "", text)
            fields = [line for line in front.splitlines() if line.startswith(("title =", "summary ="))]
            translated = "+++\n" + "\n".join(frenchify(line) for line in fields) + "\n+++" + frenchify(body)
            with open(os.path.join(folder, name[:-3] + ".fr.md"), "w", encoding="utf-8") as file:
                file.write(translated)
            count += 1
    return count


def build(binary, root, output):
    shutil.rmtree(output, ignore_errors=True)
    return run_measured([binary, "build", "--quiet", "--root", root, "--output", output])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "copcat"))
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=os.path.join(REPO, "target", "bench-bilingual"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    mono = os.path.join(args.work, "mono")
    subprocess.run([sys.executable, GENERATOR, "--n", str(args.size), "--format", "copcat", "--out", mono],
                   check=True, stdout=subprocess.DEVNULL)
    bi = os.path.join(args.work, "bi")
    shutil.copytree(mono, bi)
    translate_catalog_toml(os.path.join(bi, "catalog.toml"))
    translated = translate_content(bi)
    check = subprocess.run([binary, "check", "--root", bi], capture_output=True, text=True)
    if check.returncode != 0 or "translation yet" in check.stderr:
        sys.exit(f"the bilingual catalog does not check clean:\n{check.stderr[-3000:]}")
    print(f"{args.size} entries; {translated} translations")

    results = {"monolingual": [], "bilingual": []}
    roots = {"monolingual": mono, "bilingual": bi}
    for run in range(args.runs):
        order = ("monolingual", "bilingual") if run % 2 == 0 else ("bilingual", "monolingual")
        for side in order:
            results[side].append(build(binary, roots[side], os.path.join(args.work, f"out-{side}")))
    sizes = {side: tree_size(os.path.join(args.work, f"out-{side}")) for side in roots}
    medians = {side: [statistics.median(values) for values in zip(*runs)] for side, runs in results.items()}
    print(f"median of {args.runs} alternating full builds (each run's wall times: "
          + "; ".join(f"{side} " + ", ".join(f"{r[0]:.2f}" for r in runs) for side, runs in results.items()) + ")")
    for side, (wall, cpu, rss) in medians.items():
        size, files = sizes[side]
        print(f"  {side:11} {wall:6.2f} s wall  {cpu:6.2f} s cpu  {rss / 2**20:7.0f} MiB peak  "
              f"{size / 2**20:7.1f} MiB in {files} files")
    m, b = medians["monolingual"], medians["bilingual"]
    print(f"  bilingual/monolingual: wall {b[0] / m[0]:.3f}  cpu {b[1] / m[1]:.3f}  memory {b[2] / m[2]:.3f}")
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
