"""The records that flow from sources through rules to reports."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class AddedLine:
    """One line added by a change, numbered as in the new file."""

    number: int
    text: str


@dataclass
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
    """

    path: str
    kind: str
    status: str  # "A" added, "M" modified, "D" deleted, "T" type changed
    added: list[AddedLine] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new_lines: dict[int, str] = field(default_factory=dict)
    old_lines: dict[int, str] = field(default_factory=dict)
    removed_at: dict[int, int] = field(default_factory=dict)
    old_text: str | None = None
    new_text: str | None = None
    old_path: str | None = None
    commit: str | None = None
    old_mode: str | None = None
    new_mode: str | None = None
    binary: bool = False
    unreadable: str = ""  # why content the agent reads here could not be read (reported as AH1203)

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


@dataclass(frozen=True)
class Rule:
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


@dataclass(frozen=True)
class Finding:
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
