"""What is new in a settings file: the difference between its parsed before and
after states, each difference tied to its line in the new file.

When the source has only a patch (no full texts), the added lines are read as
fragments of the file instead: each one's key path is guessed from the lines
around it in its hunk, and the path is marked partial.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from agenthook.model import FileChange
from agenthook.structured import jsonloc

Path = tuple[Any, ...]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Delta:
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

    def dotted(self) -> str:
        return ".".join(self.keys)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def diff(old: Any, new: Any, lines: Mapping[Path, int], path: Path = ()) -> Iterator[Delta]:
    """Leaves of `new` that are not in `old`, and leaves of `old` that are gone."""
    line = lines.get(path, 1)
    if isinstance(new, dict):
        before = old if isinstance(old, dict) else {}
        for key, value in new.items():
            yield from diff(before.get(key, MISSING), value, lines, path + (key,))
        for key, value in before.items():
            if key not in new:
                yield from _removed(value, path + (key,), line)
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
                yield from diff(counterpart, value, lines, path + (index,))
        new_items = Counter(_canon(v) for v in new)
        for index, value in enumerate(before):
            canon = _canon(value)
            if new_items[canon]:
                new_items[canon] -= 1
            elif _is_scalar(value):
                yield Delta(path + (index,), value, MISSING, line)
    elif old is MISSING or type(old) is not type(new) or old != new:
        yield Delta(path, old, new, line)


def _removed(value: Any, path: Path, line: int) -> Iterator[Delta]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _removed(item, path + (key,), line)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _removed(item, path + (index,), line)
    else:
        yield Delta(path, value, MISSING, line)


def _fragment_key(text: str) -> str:
    return text.strip().rstrip(",").strip()


def fragment_deltas(change: FileChange) -> tuple[list[Delta], list[int]]:
    """Deltas read from the added lines of a patch; also the added lines that
    could not be read as JSON members (scanned as plain text instead)."""
    removed = Counter(_fragment_key(r) for r in change.removed)
    numbers = sorted(change.new_lines)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    run_of = {n: run for run in runs for n in run}
    deltas: list[Delta] = []
    unread: list[int] = []
    for added in change.added:
        key = _fragment_key(added.text)
        if removed[key]:
            removed[key] -= 1  # the same member, re-punctuated (a comma added after it)
            continue
        run = run_of.get(added.number, [added.number])
        texts = [change.new_lines.get(n, "") for n in run]
        member_key, value = jsonloc.line_member(added.text)
        if value is jsonloc.OPEN:
            continue
        if value is jsonloc.UNKNOWN:
            if key and key not in "{}[]":
                unread.append(added.number)
            continue
        path = jsonloc.guess_path(texts, run.index(added.number))
        deltas.append(Delta(tuple(path), MISSING, value, added.number, partial=True))
    return deltas, unread
