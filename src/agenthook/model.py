"""The records that flow from sources through rules to reports."""
from __future__ import annotations

import enum
from typing import NamedTuple

CATEGORIES: tuple[str, ...] = (
    "permission-expansion",
    "exfiltration",
    "tls-bypass",
    "raw-sql",
    "hidden-content",
    "prompt-injection",
    "destructive-command",
    "credential-access",
    "code-execution",
    "mcp-server",
    "insecure-guidance",
    "config-tamper",
)


class Severity(enum.IntEnum):
    """Ordered so that a threshold is a plain comparison."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r} (allowed: {allowed})") from None


class AddedLine(NamedTuple):
    """One line added by a change, numbered as in the new file."""

    number: int
    text: str


class FileChange:
    """One file of a change, as much of it as the source could see.

    `added` holds only the lines the change adds. `new_lines` holds every line of
    the new file the source showed (context and added), so that rules can read
    the surroundings of an added line even when the full texts are unknown.
    `old_lines` is the same for the old file (context and removed lines, by
    their old numbers), so that a removed settings entry can be placed in its
    list; `removed_at` maps each removed line's old number to the line of the
    new file where it stood (the line replacing it, or else the one before),
    where a report about its removal points.

    A plain slotted class, not a dataclass: sources fill it in place, and the
    commit hook's start-up cannot afford the dataclasses machinery.
    """

    __slots__ = ("path", "kind", "status", "added", "removed", "new_lines", "old_lines", "removed_at", "old_text",
                 "new_text", "old_path", "commit", "old_mode", "new_mode", "binary", "unreadable")

    def __init__(self, path: str, kind: str, status: str, added: list[AddedLine] | None = None,
                 removed: list[str] | None = None, new_lines: dict[int, str] | None = None,
                 old_lines: dict[int, str] | None = None, removed_at: dict[int, int] | None = None,
                 old_text: str | None = None, new_text: str | None = None, old_path: str | None = None,
                 commit: str | None = None, old_mode: str | None = None, new_mode: str | None = None,
                 binary: bool = False, unreadable: str = "") -> None:
        self.path = path
        self.kind = kind
        self.status = status  # "A" added, "M" modified, "D" deleted, "T" type changed
        self.added: list[AddedLine] = [] if added is None else added
        self.removed: list[str] = [] if removed is None else removed
        self.new_lines: dict[int, str] = {} if new_lines is None else new_lines
        self.old_lines: dict[int, str] = {} if old_lines is None else old_lines
        self.removed_at: dict[int, int] = {} if removed_at is None else removed_at
        self.old_text = old_text
        self.new_text = new_text
        self.old_path = old_path
        self.commit = commit
        self.old_mode = old_mode
        self.new_mode = new_mode
        self.binary = binary
        self.unreadable = unreadable  # why content the agent reads here could not be read (reported as AH1203)

    def __repr__(self) -> str:
        return f"FileChange({self.path!r}, {self.kind!r}, {self.status!r}, added={len(self.added)} lines)"

    @property
    def has_full_text(self) -> bool:
        return self.new_text is not None

    def file_lines(self) -> dict[int, str]:
        """The new file's lines by number, without line endings (a CRLF file's
        `\r` too, as patches give added lines; a `\r` inside a line stays):
        from the whole text when known, else the lines the source showed."""
        if self.new_text is not None:
            return {n: line[:-1] if line.endswith("\r") else line
                    for n, line in enumerate(self.new_text.split("\n"), start=1)}
        return dict(self.new_lines) or {a.number: a.text for a in self.added}

    @property
    def is_symlink(self) -> bool:
        return self.new_mode == "120000"

    @property
    def is_submodule(self) -> bool:
        return self.new_mode == "160000"


class Rule(NamedTuple):
    """A detector's identity and its documentation; the logic lives elsewhere."""

    id: str
    name: str
    category: str
    severity: Severity
    kinds: frozenset[str]
    summary: str
    why: str
    fix: str
    example: str = ""
    good_example: str = ""


class Finding(NamedTuple):
    rule: Rule
    path: str
    line: int
    text: str
    severity: Severity
    detail: str = ""
    commit: str | None = None
    match: str = ""  # the part of the line that matched: what suppressions key on
    removed: bool = False  # `text` is content the change removes (a deny rule, a guard), not an added line

    @property
    def message(self) -> str:
        return f"{self.detail} {self.rule.why}".strip() if self.detail else self.rule.why
