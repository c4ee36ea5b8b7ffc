"""A push, as git hands it to pre-receive and pre-push hooks, and the changes it carries.

Two views of a push are judged:

- every commit new to the receiving side, each on its own first-parent diff,
  so that a line added and removed again within the push, or added by a
  merge's conflict resolution, is seen. On a server "new" means not reachable
  from a branch or tag: platform refs (refs/pull/*, refs/merge-requests/*,
  refs/keep-around/*) are written without this hook, so a commit parked there
  is still judged when it reaches a branch;
- each ref's endpoints, old tip to new tip (a created ref from where it forked:
  the nearest commit the server already has, whatever HEAD names; a history
  sharing none is all new commits, judged above), so the state a ref ends in
  is judged whatever route its content took.

Every commit is judged, at any depth of the tree, however many there are:
one `git log` lists every path each new commit changes (tens of microseconds
a commit; a wildcard pathspec would cost git more than the whole listing),
and only the agent files among them are diffed and read. A push changing
agent files more than MAX_AGENT_CHANGES times is refused (fail closed), not
passed unread.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from agenthook import git, lazyre
from agenthook.errors import EXIT_BLOCKED, AgenthookError, GitError
from agenthook.git import NO_DEADLINE, Deadline, RawEntry
from agenthook.model import FileChange
from agenthook.targets import Targets

# Agent-file changes read in one push: each is a patch held in memory. Past it
# the push is refused and can be pushed in parts (older commits first).
MAX_AGENT_CHANGES = 50_000
_WILDCARD = lazyre.compile(r"[*?\[\\]")


class RefUpdate(NamedTuple):
    """One ref a push moves; a null id (all zeros: 40 of them for SHA-1, 64 for SHA-256) means absent."""

    ref: str
    old: str
    new: str

    @property
    def created(self) -> bool:
        return git.is_null(self.old)

    @property
    def deleted(self) -> bool:
        return git.is_null(self.new)


class PushInputError(AgenthookError):
    """Standard input is not what git gives this hook."""


class RefusedRef(AgenthookError):
    """A ref update refused as such: it points at something agenthook cannot judge."""

    exit_code = EXIT_BLOCKED


def _is_oid(value: str) -> bool:
    return bool(git.OID.match(value)) or git.is_null(value)


def _lines(data: bytes) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(data.decode("utf-8", "surrogateescape").split("\n"), start=1):
        if line:
            yield number, line


def parse_pre_receive(data: bytes) -> list[RefUpdate]:
    """`<old-id> SP <new-id> SP <ref>` lines, one per ref the push moves."""
    updates = []
    for number, line in _lines(data):
        parts = line.split(" ")
        if len(parts) != 3 or not (_is_oid(parts[0]) and _is_oid(parts[1]) and parts[2]):
            raise PushInputError(f"line {number} of standard input is not `<old-id> <new-id> <ref>`: {line[:120]!r}")
        updates.append(RefUpdate(parts[2], parts[0], parts[1]))
    return updates


def parse_pre_push(data: bytes) -> list[RefUpdate]:
    """`<local ref> SP <local id> SP <remote ref> SP <remote id>` lines, as updates of
    the remote's refs. The local side may be any revision expression, spaces included."""
    updates = []
    for number, line in _lines(data):
        parts = line.rsplit(" ", 3)
        if len(parts) != 4 or not (_is_oid(parts[1]) and _is_oid(parts[3]) and parts[2]):
            raise PushInputError(f"line {number} of standard input is not "
                                 f"`<local ref> <local id> <remote ref> <remote id>`: {line[:120]!r}")
        updates.append(RefUpdate(parts[2], parts[3], parts[1]))
    return updates


def tips(updates: Sequence[RefUpdate], cwd: str | None = None,
         deadline: Deadline = NO_DEADLINE) -> dict[RefUpdate, str]:
    """The commit each update that is not a deletion points at (tags peeled).

    A ref pointing at a tree or a blob carries no commit to judge; it is refused
    rather than let through unexamined.
    """
    live = [u for u in updates if not u.deleted]
    peeled = {}
    for update, info in zip(live, git.describe([u.new for u in live], cwd, deadline)):
        if info.type == "missing":
            raise GitError(f"{update.ref}: object {update.new} is missing from the repository")
        if info.commit is None:
            what = "a tag that does not lead to a commit" if info.type == "tag" else f"a {info.type}"
            raise RefusedRef(f"{update.ref} would point to {what} ({update.new}); agenthook judges "
                             "commits only, so it refuses this ref")
        peeled[update] = info.commit
    return peeled


