"""Changes to agenthook's own policy (`.agenthook.toml`, `[tool.agenthook]`).

The committed policy judges every change, so a change that loosens the policy
cannot excuse itself; it is reported all the same, so that whoever reviews it
sees the policy being loosened. Loosening is a higher threshold, rules or
categories disabled, allow entries added, widened or extended, watched paths
dropped, a looser `[server]` table, or a policy that no longer loads (it is
then ignored in favour of the committed one). Tightening is no finding.

With full texts both policies are parsed and compared. A patch shows only
hunks, so its added and removed lines are read one by one (`-threshold =
"medium"`, `+threshold = "critical"`), each in the table the visible lines put
it in; where the hunk hides the table, a line is read as policy, failing
closed.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from typing import Any

from agenthook import lazyre, policy as policies
from agenthook.errors import ConfigError
from agenthook.model import CATEGORIES, FileChange, Finding, Severity
from agenthook.rules import Catalogue
from agenthook.structured import tomlloc
from agenthook.suppress import squeeze

RULE = "AH1201"
_UNKNOWN = ("?",)  # a table the hunk does not show
_OTHER = ("-",)  # a pyproject table that is not [tool.agenthook]
_HEADER = lazyre.compile(r"\s*\[(\[?)([^\[\]#]+)\]\]?\s*(?:#.*)?")
_ARRAY_OPEN = lazyre.compile(r"\s*([A-Za-z0-9_-]+)\s*=\s*\[.*")
_KEY = lazyre.compile(r"\s*[A-Za-z0-9_.\"'-]+\s*=")
_GLOB = lazyre.compile(r"[*?\[]")
_NARROW_MATCH = 8


class _Entry:
    """An allow entry as one side shows it; in a patch, only its visible keys,
    filled in as the reader meets them."""

    __slots__ = ("line", "rule", "path", "match", "expires", "whole")

    def __init__(self, line: int, rule: str | None = None, path: str | None = None, match: str | None = None,
                 expires: datetime.date | None = None, whole: bool = True) -> None:
        self.line = line
        self.rule = rule
        self.path = path
        self.match = match
        self.expires = expires
        self.whole = whole  # its [[allow]] header is part of what this side shows

    def key(self) -> tuple[str | None, str | None, str | None]:
        return self.rule, self.path, None if self.match is None else squeeze(self.match)


class _Side:
    """What one side of a change says about the policy, with lines in the new file."""

    __slots__ = ("threshold", "disable", "paths", "allow", "server", "unchanged")

    def __init__(self) -> None:
        self.threshold: tuple[Severity, int] | None = None
        self.disable: dict[str, int] = {}
        self.paths: dict[str, int] = {}
        self.allow: list[_Entry] = []
        self.server: dict[str, tuple[Any, int]] = {}
        self.unchanged: dict[str, Any] = {}  # server settings a patch shows as context


_SERVER_DEFAULTS: dict[str, Any] = {"fail_open": False, "break_glass": False,
                                    "time_limit": policies.DEFAULT_TIME_LIMIT}


def _pyproject(change: FileChange) -> bool:
    return change.path.lower().rsplit("/", 1)[-1] == policies.PYPROJECT


def _line_text(change: FileChange, line: int) -> str:
    if change.new_text is not None:
        lines = change.new_text.split("\n")
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return change.new_lines.get(line, "").strip()


def _finding(catalogue: Catalogue, change: FileChange, line: int, detail: str,
             severity: Severity | None = None) -> Finding:
    rule = catalogue.rules[RULE]
    text = _line_text(change, line)
    return Finding(rule, change.path, line, text, severity or rule.severity, detail, change.commit, text)


# Full texts ---------------------------------------------------------------


def _full_side(text: str | None, change: FileChange) -> _Side:
    """The policy in one full text; raises ConfigError when it does not load."""
    side = _Side()
    pyproject = _pyproject(change)
    if text is None or (pyproject and "agenthook" not in text):
        return side
    loaded = policies.from_text(text, change.path, pyproject=pyproject)
    if loaded is None:
        return side
    lines = tomlloc.key_lines(text)
    prefix = policies.PYPROJECT_TABLE if pyproject else ()
    data = tomlloc.parse(text)
    table: Mapping[str, Any] = data["tool"]["agenthook"] if pyproject else data

    def line(*path: str | int) -> int:
        return lines.get(prefix + path) or lines.get(prefix) or 1

    if "threshold" in table:
        side.threshold = (loaded.threshold, line("threshold"))
    side.disable = {policies.rule_ref(v): line("disable", i) for i, v in enumerate(table.get("disable", []))}
    side.paths = {v.strip(): line("paths", i) for i, v in enumerate(table.get("paths", []))}
    side.allow = [_Entry(line("allow", i), e.rule, e.path, e.match, e.expires) for i, e in enumerate(loaded.allow)]
    for key in table.get("server", {}):
        name = policies.SERVER_KEYS[key]
        side.server[name] = (getattr(loaded, name), line("server", key))
    return side


# Patch hunks --------------------------------------------------------------

_STRINGS = lazyre.compile(r""" "(?:[^"\\\n]|\\.)*" | '[^'\n]*' """, re.VERBOSE)


