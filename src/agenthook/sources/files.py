"""Whole files judged as if a commit added them: for a tree that exists today."""
from __future__ import annotations

import os

from agenthook.errors import AgenthookError
from agenthook.model import AddedLine, FileChange
from agenthook.imports import Reader
from agenthook.sources.gitsource import MAX_TEXT, referenced
from agenthook.targets import INSTRUCTIONS, Targets


def _relative(path: str, root: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), root)
    return rel.replace(os.sep, "/")


def added_whole(path: str, kind: str, text: str, mode: str = "100644") -> FileChange:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    added = [AddedLine(i, line[:-1] if line.endswith("\r") else line) for i, line in enumerate(lines, start=1)]
    return FileChange(path=path, kind=kind, status="A", added=added, new_lines={a.number: a.text for a in added},
                      new_text=text, new_mode=mode)


def files(paths: list[str], targets: Targets, root: str) -> list[FileChange]:
    """Named files as wholly added. A file that is not a known agent file is
    judged as instruction text: naming it says it is one."""
    changes = []
    for path in paths:
        rel = _relative(path, root)
        kind = targets.kind_of(rel) or INSTRUCTIONS
        try:
            if os.path.islink(path):
                changes.append(added_whole(rel, kind, os.readlink(path), mode="120000"))
                continue
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise AgenthookError(f"cannot read {path}: {exc.strerror}") from None
        # Every line is judged, as a patch adding the file would show it; only the
        # whole-file view (settings parsing, imports) stops at the size git sources load.
        change = added_whole(rel, kind, data.decode("utf-8", "surrogateescape"))
        if len(data) > MAX_TEXT:
            change.new_text = None
        change.binary = b"\0" in data
        changes.append(change)
    return referenced(changes, lambda commit: _worktree_reader(root))


def _worktree_reader(root: str) -> Reader:
    """Files as the working tree holds them, for imports and symlink targets."""
    def read(path: str) -> tuple[str, bytes] | None:
        full = os.path.join(root, *path.split("/"))
        try:
            if os.path.islink(full):
                return "120000", os.readlink(full).encode("utf-8", "surrogateescape")
            if not os.path.isfile(full):
                return None
            with open(full, "rb") as handle:
                return "100644", handle.read(MAX_TEXT + 1)
        except OSError:
            return None

    return read
