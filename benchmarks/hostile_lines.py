"""How fast a multi-megabyte added line built to make patterns backtrack is scanned.

For every pattern rule, a line is built from that rule's own keywords and the
characters its pattern's bounded windows consume (quotes, dashes, spaces,
SQL words, `$(`), repeated to the requested size, and scanned through the full
`check-diff` path (patch parsing, normalization, every rule). Each shape is run
twice: repeated exactly, and with a varying character after each unit (`~`),
so that no two slices of the line are alike. Prints seconds per megabyte per
shape and overall; the goal is well under a second per megabyte.

    python benchmarks/hostile_lines.py [--mb 4]
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


def patch_with_line(line: str) -> bytes:
    return ("diff --git a/CLAUDE.md b/CLAUDE.md\n--- a/CLAUDE.md\n+++ b/CLAUDE.md\n@@ -0,0 +1 @@\n+"
            + line + "\n").encode("utf-8", "surrogateescape")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="size of each hostile line in MB")
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    catalogue = load()
    total_bytes = 0
    total_seconds = 0.0
    print(f"{'shape':17s} {'MB':>6s} {'seconds':>8s} {'s/MB':>7s} findings")
    rng = random.Random(0)
    cases = []
    for name, unit in SHAPES.items():
        cases.append((name, (unit * (size // len(unit) + 1))[:size]))
        # The same unit with a varying tail, so that no two windows of the line repeat.
        varied = "".join(unit + rng.choice("abcdefghij") + " " for _ in range(size // (len(unit) + 2) + 1))
        cases.append((name + "~", varied[:size]))
    for name, line in cases:
        data = patch_with_line(line)
        start = time.perf_counter()
        changes = parse_patch(data, DEFAULT)
        findings = engine.scan(changes, catalogue)
        seconds = time.perf_counter() - start
        mb = len(data) / 1024 / 1024
        total_bytes += len(data)
        total_seconds += seconds
        print(f"{name:17s} {mb:6.1f} {seconds:8.2f} {seconds / mb:7.3f} {len(findings)}")
    mb = total_bytes / 1024 / 1024
    print(f"{'overall':17s} {mb:6.1f} {total_seconds:8.2f} {total_seconds / mb:7.3f}")


if __name__ == "__main__":
    main()
