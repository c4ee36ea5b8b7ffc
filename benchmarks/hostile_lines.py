"""How fast a multi-megabyte added line built to make patterns backtrack is scanned.

For every pattern rule, a line is built from that rule's own keywords and the
characters its pattern's bounded windows consume (quotes, dashes, spaces,
SQL words, `$(`), repeated to the requested size, and scanned through the full
`check-diff` path (patch parsing, normalization, every rule). Prints seconds
and MB/s per shape and overall; the goal is well under a second per megabyte.

    python benchmarks/hostile_lines.py [--mb 4]
"""
from __future__ import annotations

import argparse
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
    print(f"{'shape':16s} {'MB':>6s} {'seconds':>8s} {'s/MB':>7s} findings")
    for name, unit in SHAPES.items():
        line = (unit * (size // len(unit) + 1))[:size]
        data = patch_with_line(line)
        start = time.perf_counter()
        changes = parse_patch(data, DEFAULT)
        findings = engine.scan(changes, catalogue)
        seconds = time.perf_counter() - start
        mb = len(data) / 1024 / 1024
        total_bytes += len(data)
        total_seconds += seconds
        print(f"{name:16s} {mb:6.1f} {seconds:8.2f} {seconds / mb:7.3f} {len(findings)}")
    mb = total_bytes / 1024 / 1024
    print(f"{'overall':16s} {mb:6.1f} {total_seconds:8.2f} {total_seconds / mb:7.3f}")


if __name__ == "__main__":
    main()
