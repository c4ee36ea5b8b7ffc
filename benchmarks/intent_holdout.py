"""Recall and hard-negative rate of the instruction-text checks on a holdout
of lines kept out of their development (benchmarks/intent_holdout.toml).

Each line is added to CLAUDE.md and judged through the whole engine at the
default threshold (high). Prints the misses and false blocks, then
`recall=… negatives=…`.

    python benchmarks/intent_holdout.py
"""
from __future__ import annotations

import os
import sys

from agenthook import engine
from agenthook.model import AddedLine, FileChange, Severity
from agenthook.rules import load
from agenthook.targets import INSTRUCTIONS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def blocked(line: str) -> list[str]:
    change = FileChange(path="CLAUDE.md", kind=INSTRUCTIONS, status="A", added=[AddedLine(1, line)],
                        new_lines={1: line}, new_text=line + "\n")
    return [f.rule.id for f in engine.scan([change], load()) if f.severity >= Severity.HIGH]


def main() -> None:
    with open(os.path.join(os.path.dirname(__file__), "intent_holdout.toml"), "rb") as handle:
        cases = tomllib.load(handle)["case"]
    caught = negatives = positives = passed = 0
    for case in cases:
        rules = blocked(case["text"])
        if case["block"]:
            positives += 1
            caught += bool(rules)
            if not rules:
                print(f"MISS  {case['text']}")
        else:
            negatives += 1
            passed += not rules
            if rules:
                print(f"FALSE {','.join(rules)}  {case['text']}")
    print(f"recall={caught / positives:.3f} ({caught}/{positives}) negatives={passed / negatives:.3f} "
          f"({passed}/{negatives})")


if __name__ == "__main__":
    main()