class PushTooLarge(AgenthookError):
    """More agent-file changes than one check reads; refused, never passed unread."""

    exit_code = EXIT_BLOCKED


class Walk:
    """The walk over a push's commits, running in git while Python does other
    work: every commit, with its changes at the places agent files can be. A
    context manager: on leaving it, git is stopped if it is still running."""

    def __init__(self, tip_commits: Sequence[str], exclude: Sequence[str], targets: Targets,
                 cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> None:
        wanted = sorted(set(tip_commits))  # none: `git log` would walk from HEAD instead
        self._tips = wanted
        self.commits: list[str] = []
        self._entries: list[RawEntry] = []
        self._read = False
        self._walk = git.start_walk(wanted, exclude, cwd=cwd, deadline=deadline) if wanted else None

    def __enter__(self) -> Walk:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._walk is not None:
            self._walk.stop()

    def running(self) -> bool:
        return self._walk is not None and self._walk.running()

    def listed(self, targets: Targets, cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> None:
        """Wait for the walk and read it: the new commits (`commits`), and among the
        paths they change those that are agent files, or files a hook of a pushed
        tip runs (read first, so that each path is classified once)."""
        from agenthook.sources import gitsource  # noqa: PLC0415 - patch parsing only when there is a push

        if self._walk is None or self._read:
            return
        out = self._walk.result()
        self._read = True
        if not out.strip():
            return
        scripts = set().union(*gitsource.hooked(self._tips, cwd, deadline).values())
        kinds: dict[str, bool] = {}

        def keep(path: str, old_mode: str, new_mode: str) -> bool:
            if gitsource.GITLINK in (old_mode, new_mode) or new_mode == gitsource.SYMLINK:
                return True  # may stand where a directory of agent files lives: kind_of_entry decides
            known = kinds.get(path)
            if known is None:
                known = kinds[path] = path in scripts or targets.kind_of(path) is not None
            return known

        self.commits, self._entries = git.parse_walk(out, keep)

    def changes(self, targets: Targets, cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> list[FileChange]:
        """The agent-file changes of the commits, at any depth and however many
        commits there are; a file that a hook of a pushed tip runs counts as a
        hook script."""
        from agenthook.sources import gitsource  # noqa: PLC0415

        self.listed(targets, cwd, deadline)
        if not self.commits:
            return []
        targets = gitsource.hooked_at(targets, self._entries, self._tips, cwd, deadline)
        entries = [e for e in self._entries if gitsource.kind_of_entry(e, targets)]
        if len(entries) > MAX_AGENT_CHANGES:
            raise PushTooLarge(f"the push changes agent files {len(entries):,} times in {len(self.commits):,} new "
                               f"commits, more than one check reads ({MAX_AGENT_CHANGES:,}); push it in parts, "
                               "older commits first")
        return gitsource.commit_changes(entries, targets, cwd, deadline)


def commit_changes(tip_commits: Sequence[str], exclude: Sequence[str], targets: Targets, cwd: str | None = None,
                   deadline: Deadline = NO_DEADLINE) -> list[FileChange]:
    """The agent-file changes of every commit reachable from `tip_commits` and not from
    `exclude` (rev-list arguments); see Walk.changes."""
    with Walk(tip_commits, exclude, targets, cwd, deadline) as walk:
        return walk.changes(targets, cwd, deadline)


def endpoint_changes(peeled: Mapping[RefUpdate, str], exclude: Sequence[str], targets: Targets,
                     cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> list[FileChange]:
    """What each ref gains between its old and its new tip, reported under the new
    tip; a created ref from where it forked from what `exclude` reaches (see
    fork_points), and nothing for one that forks from nothing there (its commits
    are all new, each judged by the walk). All refs' changes are listed in one git call."""
    from agenthook.sources import gitsource  # noqa: PLC0415

    updated = [u for u in peeled if not u.created]
    olds = {u: info.commit for u, info in zip(updated, git.describe([u.old for u in updated], cwd, deadline))}
    pairs = {(old, peeled[u]): None for u, old in olds.items() if old is not None}
    created = sorted({peeled[u] for u in peeled if olds.get(u) is None})  # an old tip that was no commit: none
    if created:
        # A history that forks from nothing the server has is new commit by
        # commit, root included: the walk judges all of it, and its endpoint
        # would only repeat that (at the cost of listing the whole tree).
        forks = fork_points(created, exclude, cwd, deadline)
        pairs.update(dict.fromkeys((forks[tip], tip) for tip in created if forks[tip] is not None))
    return gitsource.tree_changes([(base, tip) for base, tip in pairs if base != tip], targets, cwd, deadline)


def fork_points(tips: Sequence[str], exclude: Sequence[str], cwd: str | None = None,
                deadline: Deadline = NO_DEADLINE) -> dict[str, str | None]:
    """For each commit, the nearest commit that `exclude` (the server's branches and
    tags) already reaches: itself when reached, else the one its new commits grew
    from; None when they grow from no such commit (a new history). One git call
    lists every new commit with its parents, whatever HEAD names; a history that
    took in several of the server's commits (a merge of the current main) is
    measured from the newest of them, a second call, made only for such a tip."""
    if not git.run(["rev-list", "-n", "1", *exclude, "--"], cwd=cwd, deadline=deadline).strip():
        return dict.fromkeys(tips)  # a server receiving its first push: every history is new
    out = git.run(["rev-list", "--parents", "--stdin", "--not", *exclude], cwd=cwd,
                  stdin="".join(f"{t}\n" for t in tips).encode(), deadline=deadline)
    parents: dict[str, list[str]] = {}
    for line in out.decode("ascii", "replace").splitlines():
        commit, *rest = line.split()
        parents[commit] = rest
    forks: dict[str, str | None] = {}
    boundaries = _boundaries(tips, parents)
    for tip in tips:
        if tip not in parents:
            forks[tip] = tip
            continue
        bounds = sorted(boundaries[tip])
        if len(bounds) > 1:
            newest = git.run(["merge-base", "--independent", *bounds], cwd=cwd, deadline=deadline).split()
            bounds = [b.decode() for b in newest] if len(newest) == 1 else _first_parent_boundary(tip, parents)
        forks[tip] = bounds[0] if bounds else None
    return forks


def _boundaries(tips: Sequence[str], parents: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    """For each new commit reachable from `tips`, the server's commits its new
    history grew from (parents that are not new). Each commit is visited once,
    however many tips share it: a push of many branches over one long new
    history costs that history once."""
    found: dict[str, frozenset[str]] = {}
    for tip in tips:
        stack = [tip] if tip in parents else []
        while stack:
            commit = stack[-1]
            if commit in found:
                stack.pop()
                continue
            pending = [p for p in parents[commit] if p in parents and p not in found]
            if pending:
                stack += pending
                continue
            stack.pop()
            grown: set[str] = set()
            for parent in parents[commit]:
                grown |= found[parent] if parent in parents else {parent}
            found[commit] = frozenset(grown)
    return found


def _first_parent_boundary(tip: str, parents: Mapping[str, list[str]]) -> list[str]:
    """Where `tip`'s first-parent line leaves the new commits; none when it ends in a new root."""
    commit = tip
    while commit in parents:
        if not parents[commit]:
            return []
        commit = parents[commit][0]
    return [commit]


def remote_exclusions(remote: str | None, updates: Sequence[RefUpdate], cwd: str | None = None,
                      deadline: Deadline = NO_DEADLINE) -> list[str]:
    """What a pre-push hook may take the remote to have already: its remote-tracking
    branches, and the current commit of each ref being pushed when that commit is known here."""
    exclude = []
    if remote and not _WILDCARD.search(remote):
        exclude.append(f"--remotes={remote}")
    olds = [u.old for u in updates if not u.created]
    exclude += sorted({i.commit for i in git.describe(olds, cwd, deadline) if i.commit})
    return exclude
