"""Changes read from a git repository: the index, commits, a push.

Paths are listed first (`--raw -z`: exact bytes, modes, blob ids) and only the
agent files among them are diffed and read, so the cost of a run follows the
agent-config changes, not the size of the change or of the repository.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from agenthook import git, hookscripts, imports, lazyre, special
from agenthook.git import Deadline, RawEntry
from agenthook.model import AddedLine, FileChange
from agenthook.sources.patch import parse_patch
from agenthook.targets import MARKDOWN_KINDS, Targets

# Agents skip instruction files of a few MiB; a larger blob is not loaded whole
# (its added lines are still scanned from the patch).
MAX_TEXT = 8 * 1024 * 1024
GITLINK = "160000"
SYMLINK = "120000"
_WILDCARDS = lazyre.compile(r"\*+|\?")


def kind_of_entry(entry: RawEntry, targets: Targets) -> str | None:
    """The kind of agent file at an entry's path; for a submodule also the kind of
    the agent files its directory would hold. A submodule at `.cursor/rules` or
    `.claude` brings agent configuration that never shows as a diff in this
    repository, so it is judged like one at `CLAUDE.md` (AH1205). So is a
    symlink there: the agent reads the files of the directory it names (AH1204)."""
    kind = targets.kind_of(entry.path)
    if kind is None and (GITLINK in (entry.old_mode, entry.new_mode) or entry.new_mode == SYMLINK):
        kind = _directory_kind(entry.path, targets)
    return kind


def _directory_kind(path: str, targets: Targets) -> str | None:
    """The kind of a watched file that a directory at `path` would hold, when `path`
    itself ends where a target pattern names a directory (`.claude` for
    `**/.claude/settings.json`, `.cursor/rules` for `**/.cursor/rules/**`); None
    for an ordinary directory, so that submodules elsewhere are not findings."""
    for pattern in targets.patterns:
        parts = pattern[0].lower().removeprefix("**/").split("/")
        for i in range(1, len(parts)):
            if "[" in "".join(parts[i:]):
                continue
            inside = path + "/" + "/".join(_WILDCARDS.sub("x", part) for part in parts[i:])
            if _single(pattern).kind_of(inside) is not None:  # this pattern, not another one's tail
                return pattern[1]
    return None


@functools.lru_cache(maxsize=256)
def _single(pattern: tuple[str, str]) -> Targets:
    return Targets([pattern])


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
        kind = kind_of_entry(entry, targets)
        if kind is None:
            continue
        change = by_key.get((entry.commit, entry.path)) or FileChange(path=entry.path, kind=kind, status=entry.status,
                                                                     commit=entry.commit)
        change.kind = kind
        change.status = "A" if git.is_null(entry.old_oid) else "D" if git.is_null(entry.new_oid) else "M"
        change.old_mode = None if entry.old_mode == "000000" else entry.old_mode
        change.new_mode = None if entry.new_mode == "000000" else entry.new_mode
        old, new = blobs.get(entry.old_oid), blobs.get(entry.new_oid)
        if old is not None and len(old) <= MAX_TEXT and change.old_mode != "160000":
            change.old_text = _decode(old)
        if new is not None and len(new) <= MAX_TEXT and change.new_mode != "160000":
            change.new_text = _decode(new)
        if change.new_mode == GITLINK and not change.added:  # a directory path: the patch was not parsed for it
            change.added.append(AddedLine(1, f"Subproject commit {entry.new_oid}"))
        changes.append(change)
    return referenced(changes, lambda commit: snapshot_reader(commit, cwd, deadline))


def referenced(changes: list[FileChange], read_for: Callable[[str | None], imports.Reader]) -> list[FileChange]:
    """`changes`, plus the content they put in front of an agent without showing
    it in the diff: what a symlinked agent file points to, the files newly
    imported with `@path`, and the repository scripts new hooks run, each
    judged as if added whole. `read_for(commit)` reads files as that commit
    has them (the index for None)."""
    linked = special.link_contents(changes, read_for)
    return changes + linked + imports.imported(changes + linked, read_for) + hookscripts.referenced(changes, read_for)


def snapshot_reader(commit: str | None, cwd: str | None, deadline: Deadline = git.NO_DEADLINE) -> imports.Reader:
    """Files as the checked snapshot holds them: the index when `commit` is None,
    else that commit's tree. Each path is looked up once."""
    cache: dict[str, tuple[str, bytes] | None] = {}

    def read(path: str) -> tuple[str, bytes] | None:
        if path not in cache:
            cache[path] = _read_entry(commit, path, cwd, deadline)
        return cache[path]

    return read


