"""Unified diffs, from git or from anywhere, turned into FileChanges.

The patch is decoded with surrogateescape, so no byte can abort the parse and
fail open, and split only on "\\n", so a lone "\\r" or U+2028 cannot cut a line
short and hide its end. Sections for files that are not agent configuration
are skipped before any hunk is parsed: the cost follows the agent-config part
of the patch, not the size of the patch.
"""
from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Iterator

import unidiff
from unidiff.errors import UnidiffParseError

from agenthook import lazyre
from agenthook.errors import AgenthookError
from agenthook.model import AddedLine, FileChange
from agenthook.policy import PYPROJECT
from agenthook.targets import STRUCTURED_KINDS, Targets

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}
_MODE = lazyre.compile(r"^(new file mode|deleted file mode|new mode|old mode) ([0-7]{6})$")
_INDEX = lazyre.compile(r"^index [0-9a-f]+\.\.[0-9a-f]+(?: ([0-7]{6}))?$")
# `rename from X` / `copy to Y`: git's own, unambiguous, C-quoted paths of a move.
_MOVE = lazyre.compile(r"^(rename|copy) (from|to) (.+)$")


class PatchError(AgenthookError):
    """The input is not a unified diff agenthook can read."""


def unquote(name: str) -> str:
    """Undo git's C-style quoting of a path ("\\303\\274" → "ü")."""
    if not (len(name) >= 2 and name[0] == '"' and name[-1] == '"'):
        return name
    body = name[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and re.match(r"[0-7]{3}", body[i + 1:i + 4]):
                out.append(int(body[i + 1:i + 4], 8) & 0xFF)
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt).encode("utf-8", "surrogateescape")
            i += 2
            continue
        out += ch.encode("utf-8", "surrogateescape")
        i += 1
    return out.decode("utf-8", "surrogateescape")


def _strip_prefix(name: str) -> str | None:
    name = name.rstrip("\t")
    if "\t" in name and not name.startswith('"'):
        name = name.split("\t", 1)[0]  # `diff -u` puts a timestamp after a tab
    name = unquote(name)
    if name == "/dev/null":
        return None
    if name[:2] in ("a/", "b/"):
        return name[2:]
    return name


def _git_header_paths(header: str) -> tuple[str | None, str | None]:
    """Paths from `diff --git a/X b/X`, used when no ---/+++ lines follow (binary, mode-only)."""
    rest = header[len("diff --git "):]
    if rest.startswith('"'):
        m = re.match(r'("(?:[^"\\]|\\.)*")\s+(.*)$', rest)
        if m:
            return _strip_prefix(m.group(1)), _strip_prefix(m.group(2))
        return None, None
    # Unquoted and without renames both halves are the same path.
    half = (len(rest) - 1) // 2
    if len(rest) % 2 == 1 and rest[half] == " " and rest[2:half] == rest[half + 3:]:
        return _strip_prefix(rest[:half]), _strip_prefix(rest[half + 1:])
    a, _, b = rest.partition(" b/")
    return _strip_prefix(a), _strip_prefix("b/" + b) if b else None


def _git_sections(lines: list[str]) -> Iterator[list[str]]:
    """Per-file sections of a git patch; anything before the first header is prose."""
    current: list[str] = []
    for line in lines:
        if line.startswith("diff --git "):
            if current:
                yield current
            current = [line]
        elif current:
            current.append(line)
    if current:
        yield current


def _content(value: str) -> str:
    if value.endswith("\n"):
        value = value[:-1]
    if value.endswith("\r"):
        value = value[:-1]
    return value


# The lines git writes between `diff --git` and the first hunk. The header ends
# at the first other line: in a patch series (`git format-patch`) a file with
# no hunks is followed directly by the next mail, whose text is no header.
_HEADER_LINES = ("old mode ", "new mode ", "deleted file mode ", "new file mode ", "copy from ", "copy to ",
                 "rename from ", "rename to ", "similarity index ", "dissimilarity index ", "index ", "--- ", "+++ ",
                 "Binary files ", "GIT binary patch")


def _header_info(section: list[str]) -> dict[str, str | None]:
    """Paths, modes and moves from the header of a `diff --git` section."""
    info: dict[str, str | None] = {"old": None, "new": None, "old_mode": None, "new_mode": None, "binary": None,
                                   "moved": None}
    info["old"], info["new"] = _git_header_paths(section[0].rstrip("\n"))
    created = deleted = False
    # A file with hunks: everything before its first hunk is its header, as git
    # apply reads it. One without: only the lines git writes there.
    first_hunk = next((i for i, raw in enumerate(section) if raw.startswith("@@")), None)
    for raw in section[1:first_hunk]:
        line = raw.rstrip("\n")
        if not line.startswith(_HEADER_LINES):
            if first_hunk is None:
                break
            continue
        m = _MOVE.match(line)
        if m:
            info["moved"] = m.group(1)
            info["old" if m.group(2) == "from" else "new"] = unquote(m.group(3))
            continue
        m = _MODE.match(line)
        if m:
            key = "old_mode" if m.group(1) in ("deleted file mode", "old mode") else "new_mode"
            info[key] = m.group(2)
            created = created or m.group(1) == "new file mode"
            deleted = deleted or m.group(1) == "deleted file mode"
            continue
        m = _INDEX.match(line)
        if m and m.group(1):
            info["old_mode"] = info["old_mode"] or m.group(1)
            info["new_mode"] = info["new_mode"] or m.group(1)
        elif line.startswith("--- "):
            info["old"] = _strip_prefix(line[4:])
            if info["old"] is None:
                info["old_mode"] = None
        elif line.startswith("+++ "):
            info["new"] = _strip_prefix(line[4:])
            if info["new"] is None:
                info["new_mode"] = None
        elif line.startswith("Binary files ") or line == "GIT binary patch":
            info["binary"] = "1"
    if created:
        info["old"] = None
    if deleted:
        info["new"] = None
    return info


