"""A settings file's change as the analyzers read it: the deltas, the parsed
states they came from, and the way back from a path to its line."""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from agenthook.model import FileChange, Finding, Severity
from agenthook.rules import Catalogue
from agenthook.structured.delta import MISSING, Delta, Path


class Doc:
    """`new` is the parsed after-state, or in patch mode the partial tree of
    the visible lines; `old` is the before-state, MISSING when the file is new
    or only a patch is known (then `partial` is true and paths may lack the
    keys above a hunk's first line). Indexes over it are built on first use."""

    def __init__(self, change: FileChange, catalogue: Catalogue, deltas: list[Delta], old: Any, new: Any,
                 lines: Mapping[Path, int], partial: bool = False, added_lines: frozenset[int] = frozenset()) -> None:
        self.change = change
        self.catalogue = catalogue
        self.deltas = deltas
        self.old = old
        self.new = new
        self.lines = lines
        self.partial = partial
        self.added_lines = added_lines

    @property
    def basename(self) -> str:
        return self.change.path.rsplit("/", 1)[-1].lower()

    def at(self, path: Path, tree: Any = MISSING) -> Any:
        """The value at `path` in the new tree (or in `tree`); MISSING if absent."""
        node = self.new if tree is MISSING else tree
        for part in path:
            if isinstance(node, dict) and not isinstance(part, int) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return MISSING
        return node

    def before(self, path: Path) -> Any:
        return MISSING if self.old is MISSING else self.at(path, self.old)

    def line(self, path: Path, default: int = 1) -> int:
        """The line of `path`, or of its nearest ancestor the map knows."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return default

    @functools.cached_property
    def _member_lines(self) -> dict[Path, set[int]]:
        index: dict[Path, set[int]] = {}
        for path, line in self.lines.items():
            for end in range(len(path)):
                index.setdefault(path[:end], set()).add(line)
        return index

    def member_lines(self, path: Path) -> set[int]:
        """The lines of everything inside the container at `path`."""
        return self._member_lines.get(path, set())

    def is_added(self, path: Path) -> bool:
        """In patch mode: whether the line of `path` is one the patch adds."""
        return path in self.lines and self.lines[path] in self.added_lines

    @property
    def _deleted(self) -> bool:
        return self.change.status == "D"

    @functools.cached_property
    def _text_lines(self) -> list[str]:
        """The file the lines count in: the new one, or the old one of a deleted file."""
        text = self.change.old_text if self._deleted else self.change.new_text
        return text.split("\n") if text is not None else []

    def text(self, line: int) -> str:
        if 0 < line <= len(self._text_lines):
            return self._text_lines[line - 1].strip()
        return (self.change.old_lines if self._deleted else self.change.new_lines).get(line, "").strip()

    def finding(self, rule_id: str, line: int, detail: str, severity: Severity | None = None,
                match: str = "", removed: str | None = None) -> Finding:
        """A finding at `line`; with `removed`, about that removed content
        (shown as removed), since the line it points to is not what is wrong."""
        rule = self.catalogue.rules[rule_id]
        text = self.text(line) if removed is None else removed
        return Finding(rule, self.change.path, line, text, severity or rule.severity, detail,
                       self.change.commit, match, removed is not None)


def shown(value: object, key: str | None = None) -> str:
    """A removed value as its settings file wrote it (`"Bash(rm:*)"`, `"key": true`)."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, bool, int, float)) or value is None \
        else str(value)
    return f"{json.dumps(key, ensure_ascii=False)}: {text}" if key is not None else text


def lower(severity: Severity) -> Severity:
    """One step down, not below low."""
    return Severity(max(Severity.LOW, severity - 1))
