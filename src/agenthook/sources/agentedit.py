"""An agent's edit of a file, before it is written: the file as it is on disk
and as the edit would leave it, turned into the change every rule reads.

A coding agent's hook hands over a tool call, not a diff: a whole new content
(a write), or replacements of exact strings (an edit). This module applies
such an edit to the text on disk, in memory, and describes the difference as
git would: the same added and removed lines, the same full texts, so a change
judged here is judged exactly as the commit of that change would be. Nothing
is written; an edit that cannot be applied is an `EditError` that says why.
"""
from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Sequence
from typing import NamedTuple

from agenthook.errors import AgenthookError
from agenthook.model import FileChange
from agenthook.sources.gitsource import MAX_TEXT, referenced
from agenthook.sources.patch import parse_patch
from agenthook.targets import Targets

# The part that differs is aligned line by line only while the product of its
# old and new line counts stays below this (difflib's matching can cost that
# product); past it, every line of the new part counts as added, which judges
# more than the edit adds, never less. Agent files of a few hundred lines, and
# edits of any file, stay well below it.
MAX_ALIGNED = 250_000
_PLACEHOLDER = "agent-edit"  # the path the synthesized diff names; the real one is set after parsing


class EditError(AgenthookError):
    """The edit cannot be judged: the string it replaces is not in the file, the
    file cannot be read, or the result is too large to read."""


class Replacement(NamedTuple):
    """One exact-string replacement of an edit tool."""

    old: str
    new: str
    every: bool = False  # every occurrence, not only the first


def read_before(path: str) -> str | None:
    """The file's text as the agent would find it; None when there is no file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a directory, or a pipe that would hold the read forever
            raise EditError(f"{path} is not a regular file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_TEXT + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EditError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_TEXT:
        raise EditError(f"{path} is larger than {MAX_TEXT // (1024 * 1024)} MiB, more than agenthook reads")
    return data.decode("utf-8", "surrogateescape")


def apply(before: str | None, replacements: Sequence[Replacement], shown: str) -> str:
    """The text after each replacement in turn, as edit tools apply them. An
    empty `old` creates the file (it must not exist yet, or be empty)."""
    text = before or ""
    for number, r in enumerate(replacements, start=1):
        which = f"edit {number} of {len(replacements)}" if len(replacements) > 1 else "the edit"
        if r.old == "":
            if text:
                raise EditError(f"{which} of {shown} replaces an empty string in a file that is not empty")
            text = r.new
        elif r.old not in text:
            raise EditError(f"the text {which} of {shown} replaces is not in the file")
        elif not r.every and text.count(r.old) > 1:
            # The tool refuses such an edit, or (Gemini CLI's replace) rewrites it into one
            # that no longer matches what was judged.
            raise EditError(f"the text {which} of {shown} replaces occurs {text.count(r.old)} times in the file, "
                            "not once")
        else:
            text = text.replace(r.old, r.new) if r.every else text.replace(r.old, r.new, 1)
    return text


def _diff_lines(old: list[str], new: list[str]) -> list[str]:
    """A unified diff of two line lists (lines keep their endings), bounded:
    the common head and tail are cut off first, and a middle too long to align
    counts as replaced whole."""
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    mid_old, mid_new = old[head:len(old) - tail], new[head:len(new) - tail]
    if len(mid_old) * len(mid_new) > MAX_ALIGNED:
        opcodes = [("replace", 0, len(mid_old), 0, len(mid_new))]
    else:
        opcodes = difflib.SequenceMatcher(None, mid_old, mid_new, autojunk=False).get_opcodes()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        # One hunk per difference, without context: the rules read the full texts for surroundings.
        out.append(_hunk_header(head + i1, i2 - i1, head + j1, j2 - j1))
        out += ["-" + _ended(line) for line in mid_old[i1:i2]]
        out += ["+" + _ended(line) for line in mid_new[j1:j2]]
    return out


def _hunk_header(old_start: int, old_count: int, new_start: int, new_count: int) -> str:
    """`@@ -a,b +c,d @@` with git's numbering: 1-based, and a side without
    lines numbered by the line before it."""
    return f"@@ -{old_start + (1 if old_count else 0)},{old_count} +{new_start + (1 if new_count else 0)},{new_count} @@\n"


def _lines(text: str) -> list[str]:
    """Lines as git splits them: at `\n` only (a `\r` or form feed inside a line stays)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _ended(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def change(rel: str, kind: str, before: str | None, after: str) -> FileChange | None:
    """The change from `before` (None: no file) to `after` at `rel`, as a
    commit of it would show; None when the edit changes nothing."""
    if before == after:
        return None
    old_lines, new_lines = _lines(before or ""), _lines(after)
    header = [f"diff --git a/{_PLACEHOLDER} b/{_PLACEHOLDER}\n"]
    if before is None:
        header += ["new file mode 100644\n", "--- /dev/null\n"]
    else:
        header += ["--- a/" + _PLACEHOLDER + "\n"]
    header += ["+++ b/" + _PLACEHOLDER + "\n"]
    body = _diff_lines(old_lines, new_lines)
    parsed = parse_patch("".join(header + body) if body else "".join(header), Targets([(_PLACEHOLDER, kind)]))
    if not parsed:
        return None
    result = parsed[0]
    result.path = rel
    result.kind = kind
    result.status = "A" if before is None else "M"
    result.old_path = None if before is None else rel
    result.old_mode = None if before is None else "100644"
    result.new_mode = "100644"
    result.old_text = before
    result.new_text = after
    return result


def changes(rel: str, kind: str, before: str | None, after: str, root: str) -> list[FileChange]:
    """The change, plus what it newly puts in front of the agent without
    showing it (files it imports, scripts its hooks run), read from `root`."""
    from agenthook.sources.files import _worktree_reader  # noqa: PLC0415 - the same reading of the working tree

    found = change(rel, kind, before, after)
    if found is None:
        return []
    return referenced([found], lambda commit: _worktree_reader(root))