def _status(old: str | None, new: str | None) -> str:
    if old is None:
        return "A"
    if new is None:
        return "D"
    return "M"


def parse_patch(data: bytes | str, targets: Targets, commit: str | None = None) -> list[FileChange]:
    """The agent-config files of a unified diff, with their added lines."""
    text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data
    lines = io.StringIO(text, newline="\n").readlines()
    if not any(line.startswith("diff --git ") for line in lines):
        return _parse_plain(lines, targets, commit)
    changes: list[FileChange] = []
    for section in _git_sections(lines):
        info = _header_info(section)
        path = info["new"] or info["old"]
        if path is None:
            continue
        kind = targets.kind_of(path) or (targets.kind_of(info["old"]) if info["old"] else None)
        if kind is None:
            continue
        change = FileChange(path=path, kind=kind, status=_status(info["old"], info["new"]),
                            old_path=info["old"], commit=commit, old_mode=info["old_mode"],
                            new_mode=info["new_mode"], binary=bool(info["binary"]),
                            unreadable=_unseen_move(info, targets))
        if any(line.startswith("@@") for line in section):
            for patched in _unidiff(_file_part(section), path):
                _fill(change, patched)
        changes.append(change)
    return changes


def _unseen_move(info: dict[str, str | None], targets: Targets) -> str:
    """Why a rename or copy hides content, or "". git shows a moved file only by
    the lines that differ (none at 100% similarity), so the content a move
    brings to an agent path (even from another agent file: an allow entry or a
    nested file's narrower reach applied there) and what it takes away from a
    settings file (its deny rules and guards) are not in the patch."""
    old, new, moved = info["old"], info["new"], info["moved"]
    if moved is None or old is None or new is None or old == new:
        return ""
    verb = "renames" if moved == "rename" else "copies"
    how = ("Check the change with `agenthook check-diff --staged` or `--range`, which read whole files, "
           "or make the patch with `git diff --no-renames`.")
    if targets.kind_of(new) is not None:
        return f"The patch {verb} `{old}` to this path and shows only the lines that differ, not the content " \
               f"it brings here. {how}"
    # A pyproject.toml holds a policy only with a [tool.agenthook] table, which the patch does not show.
    if moved == "rename" and targets.kind_of(old) in STRUCTURED_KINDS and posixpath.basename(old) != PYPROJECT:
        return f"The patch renames `{old}` to `{new}`, where no agent reads it, and does not show what it held: " \
               f"any deny rules, guards or policy in it stop applying unseen. {how}"
    return ""


def _parse_plain(lines: list[str], targets: Targets, commit: str | None) -> list[FileChange]:
    """A diff without git headers (`diff -u`, other tools): unidiff finds the files."""
    changes = []
    for patched in _unidiff(lines, "the patch"):
        old, new = _strip_prefix(patched.source_file), _strip_prefix(patched.target_file)
        path = new or old
        if path is None:
            continue
        kind = targets.kind_of(path) or (targets.kind_of(old) if old else None)
        if kind is None:
            continue
        change = FileChange(path=path, kind=kind, status=_status(old, new), old_path=old, commit=commit,
                            binary=patched.is_binary_file)
        _fill(change, patched)
        changes.append(change)
    return changes


def _file_part(section: list[str]) -> list[str]:
    """The `---`/`+++` lines and hunks of a git section, for unidiff. The git
    header lines before them are read by `_header_info`: `diff --git a/a b/x b/a
    b/x` is ambiguous once a path holds a space, and unidiff, parsing it anyway,
    rejects the file. git also ends a `---`/`+++` line with a tab then, which
    unidiff takes for an empty timestamp; it is dropped. Only lines before the
    first hunk are header lines: a removed line may start with `---` too."""
    start = next((i for i, line in enumerate(section) if line.startswith(("--- ", "@@"))), 0)
    if not section[start].startswith("--- "):
        return section
    out = section[start:]
    for i, line in enumerate(out[:2]):
        if line.startswith(("--- ", "+++ ")) and line.rstrip("\n").endswith("\t"):
            out[i] = line.rstrip("\n").rstrip("\t") + ("\n" if line.endswith("\n") else "")
    return out


def _unidiff(lines: list[str], what: str) -> unidiff.PatchSet:
    try:
        return unidiff.PatchSet(lines)
    except (UnidiffParseError, ValueError, IndexError) as exc:
        raise PatchError(f"malformed diff for {what}: {exc}") from None


def _fill(change: FileChange, patched: unidiff.PatchedFile) -> None:
    for hunk in patched:
        last_new = hunk.target_start - 1  # the new file's line before the hunk's first
        removed: list[int] = []  # removed lines not yet placed in the new file
        for line in hunk:
            text = _content(line.value)
            if line.is_removed:
                change.removed.append(text)
                change.old_lines[line.source_line_no] = text
                removed.append(line.source_line_no)
                continue
            if not (line.is_added or line.is_context):
                continue  # "\ No newline at end of file"
            if removed:
                _place_removed(change, removed, line.target_line_no if line.is_added else last_new)
            if line.is_added:
                change.added.append(AddedLine(line.target_line_no, text))
            else:
                change.old_lines[line.source_line_no] = text
            change.new_lines[line.target_line_no] = text
            last_new = line.target_line_no
        _place_removed(change, removed, last_new)


def _place_removed(change: FileChange, removed: list[int], at: int) -> None:
    """Removed lines stood where the lines replacing them are, or else after
    the line before them."""
    for number in removed:
        change.removed_at[number] = max(at, 1)
    removed.clear()