def _read_entry(commit: str | None, path: str, cwd: str | None, deadline: Deadline) -> tuple[str, bytes] | None:
    if not path or "\n" in path or "\0" in path:
        return None
    if commit is None:  # "<mode> <oid> <stage>\t<path>"
        out = git.run(["ls-files", "--stage", "-z", "--", path], cwd=cwd, deadline=deadline)
    else:  # "<mode> <type> <oid>\t<path>"
        out = git.run(["ls-tree", "-z", "--full-tree", commit, "--", path], cwd=cwd, deadline=deadline)
    for record in out.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        fields = meta.decode("ascii", "replace").split()
        if _decode(name) != path or len(fields) < 3 or fields[0] not in ("100644", "100755", "120000"):
            continue
        oid = fields[1] if commit is None else fields[2]
        data = git.read_blobs([oid], cwd, deadline).get(oid)
        return None if data is None else (fields[0], data)
    return None


_PROSE = (".md", ".mdc", ".markdown", ".txt")


def _script_candidates(entries: Sequence[RawEntry], targets: Targets) -> set[str]:
    """Changed files that the rules for code would not otherwise read, and a
    hook might run: files agenthook does not watch, and files kept beside
    prompts that are no prose (`.claude/skills/x/run.sh`)."""
    found = set()
    for e in entries:
        if git.is_null(e.new_oid) or e.new_mode == GITLINK:
            continue
        kind = targets.kind_of(e.path)
        if kind is None or kind in MARKDOWN_KINDS and not e.path.lower().endswith(_PROSE):
            found.add(e.path)
    return found


# What the hooks of a commit run, by (repository, commit): commits do not change,
# and a push asks for its tips twice (the commits, then the endpoints).
_HOOKED: dict[tuple[str | None, str], set[str]] = {}


def hooked(snapshots: Sequence[str | None], cwd: str | None = None,
           deadline: Deadline = git.NO_DEADLINE) -> dict[str | None, set[str]]:
    """For each snapshot (a commit, or None for the index), the repository
    paths that the hooks and helper commands of its settings files run: a
    change to one of those files changes what runs by itself, on every event
    its hook fires on. A few git calls however many snapshots."""
    wanted = list(dict.fromkeys(snapshots))
    found: dict[str | None, list[tuple[str, str]]] = {}  # snapshot -> (revision, path) of its settings files
    if None in wanted:
        found[None] = [("", p) for p in git.staged_files_matching(hookscripts.PATHSPECS, cwd)]
    commits = [s for s in wanted if s is not None and (cwd, s) not in _HOOKED]
    empty = {c: git.EMPTY_TREES.get(len(c)) or git.empty_tree(cwd) for c in commits}
    listings = git.trees_raw([(empty[c], c) for c in commits], cwd, deadline, hookscripts.PATHSPECS)
    for commit, listed in zip(commits, listings):
        found[commit] = [(commit, e.path) for e in listed]
    blobs = git.files_of([key for keys in found.values() for key in keys], cwd, deadline)
    texts = {key: _decode(data) for key, data in blobs.items() if data is not None and len(data) <= MAX_TEXT}
    index: set[str] = set()
    for snapshot, keys in found.items():
        scripts = hookscripts.run_by({path: texts[(rev, path)] for rev, path in keys if (rev, path) in texts})
        if snapshot is None:
            index = scripts
        else:
            _HOOKED[(cwd, snapshot)] = scripts
    return {s: index if s is None else _HOOKED[(cwd, s)] for s in wanted}


