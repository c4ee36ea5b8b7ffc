"""Every rule's own examples, enforced (gitleaks-style): each `examples` line
fires its rule, each `counterexamples` line does not, and each
`[[rule.case]]` gives the staged check of a real repository the expected
outcome for that rule."""
from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import Repo, agenthook
from agenthook import engine
from agenthook.model import AddedLine, FileChange
from agenthook.rules import TextRule, load
from agenthook.targets import CLAUDE_PROMPT, INSTRUCTIONS

CATALOGUE = load()


def _target(rule: TextRule) -> tuple[str, str]:
    """Where a line the rule applies to lives: CLAUDE.md, or a command file
    for rules that only read Claude commands and skills."""
    if INSTRUCTIONS in rule.rule.kinds:
        return "CLAUDE.md", INSTRUCTIONS
    if CLAUDE_PROMPT in rule.rule.kinds:
        return ".claude/commands/example.md", CLAUDE_PROMPT
    pytest.skip(f"{rule.rule.id} reads no Markdown file kind")


def _fired(rule: TextRule, line: str) -> set[str]:
    """Ids of the rules that fire on `line` added to a one-line file (before
    the one-finding-per-line merge, so a stronger sibling rule cannot hide it)."""
    path, kind = _target(rule)
    change = FileChange(path=path, kind=kind, status="A", added=[AddedLine(1, line)], new_lines={1: line},
                        new_text=line + "\n")
    return {f.rule.id for f in engine.scan_change(change, CATALOGUE)}


def _lines(attribute: str) -> list[Any]:
    return [pytest.param(rule, line, id=f"{rule.rule.id}-{i}")
            for rule in CATALOGUE.text_rules for i, line in enumerate(getattr(rule, attribute))]


def test_every_pattern_rule_has_examples_both_ways() -> None:
    missing = [r.rule.id for r in CATALOGUE.text_rules if not r.examples or not r.counterexamples]
    assert missing == []


@pytest.mark.parametrize(("rule", "line"), _lines("examples"))
def test_example_fires_its_rule(rule: TextRule, line: str) -> None:
    assert rule.rule.id in _fired(rule, line)


@pytest.mark.parametrize(("rule", "line"), _lines("counterexamples"))
def test_counterexample_does_not_fire_its_rule(rule: TextRule, line: str) -> None:
    assert rule.rule.id not in _fired(rule, line)


def _model_lines(index: int) -> list[Any]:
    return [pytest.param(rule_id, line, id=f"{rule_id}-model-{i}")
            for rule_id, pair in sorted(CATALOGUE.model_examples.items()) for i, line in enumerate(pair[index])]


@pytest.mark.parametrize(("rule_id", "line"), _model_lines(0))
def test_model_rule_example_fires(rule_id: str, line: str) -> None:
    """A rule the command model reports fires on each of its examples, in an instruction file."""
    change = FileChange(path="CLAUDE.md", kind=INSTRUCTIONS, status="A", added=[AddedLine(1, line)],
                        new_lines={1: line}, new_text=line + "\n")
    assert rule_id in {f.rule.id for f in engine.scan_change(change, CATALOGUE)}


@pytest.mark.parametrize(("rule_id", "line"), _model_lines(1))
def test_model_rule_counterexample_does_not_fire(rule_id: str, line: str) -> None:
    change = FileChange(path="CLAUDE.md", kind=INSTRUCTIONS, status="A", added=[AddedLine(1, line)],
                        new_lines={1: line}, new_text=line + "\n")
    assert rule_id not in {f.rule.id for f in engine.scan_change(change, CATALOGUE)}


def _cases() -> list[Any]:
    return [pytest.param(rule_id, case, id=f"{rule_id}-{i}")
            for rule_id, cases in sorted(CATALOGUE.cases.items()) for i, case in enumerate(cases)]


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_case_in_a_real_repository(repo: Repo, rule_id: str, case: dict[str, Any]) -> None:
    """`before` committed, `after` staged, then `check-diff --staged`: with
    `expect = true` the rule reports the change, with `false` it does not."""
    repo.write("README.md", "seed\n")
    if case.get("before") is not None:
        repo.write(case["path"], case["before"])
    repo.commit("before")
    repo.write(case["path"], case["after"])
    repo.git("add", "-A")
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    assert run.code in (0, 1), run.err
    findings = [f for f in json.loads(run.out)["findings"] if f["rule_id"] == rule_id]
    assert bool(findings) == case["expect"], findings