def _code(line: str) -> str:
    """A line without its strings and comment: where brackets and `#` mean syntax."""
    return _STRINGS.sub('""', line).split("#", 1)[0]


def _table(name: str, pyproject: bool) -> tuple[str, ...]:
    parts = tuple(p.strip().strip("\"'") for p in name.split("."))
    if not pyproject:
        return parts
    return parts[2:] if parts[:2] == policies.PYPROJECT_TABLE else _OTHER


def _assignment(line: str) -> tuple[tuple[str, ...], Any] | None:
    """`key = value` (dotted keys split) on one line, or None for anything else."""
    try:
        data: Any = tomlloc.parse(line)
    except tomlloc.TomlError:
        return None
    keys: tuple[str, ...] = ()
    while isinstance(data, dict) and len(data) == 1:
        key, data = next(iter(data.items()))
        keys += (key,)
    return (keys, data) if keys and not isinstance(data, dict) else None


def _items(text: str) -> list[str]:
    """The strings of a line inside a multi-line array (`"a", "b",`)."""
    body = text.strip()
    if "]" in _code(body):
        body = body[:body.rindex("]")]
    try:
        value = tomlloc.parse(f"x = [\n{body}\n]")["x"]
    except tomlloc.TomlError:
        return []
    return [v for v in value if isinstance(v, str)]


class _Reader:
    """Reads the policy lines of one side of a patch in order, tracking the
    table and any open multi-line array."""

    def __init__(self, side: _Side, pyproject: bool, catalogue: Catalogue, table: tuple[str, ...]) -> None:
        self.side = side
        self.pyproject = pyproject
        self.catalogue = catalogue
        self.table = table
        self.array: str | None = None
        self.entry: _Entry | None = None
        self.invalid: list[tuple[int, str]] = []

    def is_ref(self, value: str) -> bool:
        ref = policies.rule_ref(value)
        return ref in CATEGORIES or self.catalogue.get(ref) is not None

    def restart(self, table: tuple[str, ...]) -> None:
        self.table, self.array, self.entry = table, None, None

    def read(self, number: int, text: str, record: bool) -> None:
        code = _code(text)
        if self.array is not None:
            if record:
                self.items(number, self.array, _items(text))
            if "]" in code:
                self.array = None
            return
        header = _HEADER.fullmatch(text)
        if header:
            self.restart(_table(header.group(2), self.pyproject))
            if self.table == ("allow",) and header.group(1):
                self.entry = _Entry(number, whole=record)
                if record:
                    self.side.allow.append(self.entry)
            return
        opening = _ARRAY_OPEN.fullmatch(code.rstrip())
        if opening and "]" not in code:
            self.array = opening.group(1)
            if record:
                self.items(number, self.array, _items(text[text.index("[") + 1:]))
            return
        if self.table == _OTHER:
            return
        if not record:
            assignment = _assignment(text)
            if self.table == ("server",) and assignment and assignment[0][-1] in policies.SERVER_KEYS:
                self.side.unchanged[policies.SERVER_KEYS[assignment[0][-1]]] = assignment[1]
            return
        assignment = _assignment(text)
        if assignment is not None:
            self.assign(number, *assignment)
        elif _KEY.match(text) and '"""' not in text and "'''" not in text:
            if not (self.pyproject and self.table == _UNKNOWN):
                self.invalid.append((number, f"line {number} is not valid TOML"))
        else:
            self.items(number, None, _items(text))

    def items(self, number: int, key: str | None, items: list[str]) -> None:
        """Strings added to (or removed from) `disable` or `paths`; with the array
        unseen, a string naming a rule is read as `disable`, another as `paths`."""
        if self.table not in ((), _UNKNOWN):
            return
        for item in items:
            if key == "disable" or (key is None and self.is_ref(item)):
                self.disable(number, item)
            elif key == "paths" or (key is None and not self.pyproject):
                self.side.paths[item.strip()] = number

    def disable(self, number: int, item: str) -> None:
        if self.is_ref(item):
            self.side.disable[policies.rule_ref(item)] = number
        elif not self.pyproject:
            self.invalid.append((number, f"`disable` names no rule or category: {item!r}"))

    def assign(self, number: int, keys: tuple[str, ...], value: Any) -> None:
        table, key = self.table, keys[-1]
        if table == _UNKNOWN:
            # Generic names (path, match) are read as an allow entry only in agenthook's own file.
            table = ("server",) if key in policies.SERVER_KEYS else (
                ("allow",) if key in policies.ALLOW_KEYS and not self.pyproject else ())
        table += keys[:-1]
        if table == () and key == "threshold" and isinstance(value, str):
            try:
                self.side.threshold = (Severity.parse(value), number)
            except ValueError as exc:
                if not (self.pyproject and self.table == _UNKNOWN):
                    self.invalid.append((number, f"`threshold`: {exc}"))
        elif table == () and key in ("disable", "paths") and isinstance(value, list):
            self.items(number, key, [v for v in value if isinstance(v, str)])
        elif table == ("server",) and key in policies.SERVER_KEYS:
            self.side.server[policies.SERVER_KEYS[key]] = (value, number)
        elif table == ("allow",) and key in ("rule", "path", "match", "expires"):
            if self.entry is None:
                self.entry = _Entry(number, whole=False)
            if self.entry not in self.side.allow:
                self.side.allow.append(self.entry)
            _set(self.entry, key, value)


