"""What is new in a settings file: the difference between its parsed before and
after states, each difference tied to its line in the new file.

When the source has only a patch (no full texts), the lines the patch shows
(context and added) are read as fragments of the file instead: each member's
key path is guessed from the lines around it in its hunk and the visible
members are assembled into a partial tree, so that an analyzer can read a
server's `command` next to the `args` line that changed. Such paths are
partial: they may lack the keys above the first line the hunk shows.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from agenthook import lazyre
from agenthook.model import FileChange
from agenthook.structured import jsonloc

Path = tuple[Any, ...]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Delta(NamedTuple):
    """One leaf that is new, changed or removed."""

    path: Path
    old: Any
    new: Any
    line: int
    partial: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p for p in self.path if isinstance(p, str))

    @property
    def key(self) -> str | None:
        return self.keys[-1] if self.keys else None

    @property
    def parent(self) -> tuple[str, ...]:
        """The keys of the containers holding the leaf (array positions dropped)."""
        return self.keys[:-1] if self.path and isinstance(self.path[-1], str) else self.keys

    @property
    def added(self) -> bool:
        return self.new is not MISSING

    @property
    def removed(self) -> bool:
        return self.new is MISSING

    def under(self, *wanted: str) -> bool:
        """Whether the leaf sits under the key path `wanted` (array indices ignored).

        A partial path (from a fragment) matches when what is known of it agrees
        with `wanted`; an empty known path agrees with everything.
        """
        keys = self.keys
        if self.partial:
            n = min(len(keys), len(wanted))
            return keys[:n] == wanted[len(wanted) - n:] if n else True
        return keys[:len(wanted)] == wanted

    def within(self, *wanted: str) -> bool:
        """Whether the leaf sits directly in the container at key path `wanted`.

        For a partial path what is known of the parent must end `wanted`; a leaf
        whose parent the hunk does not show agrees with every container.
        """
        parent = self.parent
        if self.partial:
            return len(parent) <= len(wanted) and parent == wanted[len(wanted) - len(parent):]
        return parent == wanted

    def in_list(self, *wanted: str) -> bool:
        """Whether the leaf is an element of the array at key path `wanted`
        (with `within`'s allowance for a partial path)."""
        return bool(self.path) and isinstance(self.path[-1], int) and self.within(*wanted)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def diff(old: Any, new: Any, lines: Mapping[Path, int], path: Path = (),
         old_lines: Mapping[Path, int] | None = None) -> Iterator[Delta]:
    """Leaves of `new` that are not in `old`, and leaves of `old` that are gone.

    A new or changed leaf is placed at its line in the new file, a removed one
    at its container's line there; given `old_lines` (a deleted file, which
    has no new line to point at), a removed leaf is placed at its own line in
    the old file."""
    line = lines.get(path, 1)
    if isinstance(new, dict):
        before = old if isinstance(old, dict) else {}
        for key, value in new.items():
            yield from diff(before.get(key, MISSING), value, lines, path + (key,), old_lines)
        for key, value in before.items():
            if key not in new:
                yield from _removed(value, path + (key,), line, old_lines)
    elif isinstance(new, list):
        before = old if isinstance(old, list) else []
        known = Counter(_canon(v) for v in before)
        for index, value in enumerate(new):
            canon = _canon(value)
            if known[canon]:
                known[canon] -= 1
                continue
            if _is_scalar(value):
                yield Delta(path + (index,), MISSING, value, lines.get(path + (index,), line))
            else:
                counterpart = before[index] if index < len(before) and type(before[index]) is type(value) else MISSING
                yield from diff(counterpart, value, lines, path + (index,), old_lines)
        new_items = Counter(_canon(v) for v in new)
        for index, value in enumerate(before):
            canon = _canon(value)
            if new_items[canon]:
                new_items[canon] -= 1
            else:
                yield from _removed(value, path + (index,), line, old_lines)
    elif old is MISSING or type(old) is not type(new) or old != new:
        yield Delta(path, old, new, line)


def _removed(value: Any, path: Path, line: int, old_lines: Mapping[Path, int] | None) -> Iterator[Delta]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _removed(item, path + (key,), line, old_lines)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _removed(item, path + (index,), line, old_lines)
    else:
        yield Delta(path, value, MISSING, line if old_lines is None else _nearest(old_lines, path))


def _nearest(lines: Mapping[Path, int], path: Path) -> int:
    """The line of `path`, or of its nearest ancestor the map knows (a TOML
    map has no lines for array elements)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


# ---------------------------------------------------------------------------
# Patches: the visible lines read as fragments of the file


class Fragments(NamedTuple):
    """What a patch shows of a settings file.

    `tree` holds every member on a visible line at its (partial) path, with
    array positions counted from the first element the hunk shows; `lines`
    maps those paths to lines; `deltas` are the members on added lines,
    and those on removed lines whose container the hunk names; `unread` the
    added lines that are not members (scanned as plain text).
    """

    added_lines: frozenset[int]
    tree: dict[Any, Any]
    lines: dict[Path, int]
    deltas: list[Delta]
    unread: list[int]


def _runs(lines: Mapping[int, str]) -> list[list[int]]:
    """Runs of consecutive visible line numbers (one per hunk, roughly)."""
    runs: list[list[int]] = []
    for n in sorted(lines):
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _place(tree: dict[Any, Any], path: Path, value: Any) -> None:
    """Sets `value` at `path`, creating the containers on the way."""
    if not path:
        if isinstance(value, dict):
            tree.update(value)
        return
    node: Any = tree
    for index, part in enumerate(path[:-1]):
        child_is_list = isinstance(path[index + 1], int)
        if isinstance(node, dict):
            if not isinstance(node.get(part), (dict, list)) or isinstance(node[part], list) != child_is_list:
                node[part] = [] if child_is_list else {}
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int):
            while len(node) <= part:
                node.append([] if child_is_list else {})
            if not isinstance(node[part], (dict, list)):
                node[part] = [] if child_is_list else {}
            node = node[part]
        else:
            return
    last = path[-1] if path else None
    if isinstance(node, dict) and last is not None and not isinstance(last, int):
        if not (isinstance(value, (dict, list)) and isinstance(node.get(last), type(value))):
            node[last] = value
    elif isinstance(node, list) and isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        if not (isinstance(value, (dict, list)) and isinstance(node[last], type(value))):
            node[last] = value


class _Indexer:
    """Gives the array positions a guessed path leaves open (None) numbers: a
    line that starts an element takes the next position of its array; a member
    inside an element belongs to the array's latest element."""

    def __init__(self) -> None:
        self.count: dict[Path, int] = {}

    def concrete(self, guessed: tuple[Any, ...]) -> Path:
        path: Path = ()
        for index, part in enumerate(guessed):
            if part is None:
                if index == len(guessed) - 1:
                    self.count[path] = self.count.get(path, -1) + 1
                part = max(self.count.setdefault(path, 0), 0)
            path += (part,)
        return path


def json_fragments(change: FileChange) -> Fragments:
    added = {a.number for a in change.added}
    removed = Counter(_fragment_key(r) for r in change.removed)
    frags = Fragments(frozenset(added), {}, {}, [], [])
    for run in _runs(change.new_lines):
        texts = [change.new_lines.get(n, "") for n in run]
        indexer = _Indexer()
        for index, number in enumerate(run):
            text = texts[index]
            _, value = jsonloc.line_member(text)
            if value is jsonloc.UNKNOWN:
                key = _fragment_key(text)
                if number in added and key and key not in "{}[]":
                    frags.unread.append(number)
                continue
            guessed = jsonloc.guess_path(texts, index)
            if not guessed:
                continue
            path = () if _is_root(run, texts, index, guessed) else indexer.concrete(guessed)
            frags.lines.setdefault(path, number)
            if value is jsonloc.OPEN:
                _place(frags.tree, path, {} if text.rfind("{") > text.rfind("[") else [])
                continue
            _place(frags.tree, path, value)
            leaves = list(_leaves(value, path))
            for leaf_path, _ in leaves:
                frags.lines.setdefault(leaf_path, number)
            if number not in added:
                continue
            key = _fragment_key(text)
            if removed[key]:
                removed[key] -= 1  # the same member, re-punctuated (a comma added after it)
                continue
            frags.deltas.extend(Delta(p, MISSING, leaf, number, partial=True) for p, leaf in leaves)
    frags.deltas.extend(_removed_members(change))
    return frags


def _removed_members(change: FileChange) -> Iterator[Delta]:
    """Members on removed lines, read in the old file's hunk lines (context and
    removed) as added ones are in the new file's, placed at the new line they
    followed. Only a member whose key or list the hunk names is one: a bare
    string under a list opened above the hunk may be an allow rule as well as
    a deny rule. A member the change adds again (moved, or re-punctuated) is
    not removed."""
    again = Counter(_fragment_key(a.text) for a in change.added)
    for run in _runs(change.old_lines):
        texts = [change.old_lines[n] for n in run]
        indexer = _Indexer()
        for index, number in enumerate(run):
            _, value = jsonloc.line_member(texts[index])
            guessed = jsonloc.guess_path(texts, index) if value is not jsonloc.UNKNOWN else ()
            if not guessed or _is_root(run, texts, index, guessed):
                continue
            path = indexer.concrete(guessed)
            if number not in change.removed_at or value is jsonloc.OPEN:
                continue
            key = _fragment_key(texts[index])
            if again[key]:
                again[key] -= 1
                continue
            for leaf_path, leaf in _leaves(value, path):
                if any(isinstance(p, str) for p in leaf_path):
                    yield Delta(leaf_path, leaf, MISSING, change.removed_at[number], partial=True)


def _is_root(run: list[int], texts: list[str], index: int, guessed: tuple[Any, ...]) -> bool:
    """The file's top-level value: the first member line of the file itself."""
    return guessed == (None,) and run[0] == 1 and all(
        not t.strip() or t.strip().startswith("//") for t in texts[:index])


def _leaves(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    """The scalar leaves of a value written on one line (`"args": ["-y", "x"]`)."""
    stack = [(path, value)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((at + (k,), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((at + (i,), v) for i, v in reversed(list(enumerate(item))))
        else:
            yield at, item


def _fragment_key(text: str) -> str:
    return text.strip().rstrip(",").strip()


# TOML: a table header sets the path of the keys below it; a value may span
# lines (arrays), so a statement is read until it parses.
_TOML_HEADER = lazyre.compile(r"^\s*\[\[?\s*([^\]\n]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = lazyre.compile(r"^\s*([A-Za-z0-9_.\"' -]+?)\s*=")
_MAX_STATEMENT_LINES = 50


def _toml_loads(text: str) -> dict[str, Any]:
    """tomllib.loads, imported on first use: most changes hold no TOML. Its
    TOMLDecodeError is a ValueError; deep nesting exhausts its recursion."""
    if sys.version_info >= (3, 11):
        import tomllib as toml  # noqa: PLC0415
    else:  # pragma: no cover - only older interpreters
        import tomli as toml  # noqa: PLC0415
    return toml.loads(text)


def _toml_key_parts(text: str) -> tuple[str, ...] | None:
    try:
        parsed = _toml_loads(f"{text} = 0")
    except (ValueError, RecursionError):
        return None
    parts: list[str] = []
    node: Any = parsed
    while isinstance(node, dict) and len(node) == 1:
        key = next(iter(node))
        parts.append(key)
        node = node[key]
    return tuple(parts)


def toml_fragments(change: FileChange) -> Fragments:
    added = {a.number for a in change.added}
    frags = Fragments(frozenset(added), {}, {}, [], [])
    for run in _runs(change.new_lines):
        table: tuple[str, ...] = ()
        index = 0
        while index < len(run):
            number = run[index]
            text = change.new_lines.get(number, "")
            header = _TOML_HEADER.match(text)
            if header and not _TOML_KEY.match(text):
                table = _toml_key_parts(header.group(1)) or table
                frags.lines.setdefault(table, number)
                index += 1
                continue
            key = _TOML_KEY.match(text)
            if not key:
                if number in added and text.strip() and not text.strip().startswith("#"):
                    frags.unread.append(number)
                index += 1
                continue
            statement, used = _toml_statement(change, run, index)
            if statement is None:
                frags.unread.extend(n for n in run[index:index + used] if n in added)
                index += used
                continue
            span = run[index:index + used]
            at = 0
            for leaf_path, leaf in _leaves(statement, table):
                at = _line_of_leaf(change, span, at, leaf)
                frags.lines.setdefault(leaf_path, span[at])
                _place(frags.tree, leaf_path, leaf)
                if span[at] in added:
                    frags.deltas.append(Delta(leaf_path, MISSING, leaf, span[at], partial=True))
            index += used
    return frags


def _toml_statement(change: FileChange, run: list[int], start: int) -> tuple[dict[str, Any] | None, int]:
    """The key/value statement starting at run[start], and how many lines it
    takes (or how many were tried). Lines are added only while brackets or
    multi-line strings are left open, so each line is read a bounded number of
    times."""
    text = ""
    used = 0
    while used < min(_MAX_STATEMENT_LINES, len(run) - start):
        text += change.new_lines.get(run[start + used], "") + "\n"
        used += 1
        try:
            return _toml_loads(text), used
        except (ValueError, RecursionError):
            if not _toml_open(text):
                break
    return None, used


def _line_of_leaf(change: FileChange, span: list[int], start: int, leaf: Any) -> int:
    """Where in a multi-line statement a leaf is written: the first line from
    `start` on that shows it (leaves come in the order they are written)."""
    shown = json.dumps(leaf, ensure_ascii=False) if isinstance(leaf, str) else str(leaf).lower() if isinstance(leaf, bool) else str(leaf)
    for offset in range(start, len(span)):
        text = change.new_lines.get(span[offset], "")
        if shown in text or (isinstance(leaf, str) and f"'{leaf}'" in text):
            return offset
    return start


def _toml_open(text: str) -> bool:
    """Whether a statement has an unclosed array, inline table or multi-line string."""
    return (text.count("[") + text.count("{") > text.count("]") + text.count("}")
            or text.count('"""') % 2 == 1 or text.count("'''") % 2 == 1)
