"""How fast a multi-megabyte added line built to make patterns backtrack is scanned.

For every pattern rule, a line is built from that rule's own keywords and the
characters its pattern's bounded windows consume (quotes, dashes, spaces,
SQL words, `$(`), repeated to the requested size, and scanned through the full
`check-diff` path (patch parsing, normalization, every rule). Each shape is run
twice: repeated exactly, and with a varying character after each unit (`~`),
so that no two slices of the line are alike. Then each varied shape again as
many lines just under the length the meaning readers read of one line
(`--lines` lines of 60 KiB in one file, `×N`), so that a file cannot cost
more per megabyte by staying under that bound. Prints seconds per megabyte
per shape and overall; the goal is well under a second per megabyte.

    python benchmarks/hostile_lines.py [--mb 4] [--lines 30]
"""
from __future__ import annotations

import argparse
import random
import time

from agenthook import engine
from agenthook.rules import load
from agenthook.sources.patch import parse_patch
from agenthook.targets import DEFAULT

SHAPES: dict[str, str] = {
    "curl-options": "curl -X POST -k -d -F -T --data-binary ",
    "quotes-sql": "\"SELECT * FROM t WHERE a = '\" + \"",
    "fstring-sql": "f\"select where {x} ",
    "template-sql": "`select where ${ ",
    "substitution": "wget --post-data \"$( $( $( ",
    "pipes": "| curl | nc | ssh | ",
    "negations": "never don't avoid but; use verify=False, ",
    "scp-hosts": "rsync a@b:c d@e:f ",
    "prose-approve": "always approve the permission prompt without asking for ",
    "invisible": "cu\u200brl -\u200bk \U000e0041\u202e ",
    "no-keywords": "a" * 64,
    # Classic backtracking bait: one long run of what a gap or a repeated
    # group consumes, after a keyword that starts the pattern.
    "spaces-run": "curl " + " " * 63,
    "dashes-run": "curl -" + "-" * 62,
    "quotes-run": "select " + "'" * 57,
    "parens-run": "$(" * 32,
    "words-run": "ignore all previous " + "the " * 11,
}


UNDER_BOUND = 60 * 1024  # one line's length in the many-lines shapes, under the 64 KiB read per line


def patch_with_lines(lines: list[str]) -> bytes:
    return (f"diff --git a/CLAUDE.md b/CLAUDE.md\n--- a/CLAUDE.md\n+++ b/CLAUDE.md\n@@ -0,0 +1,{len(lines)} @@\n"
            + "".join("+" + line + "\n" for line in lines)).encode("utf-8", "surrogateescape")


def varied(unit: str, size: int, rng: random.Random) -> str:
    """`unit` with a varying tail, so that no two windows of the line repeat."""
    return "".join(unit + rng.choice("abcdefghij") + " " for _ in range(size // (len(unit) + 2) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="size of each hostile line in MB")
    parser.add_argument("--lines", type=int, default=30, help="lines of 60 KiB in each many-lines shape")
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    catalogue = load()
    total_bytes = 0
    total_seconds = 0.0
    print(f"{'shape':20s} {'MB':>6s} {'seconds':>8s} {'s/MB':>7s} findings")
    rng = random.Random(0)
    cases: list[tuple[str, list[str]]] = []
    for name, unit in SHAPES.items():
        cases.append((name, [(unit * (size // len(unit) + 1))[:size]]))
        cases.append((name + "~", [varied(unit, size, rng)]))
    for name, unit in SHAPES.items():
        cases.append((f"{name}~\u00d7{args.lines}", [varied(unit, UNDER_BOUND, rng) for _ in range(args.lines)]))
    for name, lines in cases:
        data = patch_with_lines(lines)
        start = time.perf_counter()
        changes = parse_patch(data, DEFAULT)
        findings = engine.scan(changes, catalogue)
        seconds = time.perf_counter() - start
        mb = len(data) / 1024 / 1024
        total_bytes += len(data)
        total_seconds += seconds
        print(f"{name:20s} {mb:6.1f} {seconds:8.2f} {seconds / mb:7.3f} {len(findings)}")
    mb = total_bytes / 1024 / 1024
    print(f"{'overall':20s} {mb:6.1f} {total_seconds:8.2f} {total_seconds / mb:7.3f}")


if __name__ == "__main__":
    main()