def _set(entry: _Entry, key: str, value: Any) -> None:
    if key == "expires":
        if isinstance(value, datetime.date):
            entry.expires = value
        else:
            try:
                entry.expires = datetime.date.fromisoformat(str(value))
            except ValueError:
                entry.expires = None
    elif isinstance(value, str):
        entry.rule = policies.rule_ref(value) if key == "rule" else entry.rule
        entry.path = value.strip() if key == "path" else entry.path
        entry.match = value if key == "match" else entry.match


def _patch_sides(change: FileChange, catalogue: Catalogue, fallback: int) -> tuple[_Side, _Side, list[tuple[int, str]]]:
    """The new side from the added lines, read among the visible ones (a gap
    makes the table unknown); the old side from the removed lines, which a
    patch shows without their place, so their table is unknown unless every
    visible line is in another pyproject table."""
    pyproject = _pyproject(change)
    old, new = _Side(), _Side()
    after = _Reader(new, pyproject, catalogue, _OTHER if pyproject else ())
    added = {a.number for a in change.added}
    visible = {**change.new_lines, **{a.number: a.text for a in change.added}}
    previous, tables = 0, set()
    for number in sorted(visible):
        if number != previous + 1:
            after.restart(_UNKNOWN)
        after.read(number, visible[number], record=number in added)
        tables.add(after.table)
        previous = number
    before = _Reader(old, pyproject, catalogue, _OTHER if tables == {_OTHER} else _UNKNOWN)
    for text in change.removed:
        before.read(0, text, record=True)
    old.unchanged = new.unchanged  # context lines are on both sides
    # An expiry removed and not written again means the entry never expires.
    if any(e.expires for e in old.allow if not e.whole) and not any(e.expires for e in new.allow if not e.whole):
        new.allow.append(_Entry(fallback, whole=False))
    return old, new, after.invalid


# Comparison ---------------------------------------------------------------


def _covered(entry: _Entry, olds: list[_Entry]) -> bool:
    """An entry the old side already had, with an expiry no later than before."""
    return any(o.key() == entry.key() and (o.expires is None or (entry.expires is not None
                                                                  and entry.expires <= o.expires))
               for o in olds)


def _broad(entry: _Entry) -> str:
    """Why an allow entry excuses more than one reviewed finding, or "" when it is narrow."""
    if entry.rule is None or entry.path is None or entry.match is None:
        return "the patch does not show all of it"
    if entry.rule in CATEGORIES:
        return f"it accepts the whole {entry.rule} category"
    if _GLOB.search(entry.path):
        return f"its path {entry.path!r} is a glob"
    if len(squeeze(entry.match)) < _NARROW_MATCH:
        return f"its match {entry.match!r} is short enough to fit many lines"
    return ""