def _with_hooked(targets: Targets, entries: Sequence[RawEntry], scripts: set[str]) -> Targets:
    """`targets`, with the changed files that hooks run judged as hook scripts."""
    run = scripts & _script_candidates(entries, targets)
    return targets.with_scripts(sorted(run)) if run else targets


def hooked_at(targets: Targets, entries: Sequence[RawEntry], snapshots: Sequence[str | None],
              cwd: str | None = None, deadline: Deadline = git.NO_DEADLINE) -> Targets:
    """`targets`, with the files of `entries` that a hook of any of `snapshots`
    runs judged as hook scripts; no git call when no entry could be one."""
    if not snapshots or not _script_candidates(entries, targets):
        return targets
    scripts = set().union(*hooked(snapshots, cwd, deadline).values())
    return _with_hooked(targets, entries, scripts)


def staged(targets: Targets, cwd: str | None = None, base: str | None = None,
           listed: Sequence[RawEntry] | None = None) -> list[FileChange]:
    """The index against `base`: by default HEAD, or the empty tree before the
    first commit. `listed` is the index's `--raw` listing against that same
    base, when the caller has already read it. Staged files that a hook of the
    index runs count as hook scripts."""
    base = base or git.head_or_empty_tree(cwd)
    listing = git.staged_raw(base, cwd) if listed is None else listed
    targets = hooked_at(targets, listing, [None], cwd)
    entries = [e for e in listing if kind_of_entry(e, targets)]
    if not entries:
        return []
    patch = git.staged_patch(base, sorted({e.path for e in entries}), cwd)
    return assemble(entries, {None: patch}, targets, cwd)


def commits(ids: Sequence[str], targets: Targets, cwd: str | None = None,
            deadline: Deadline = git.NO_DEADLINE) -> list[FileChange]:
    """Each commit judged on its own first-parent diff, merges included; files
    that a hook of the last commit runs count as hook scripts in every one."""
    raw = git.commits_raw(ids, cwd, deadline)
    return commit_changes(raw, hooked_at(targets, raw, ids[-1:], cwd, deadline), cwd, deadline)


def commit_changes(raw: Sequence[RawEntry], targets: Targets, cwd: str | None = None,
                   deadline: Deadline = git.NO_DEADLINE) -> list[FileChange]:
    """The agent files among commits' `--raw` entries, with their patches and texts."""
    entries = [e for e in raw if kind_of_entry(e, targets)]
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


def tree_changes(pairs: Sequence[tuple[str, str]], targets: Targets, cwd: str | None = None,
                 deadline: Deadline = git.NO_DEADLINE) -> list[FileChange]:
    """What the agent files gained from `old` to `new` as a whole, for each (old,
    new) pair, reported under `new`: catches content that reached a ref without
    passing as a new commit of its own. The listing is one git call for all
    pairs; only pairs that touch agent files cost more."""
    changes: list[FileChange] = []
    listings = git.trees_raw(pairs, cwd, deadline)
    scripts = hooked([new for (_, new), listed in zip(pairs, listings) if _script_candidates(listed, targets)],
                     cwd, deadline)
    for (old, new), listed in zip(pairs, listings):
        at_new = _with_hooked(targets, listed, scripts[new]) if new in scripts else targets
        entries = [e._replace(commit=new) for e in listed if kind_of_entry(e, at_new)]
        if entries:
            patch = git.tree_patch(old, new, sorted({e.path for e in entries}), cwd, deadline)
            changes += assemble(entries, {new: patch}, at_new, cwd, deadline)
    return changes