"""Accepted findings: disabled rules, `[[allow]]` entries and inline comments.

Suppressions key on content, never on line numbers: an entry names a rule, a
path glob and a piece of the finding's line, so moving an excused line keeps
it excused and inserting lines above a new finding cannot hide it. Nothing a
change adds can excuse that change: allow entries come from the trusted
policy, and an inline comment the same run adds is ignored.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from agenthook import lazyre
from agenthook.model import FileChange, Finding
from agenthook.normalize import normalize
from agenthook.policy import AllowEntry, Policy, refers_to, rule_ref
from agenthook.targets import MARKDOWN_KINDS, Targets

DISABLED, ALLOWED, INLINE = "disabled", "allow", "inline"
_MARKER = "agenthook:"
# The body of `<!-- agenthook: allow AH201[, AH202] reason -->`.
_INLINE = lazyre.compile(r"\s*agenthook:\s*allow\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)\s*(.*)", re.DOTALL)
_MAX_COMMENTS = 16


class Suppression(NamedTuple):
    """A finding that does not count, and what excused it."""

    finding: Finding
    kind: str  # DISABLED, ALLOWED or INLINE
    reason: str
    origin: str  # where the suppression is written


class Expired(NamedTuple):
    """A finding an allow entry would have excused had it not expired."""

    finding: Finding
    entry: AllowEntry


class Verdict(NamedTuple):
    findings: list[Finding]
    suppressed: list[Suppression]
    unused_allow: list[AllowEntry]
    expired: list[Expired]


def squeeze(text: str) -> str:
    """Text as suppressions compare it: what a model reads, whitespace runs as one space."""
    return " ".join(normalize(text).split())


class _Comment(NamedTuple):
    rules: tuple[str, ...]
    reason: str


def inline_comments(line: str) -> Iterator[_Comment]:
    """`<!-- agenthook: allow RULE[, RULE] reason -->` comments on one line; one without a reason is none."""
    pos = 0
    for _ in range(_MAX_COMMENTS):
        start = line.find("<!--", pos)
        if start < 0:
            return
        end = line.find("-->", start + 4)
        if end < 0:
            return
        match = _INLINE.fullmatch(line, start + 4, end)
        if match and match.group(2).strip():
            yield _Comment(tuple(rule_ref(r) for r in match.group(1).split(",")), match.group(2).strip())
        pos = end + 3


def _fresh_comments(change: FileChange) -> dict[int, str]:
    """The comment lines a change adds, by line: added and not merely moved
    (a line removed and added again in one change is the same line)."""
    moved = set(change.removed)
    return {a.number: a.text for a in change.added if _MARKER in a.text and a.text not in moved}


class _Inline:
    """Inline allow comments of instruction files, on a finding's line or the
    one before, unless the change adds them or another commit of the same
    run does."""

    def __init__(self, changes: Sequence[FileChange]) -> None:
        self.changes = {(c.commit, c.path): c for c in changes if c.kind in MARKDOWN_KINDS}
        self.fresh = {key: _fresh_comments(c) for key, c in self.changes.items()}
        self.lines: dict[tuple[str | None, str], dict[int, str]] = {}

    def _added_elsewhere(self, key: tuple[str | None, str], text: str) -> bool:
        return any(other[1] == key[1] and other != key and text in fresh.values()
                   for other, fresh in self.fresh.items())

    def excuse(self, finding: Finding) -> Suppression | None:
        key = (finding.commit, finding.path)
        change = self.changes.get(key)
        if change is None:
            return None
        if key not in self.lines:  # once per file, not per finding
            self.lines[key] = change.file_lines()
        lines = self.lines[key]
        for number in (finding.line, finding.line - 1):
            text = lines.get(number, "")
            if _MARKER not in text or number in self.fresh[key] or self._added_elsewhere(key, text):
                continue
            for comment in inline_comments(text):
                if any(refers_to(ref, finding.rule) for ref in comment.rules):
                    return Suppression(finding, INLINE, comment.reason, f"{finding.path}:{number}")
        return None


class _Entries:
    def __init__(self, entries: Sequence[AllowEntry]) -> None:
        # A match that normalizes to nothing (only invisible characters) would match every line.
        self.entries = [(e, Targets(((e.path, "allow"),)), squeeze(e.match)) for e in entries if squeeze(e.match)]

    def matching(self, finding: Finding) -> Iterator[AllowEntry]:
        text, matched = squeeze(finding.text), squeeze(finding.match)
        for entry, glob, match in self.entries:
            if (refers_to(entry.rule, finding.rule) and glob.kind_of(finding.path) is not None
                    and (match in text or match in matched)):
                yield entry


def apply(findings: Iterable[Finding], changes: Sequence[FileChange], policy: Policy,
          today: datetime.date | None = None) -> Verdict:
    """Split findings into those that count and those the policy or an inline comment excuses."""
    today = today or datetime.date.today()
    entries = _Entries(policy.allow)
    inline = _Inline(changes)
    counted: list[Finding] = []
    suppressed: list[Suppression] = []
    expired: list[Expired] = []
    used: set[AllowEntry] = set()
    for finding in findings:
        if policy.disables(finding.rule):
            suppressed.append(Suppression(finding, DISABLED, "disabled by the policy", policy.source("disable")))
            continue
        matching = list(entries.matching(finding))
        live = [e for e in matching if not e.expired(today)]
        if live:
            used.add(live[0])
            suppressed.append(Suppression(finding, ALLOWED, live[0].reason, live[0].origin))
            continue
        excuse = inline.excuse(finding)
        if excuse is not None:
            suppressed.append(excuse)
            continue
        counted.append(finding)
        expired += [Expired(finding, e) for e in matching]
    return Verdict(counted, suppressed, [e for e in policy.allow if e not in used], expired)
