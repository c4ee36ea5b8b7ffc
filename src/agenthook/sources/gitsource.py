"""Changes read from a git repository: the index, commits, a push.

Paths are listed first (`--raw -z`: exact bytes, modes, blob ids) and only the
agent files among them are diffed and read, so the cost of a run follows the
agent-config changes, not the size of the change or of the repository.
"""
from __future__ import annotations

from collections.abc import Sequence

from agenthook import git
from agenthook.git import Deadline, RawEntry
from agenthook.model import FileChange
from agenthook.sources.patch import parse_patch
from agenthook.targets import Targets

# Agents skip instruction files of a few MiB; a larger blob is not loaded whole
# (its added lines are still scanned from the patch).
MAX_TEXT = 8 * 1024 * 1024


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def assemble(entries: Sequence[RawEntry], patches: dict[str | None, bytes], targets: Targets,
             cwd: str | None, deadline: Deadline = git.NO_DEADLINE) -> list[FileChange]:
    """FileChanges for the agent files among `entries`, full texts attached."""
    by_key: dict[tuple[str | None, str], FileChange] = {}
    for commit, patch in patches.items():
        for change in parse_patch(patch, targets, commit):
            by_key[(commit, change.path)] = change
    oids = [o for e in entries for o, mode in ((e.old_oid, e.old_mode), (e.new_oid, e.new_mode))
            if mode != "160000" and not git.is_null(o)]
    blobs = git.read_blobs(oids, cwd, deadline)
    changes = []
    for entry in entries:
        kind = targets.kind_of(entry.path)
        if kind is None:
            continue
        change = by_key.get((entry.commit, entry.path)) or FileChange(path=entry.path, kind=kind, status=entry.status)
        change.kind = kind
        change.status = "A" if git.is_null(entry.old_oid) else "D" if git.is_null(entry.new_oid) else "M"
        change.old_mode = None if entry.old_mode == "000000" else entry.old_mode
        change.new_mode = None if entry.new_mode == "000000" else entry.new_mode
        old, new = blobs.get(entry.old_oid), blobs.get(entry.new_oid)
        if old is not None and len(old) <= MAX_TEXT and change.old_mode != "160000":
            change.old_text = _decode(old)
        if new is not None and len(new) <= MAX_TEXT and change.new_mode != "160000":
            change.new_text = _decode(new)
        changes.append(change)
    return changes


def staged(targets: Targets, cwd: str | None = None) -> list[FileChange]:
    """The index against HEAD (or the empty tree before the first commit)."""
    base = git.head_or_empty_tree(cwd)
    entries = [e for e in git.staged_raw(base, cwd) if targets.kind_of(e.path)]
    if not entries:
        return []
    patch = git.staged_patch(base, sorted({e.path for e in entries}), cwd)
    return assemble(entries, {None: patch}, targets, cwd)


def commits(ids: Sequence[str], targets: Targets, cwd: str | None = None,
            deadline: Deadline = git.NO_DEADLINE) -> list[FileChange]:
    """Each commit judged on its own first-parent diff, merges included."""
    entries = [e for e in git.commits_raw(ids, cwd, deadline) if targets.kind_of(e.path)]
    if not entries:
        return []
    hit = list(dict.fromkeys(e.commit for e in entries if e.commit))
    patches: dict[str | None, bytes] = dict(git.commits_patch(hit, sorted({e.path for e in entries}), cwd, deadline))
    return assemble(entries, patches, targets, cwd, deadline)


def revision_range(spec: str, targets: Targets, cwd: str | None = None,
                   deadline: Deadline = git.NO_DEADLINE) -> list[FileChange]:
    """`A..B` or `A...B` (the commits of B not in A), or one revision alone."""
    if "..." in spec:
        args = ["--right-only", "--reverse", "--end-of-options", spec]
    elif ".." in spec:
        args = ["--reverse", "--end-of-options", spec]
    else:
        args = ["--no-walk", "--end-of-options", spec]
    ids = git.rev_list(args, cwd, deadline)
    return commits(ids, targets, cwd, deadline)
