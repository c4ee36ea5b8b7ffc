"""Settings changes built from before/after texts, scanned as agenthook scans
them: with full texts (what the git sources give) or as a bare patch (what
`check-diff FILE` gives), and as a staged commit in a real repository."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from agenthook import engine
from agenthook.model import AddedLine, FileChange, Finding, Severity
from agenthook.sources.patch import parse_patch
from agenthook.targets import DEFAULT
from conftest import Repo, agenthook


def _text(text: str | None) -> str | None:
    return None if text is None else text if text.endswith("\n") else text + "\n"


def full_change(path: str, before: str | None, after: str) -> FileChange:
    """Full texts, with the added lines a diff of them shows."""
    old, new = _text(before), _text(after)
    assert new is not None
    lines = new.splitlines()
    matcher = difflib.SequenceMatcher(None, (old or "").splitlines(), lines, autojunk=False)
    added = [AddedLine(j + 1, lines[j]) for tag, _, _, j1, j2 in matcher.get_opcodes()
             if tag in ("insert", "replace") for j in range(j1, j2)]
    kind = DEFAULT.kind_of(path)
    assert kind is not None, path
    return FileChange(path=path, kind=kind, status="A" if old is None else "M", added=added,
                      new_lines={a.number: a.text for a in added}, old_text=old, new_text=new)


def patch_change(path: str, before: str | None, after: str) -> FileChange:
    """Only the unified diff, as `check-diff` reads it: no full texts."""
    old, new = _text(before), _text(after)
    assert new is not None
    diff = difflib.unified_diff((old or "").splitlines(True), new.splitlines(True),
                                "/dev/null" if old is None else f"a/{path}", f"b/{path}")
    (change,) = parse_patch("".join(diff), DEFAULT)
    return change


MODES = {"full": full_change, "patch": patch_change}


def scan(mode: str, path: str, before: str | None, after: str) -> list[Finding]:
    return engine.scan([MODES[mode](path, before, after)])


def blocking(findings: list[Finding]) -> set[str]:
    """Rule ids reported at the default threshold (high)."""
    return {f.rule.id for f in findings if f.severity >= Severity.HIGH}


@dataclass(frozen=True)
class Case:
    """A change and what it must produce: `blocks` the rule ids that must block
    (empty: the change must not block at all); `reports` rule ids that must be
    reported at any severity."""

    name: str
    path: str
    before: str | None
    after: str
    blocks: frozenset[str] = frozenset()
    reports: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return self.name


def case(name: str, path: str, before: str | None, after: str, blocks: tuple[str, ...] = (),
         reports: tuple[str, ...] = ()) -> Case:
    return Case(name, path, before, after, frozenset(blocks), frozenset(reports))


def check(mode: str, item: Case) -> list[Finding]:
    findings = scan(mode, item.path, item.before, item.after)
    found = blocking(findings)
    shown = [(f.rule.id, f.severity.label, f.line, f.detail) for f in findings]
    if item.blocks:
        assert item.blocks <= found, shown
    else:
        assert not found, shown
    assert item.reports <= {f.rule.id for f in findings}, shown
    return findings


def js(value: Any) -> str:
    """Settings as a team writes them: indented JSON."""
    return json.dumps(value, indent=2)


def commit_and_stage(repo: Repo, path: str, before: str | None, after: str) -> None:
    """Commit `before` at `path` (nothing when None), then stage `after` there."""
    repo.write("README.md", "seed\n")
    if before is not None:
        repo.write(path, before)
    repo.commit("before")
    repo.write(path, after)
    repo.git("add", "-A")


def staged_report(repo: Repo, path: str, before: str | None, after: str) -> dict[str, Any]:
    """Commit `before`, stage `after`, run the staged check as a hook does."""
    commit_and_stage(repo, path, before, after)
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    assert run.code in (0, 1), run.err
    report: dict[str, Any] = json.loads(run.out)
    assert report["blocked"] is (run.code == 1)
    return report


def staged_or_patch(repo: Repo, mode: str) -> dict[str, Any]:
    """The JSON report on what is staged: read by `check-diff --staged` (full
    texts) or, with mode "patch", from `git diff --cached` on standard input."""
    if mode == "staged":
        run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    else:
        patch = repo.git("diff", "--cached").encode("utf-8", "surrogateescape")
        run = agenthook("check-diff", "-", "--format", "json", cwd=repo.path, stdin=patch)
    assert run.code in (0, 1), run.err
    report: dict[str, Any] = json.loads(run.out)
    assert report["blocked"] is (run.code == 1)
    return report