def _allow_detail(entry: _Entry, old: _Side) -> str:
    if any(o.key() == entry.key() for o in old.allow):
        until = entry.expires.isoformat() if entry.expires else "no end"
        return f"An [[allow]] entry is extended: it now applies until {until}."
    what = (f"{entry.rule + ' ' if entry.rule else ''}findings{f' in {entry.path}' if entry.path else ''}"
            f"{f' whose line contains {entry.match!r}' if entry.match else ''}")
    if entry.whole:
        return f"A new [[allow]] entry accepts {what}."
    return f"An [[allow]] entry is changed: it now accepts {what}."


def _compare(old: _Side, new: _Side, change: FileChange, catalogue: Catalogue, fallback: int) -> Iterator[Finding]:
    old_t = old.threshold[0] if old.threshold else policies.DEFAULT_THRESHOLD
    new_t, line = new.threshold or (policies.DEFAULT_THRESHOLD, fallback)
    if (old.threshold or new.threshold) and new_t > old_t:
        below = ", ".join(s.label for s in Severity if old_t <= s < new_t)
        yield _finding(catalogue, change, line, f"The blocking threshold goes from {old_t.label} to {new_t.label}: "
                                                f"{below} findings stop blocking.")
    for ref, line in new.disable.items():
        if ref not in old.disable:
            rule = catalogue.get(ref)
            what = f"every {ref} rule" if rule is None else f"{rule.id} {rule.name}"
            yield _finding(catalogue, change, line, f"`disable` gains {ref!r}: {what} stops running.")
    for glob in old.paths:
        if glob not in new.paths:
            yield _finding(catalogue, change, fallback,
                           f"`paths` loses {glob!r}: changes to files there are no longer checked.")
    for entry in new.allow:
        if not _covered(entry, old.allow):
            broad = _broad(entry)
            detail = _allow_detail(entry, old) + (f" It is broad: {broad}." if broad else "")
            yield _finding(catalogue, change, entry.line, detail, None if broad else Severity.MEDIUM)
    yield from _server(old, new, change, catalogue, fallback)


def _server(old: _Side, new: _Side, change: FileChange, catalogue: Catalogue, fallback: int) -> Iterator[Finding]:
    def value(side: _Side, name: str) -> Any:
        return side.server[name][0] if name in side.server else side.unchanged.get(name, _SERVER_DEFAULTS[name])

    def line(name: str) -> int:
        return new.server[name][1] if name in new.server else fallback

    for name, what in (("fail_open", "a push is let through when the check fails or runs out of time"),
                       ("break_glass", "a pusher can skip the check")):
        if value(new, name) is True and value(old, name) is not True:
            yield _finding(catalogue, change, line(name), f"[server] {name} turns on: {what}.")
    old_limit, new_limit = value(old, "time_limit"), value(new, "time_limit")
    if (value(new, "fail_open") is True and isinstance(new_limit, (int, float)) and isinstance(old_limit, (int, float))
            and new_limit < old_limit):
        yield _finding(catalogue, change, line("time_limit"),
                       f"[server] time_limit drops from {old_limit:g} to {new_limit:g} seconds while fail_open is "
                       f"on: more pushes go through unchecked.")


def analyze(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    """Findings for a change that loosens the policy in `change`; tightening passes."""
    if change.has_full_text or (change.status == "D" and change.old_text is not None):
        yield from _analyze_texts(change, catalogue)
    else:
        yield from _analyze_patch(change, catalogue)


def _analyze_texts(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    try:
        new = _full_side(change.new_text, change)
    except ConfigError as exc:
        yield _finding(catalogue, change, exc.line or 1,
                       f"The policy does not load, so the committed policy stays in force: {exc}.")
        return
    try:
        old = _full_side(change.old_text, change)
    except ConfigError:
        old = _Side()  # a broken policy was the defaults in force
    lines = tomlloc.key_lines(change.new_text or "")
    prefix = policies.PYPROJECT_TABLE if _pyproject(change) else ()
    fallback = lines.get(prefix + ("paths",)) or lines.get(prefix) or 1
    yield from _compare(old, new, change, catalogue, fallback)


def _analyze_patch(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    fallback = min([a.number for a in change.added] or change.new_lines or [1])
    old, new, invalid = _patch_sides(change, catalogue, fallback)
    for line, problem in invalid:
        yield _finding(catalogue, change, line,
                       f"The policy does not load, so the committed policy stays in force: {problem}.")
    if not invalid:
        yield from _compare(old, new, change, catalogue, fallback)
