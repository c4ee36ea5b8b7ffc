"""Score the command model on a holdout of instruction-file cases kept out of
the tests (benchmarks/command_holdout.jsonl): each case is one change to
CLAUDE.md, judged as the staged check would judge it. Prints recall on the
risky cases (blocked, in the expected category), the share of harmless cases
that pass, and every miss."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from agenthook import engine
from agenthook.model import AddedLine, FileChange, Severity


def verdict(text: str) -> set[str]:
    body = "# Project notes\n\n" + text + "\n"
    lines = body.split("\n")
    change = FileChange(path="CLAUDE.md", kind="instructions", status="A",
                        added=[AddedLine(i + 1, t) for i, t in enumerate(lines)], new_text=body)
    return {f.rule.category for f in engine.scan([change]) if f.severity >= Severity.HIGH}


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("command_holdout.jsonl")
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    hits = risky = passes = harmless = 0
    for case in cases:
        got = verdict(case["text"])
        if case["block"]:
            risky += 1
            ok = case["category"] in got
            hits += ok
        else:
            harmless += 1
            ok = not got
            passes += ok
        if not ok:
            print(f"MISS block={case['block']} want={case['category'] or '-'} got={sorted(got)}: {case['text'][:100]!r}")
    print(f"recall={hits / risky:.3f} ({hits}/{risky}) negatives={passes / harmless:.3f} ({passes}/{harmless})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
