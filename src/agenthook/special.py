"""Agent files whose content is not plain added text: symlinks, submodules,
binary or unreadable content, imports of files outside the repository. Each
hides what the agent will read from the diff a reviewer sees, so each is a
finding in its own right.

A symlink at an agent path is judged by what it points to: `link_contents`
reads the target (inside the repository) and hands it on as the agent file's
content, so the rules see what the agent will read.
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

from agenthook import imports
from agenthook.model import FileChange, Finding, Severity
from agenthook.rules import Catalogue
from agenthook.targets import DEFAULT

SYMLINK = "AH1204"
SUBMODULE = "AH1205"
UNSCANNABLE = "AH1203"
OUTSIDE_IMPORT = "AH606"
STOPS = frozenset({SYMLINK, SUBMODULE, UNSCANNABLE})


def _finding(catalogue: Catalogue, rule_id: str, change: FileChange, text: str, severity: Severity | None = None,
             detail: str = "", line: int = 1, match: str = "") -> Finding:
    rule = catalogue.rules[rule_id]
    return Finding(rule, change.path, line, text, severity or rule.severity, detail, change.commit, match)


def _link_text(change: FileChange) -> str:
    return change.added[0].text if change.added else (change.new_text or "")


def link_target(change: FileChange) -> str | None:
    """Where a symlink at an agent path leads, relative to the repository root,
    or None when it leads outside the repository."""
    target = _link_text(change)
    if target.startswith("/"):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(change.path), target))
    if resolved.startswith("../") or resolved == "..":
        return None
    return resolved


def link_contents(changes: list[FileChange], read_for: Callable[[str | None], imports.Reader]) -> list[FileChange]:
    """For each symlink at an agent path that leads inside the repository, the
    file it points to, as content added whole at the link's own path and of
    the link's kind: the agent opening the link reads exactly that."""
    contents = []
    for change in changes:
        if not change.is_symlink or change.status == "D":
            continue
        resolved = link_target(change)
        content = imports.read_text(read_for(change.commit), resolved) if resolved else None
        if isinstance(content, imports.Unreadable):
            contents.append(imports.unreadable(change.path, change.kind, change.commit,
                                               f"The link leads on to `{content.path}`, which {content.why}."))
        elif content is not None:
            contents.append(imports.whole(change.path, change.kind, content[1], change.commit))
    return contents


def _symlink(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    """A link outside the repository is a blind spot (high). A link to a file
    agenthook does not watch is judged by its content where the source can
    read it, but later edits to that file are not checked as agent
    configuration (medium). A link to another watched file is fine."""
    resolved = link_target(change)
    if DEFAULT.kind_of(change.path) is None:  # a directory agent files live in (`.claude`, `.cursor/rules`)
        where = "outside the repository" if resolved is None else f"`{resolved}`"
        yield _finding(catalogue, SYMLINK, change, _link_text(change),
                       detail=f"`{change.path}` is a link to {where}: the agent reads the agent files inside it "
                              "from there, where none is checked as agent configuration. Keep the directory "
                              "itself in place.")
    elif resolved is None:
        yield _finding(catalogue, SYMLINK, change, _link_text(change), detail="The link leads outside the repository.")
    elif DEFAULT.kind_of(resolved) is None:
        yield _finding(catalogue, SYMLINK, change, _link_text(change), Severity.MEDIUM,
                       f"The link leads to `{resolved}`, a file agenthook does not watch: its content is checked "
                       "with this change, but later edits to it are not.")


def check(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    if change.is_submodule:
        yield _finding(catalogue, SUBMODULE, change, change.added[0].text if change.added else "")
    elif change.is_symlink:
        yield from _symlink(change, catalogue)
    elif change.unreadable:
        # The first sentence stands for the content on the report's line, and is what an
        # allow entry would match: it names this case, not every unreadable file at the path.
        shown = change.unreadable.split(". ", 1)[0].rstrip(".")
        yield _finding(catalogue, UNSCANNABLE, change, f"({shown})", detail=change.unreadable)
    elif change.binary and not change.added:
        yield _finding(catalogue, UNSCANNABLE, change, "(binary content)")
    elif any("\0" in a.text for a in change.added):
        line = next(a for a in change.added if "\0" in a.text)
        yield _finding(catalogue, UNSCANNABLE, change, line.text, detail="The added text contains NUL bytes.",
                       line=line.number)
    else:
        for imp in imports.outside_imports(change):
            yield _finding(catalogue, OUTSIDE_IMPORT, change, imp.text, line=imp.line, match=f"@{imp.target}",
                           detail=f"`@{imp.target}` imports a file from outside the repository.")
