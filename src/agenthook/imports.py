"""Content an instruction file brings into the agent's view with `@path` imports.

Claude Code reads `@path/to/file` in CLAUDE.md (and in the files it imports,
up to four hops) as if the imported file's text were written in place. A
change that adds an import line therefore adds that file's whole content to
what the agent reads, even when the file itself did not change. Such files
are judged here as if a commit added them whole, under their own paths, as
instruction text.

What counts as an import follows Claude Code: `@` at the start of a word,
followed by a relative, absolute or `~` path, outside code spans and fenced
code. Mentions and package scopes (`@alice`, `@types/node`) have the same
shape; they are told apart by whether the repository has such a file, so no
guess is needed for paths inside it. For imports reaching outside the
repository, which cannot be read, only paths to text documents count.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from agenthook import lazyre
from agenthook.model import AddedLine, FileChange
from agenthook.targets import INSTRUCTIONS, MARKDOWN_KINDS

# (mode, content) of the file at a repository path in the snapshot being
# checked (the index, a commit's tree, the working tree), or None.
Reader = Callable[[str], "tuple[str, bytes] | None"]

MAX_HOPS = 4
MAX_LINKS = 8
MAX_BYTES = 8 * 1024 * 1024
SYMLINK_MODE = "120000"

_IMPORT = lazyre.compile(r"(?<![\w@`.\\/'\"-])@((?:~/|/|\.{1,2}/)?[\w.~-][\w./~+-]{0,255})")
_CODE_SPAN = lazyre.compile(r"`+[^`\n]*`+")
_FENCE = lazyre.compile(r"^\s{0,3}(?:```|~~~)")
# Outside the repository nothing can be read to tell an import from a mention
# or a code alias (`@/components/ui`), so only text documents count.
_DOCUMENT = lazyre.compile(r"[^/]\.(?:md|mdc|markdown|mdx|txt|rst|adoc|org)$", re.IGNORECASE)


class Import(NamedTuple):
    """An `@path` import on a line of an instruction file."""

    line: int
    text: str  # the line as written
    target: str  # the path as written after `@`
    path: str | None  # the repository path it resolves to; None when it leads outside


def _resolve(importer: str, target: str) -> str | None:
    """The repository path `target` names, relative to the importing file, or
    None when it is absolute, home-relative, or climbs out of the repository."""
    if target.startswith(("/", "~")):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(importer), target))
    if resolved == ".." or resolved.startswith("../"):
        return None
    return resolved


def _code_free_lines(lines: Mapping[int, str]) -> Iterator[tuple[int, str]]:
    """Lines outside fenced code, with inline code spans blanked: Claude Code
    does not read imports in either. A gap in the known lines (a patch shows
    only context around its hunks) resets the fence state."""
    in_fence, previous = False, None
    for number in sorted(lines):
        line = lines[number]
        if previous is not None and number != previous + 1:
            in_fence = False
        previous = number
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and "@" in line:
            yield number, _CODE_SPAN.sub(lambda m: " " * len(m.group()), line) if "`" in line else line


def added_imports(change: FileChange) -> Iterator[Import]:
    """The imports on the lines `change` adds to a Markdown agent file."""
    if change.kind not in MARKDOWN_KINDS or change.status == "D" or change.is_symlink or not change.added:
        return
    added = {a.number for a in change.added}
    lines = change.file_lines()
    for a in change.added:
        lines.setdefault(a.number, a.text)
    for number, line in _code_free_lines(lines):
        if number not in added:
            continue
        for m in _IMPORT.finditer(line):
            target = m.group(1).rstrip(".,;:!?)]}'\"")
            if not target or target in ("~", "/", ".", ".."):
                continue
            yield Import(number, lines[number], target, _resolve(change.path, target))


def outside_imports(change: FileChange) -> Iterator[Import]:
    """Added imports of text documents outside the repository."""
    for imp in added_imports(change):
        if imp.path is None and _DOCUMENT.search(imp.target):
            yield imp


def read_text(read: Reader, path: str) -> tuple[str, str] | Unreadable | None:
    """(path, text) of the file at `path`, following symlinks inside the
    repository; Unreadable when the agent would read content agenthook cannot
    (NUL bytes, over MAX_BYTES, or a link further on that leads outside the
    repository, or a chain of links longer than agenthook follows, which a
    system follows further); None when there is no such file (nothing is read)."""
    for _ in range(MAX_LINKS):
        entry = read(path)
        if entry is None:
            return None
        mode, data = entry
        if mode != SYMLINK_MODE:
            if len(data) > MAX_BYTES or b"\0" in data:
                return Unreadable(path, "holds NUL bytes or is larger than 8 MiB, so it cannot be read as text")
            return path, data.decode("utf-8", "surrogateescape")
        link = data.decode("utf-8", "surrogateescape")
        resolved = _resolve(path, link)
        if resolved is None:
            return Unreadable(path, f"is a link to `{link}`, outside the repository, where no check can read it")
        path = resolved
    return Unreadable(path, f"is a link still after {MAX_LINKS} links, more than agenthook follows, while a system "
                            "follows up to 40")


def whole(path: str, kind: str, text: str, commit: str | None) -> FileChange:
    """A FileChange adding `text` whole at `path`."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    added = [AddedLine(i, line[:-1] if line.endswith("\r") else line) for i, line in enumerate(lines, start=1)]
    return FileChange(path=path, kind=kind, status="A", added=added, new_lines={a.number: a.text for a in added},
                      new_text=text, commit=commit, new_mode="100644")


class Unreadable(NamedTuple):
    """Where reading stopped (`path`) and why the agent's content there cannot be checked."""

    path: str
    why: str


def unreadable(path: str, kind: str, commit: str | None, why: str) -> FileChange:
    """Content the agent will read but agenthook cannot: special.check reports
    it (AH1203) rather than let it pass unseen."""
    return FileChange(path=path, kind=kind, status="A", commit=commit, new_mode="100644", unreadable=why)


def imported(changes: list[FileChange], read_for: Callable[[str | None], Reader]) -> list[FileChange]:
    """The files newly imported by `changes`, and those they import in turn (up
    to four hops), each as a FileChange adding its whole text as instructions.

    A file the change set already adds whole is judged there; any other file,
    even one the change set modifies, is judged whole here, since all of its
    text is new to the agent that now imports it."""
    done = {(c.commit, c.path) for c in changes if c.status == "A" and not c.is_symlink}
    result: list[FileChange] = []
    frontier = [c for c in changes if c.kind in MARKDOWN_KINDS]
    for _ in range(MAX_HOPS):
        found: list[FileChange] = []
        for change in frontier:
            for imp in added_imports(change):
                if imp.path is None or imp.path == change.path or (change.commit, imp.path) in done:
                    continue
                done.add((change.commit, imp.path))
                content = read_text(read_for(change.commit), imp.path)
                if content is None:
                    continue
                if isinstance(content, Unreadable):
                    result.append(unreadable(imp.path, INSTRUCTIONS, change.commit,
                                             f"`{content.path}` {content.why}."))
                    continue
                path, text = content
                if path != imp.path:  # reached through a symlink
                    if (change.commit, path) in done:
                        continue
                    done.add((change.commit, path))
                found.append(whole(path, INSTRUCTIONS, text, change.commit))
        result.extend(found)
        frontier = found
    return result
