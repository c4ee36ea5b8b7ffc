"""Agent files whose content is not plain added text: symlinks, submodules,
binary or unreadable content. Each hides what the agent will read from the
diff a reviewer sees, so each is a finding in its own right."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from agenthook.model import FileChange, Finding, Severity
from agenthook.rules import Catalogue
from agenthook.targets import DEFAULT

SYMLINK = "AH1204"
SUBMODULE = "AH1205"
UNSCANNABLE = "AH1203"
STOPS = frozenset({SYMLINK, SUBMODULE, UNSCANNABLE})


def _finding(catalogue: Catalogue, rule_id: str, change: FileChange, text: str, severity: Severity | None = None,
             detail: str = "") -> Finding:
    rule = catalogue.rules[rule_id]
    return Finding(rule, change.path, 1, text, severity or rule.severity, detail, change.commit)


def link_target(change: FileChange) -> str | None:
    """Where a symlink at an agent path leads, relative to the repository root,
    or None when it leads outside the repository."""
    target = change.added[0].text if change.added else (change.new_text or "")
    if target.startswith("/"):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(change.path), target))
    if resolved.startswith("../") or resolved == "..":
        return None
    return resolved


def check(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    if change.is_submodule:
        yield _finding(catalogue, SUBMODULE, change, change.added[0].text if change.added else "")
    elif change.is_symlink:
        text = change.added[0].text if change.added else (change.new_text or "")
        resolved = link_target(change)
        if resolved is not None and DEFAULT.kind_of(resolved) is not None:
            return  # e.g. CLAUDE.md -> AGENTS.md: the target is itself watched and scanned
        where = "outside the repository" if resolved is None else f"to `{resolved}`, a file agenthook does not watch"
        yield _finding(catalogue, SYMLINK, change, text, detail=f"The link leads {where}.")
    elif change.binary and not change.added:
        yield _finding(catalogue, UNSCANNABLE, change, "(binary content)")
    elif any("\0" in a.text for a in change.added):
        line = next(a for a in change.added if "\0" in a.text)
        yield Finding(catalogue.rules[UNSCANNABLE], change.path, line.number, line.text,
                      catalogue.rules[UNSCANNABLE].severity, "The added text contains NUL bytes.", change.commit)
