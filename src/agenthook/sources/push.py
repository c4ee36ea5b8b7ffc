"""A push, as git hands it to pre-receive and pre-push hooks, and the changes it carries.

Two views of a push are judged:

- every commit new to the receiving side, each on its own first-parent diff,
  so that a line added and removed again within the push, or added by a
  merge's conflict resolution, is seen. On a server "new" means not reachable
  from a branch or tag: platform refs (refs/pull/*, refs/merge-requests/*,
  refs/keep-around/*) are written without this hook, so a commit parked there
  is still judged when it reaches a branch;
- each ref's endpoints, old tip to new tip (a created ref from where it leaves
  the default branch, else from the empty tree), so the state a ref ends in is
  judged whatever route its content took.

Listing every path of every commit costs tens of microseconds a commit. A push
of more than FULL_WALK commits therefore lists per commit only the places agent
files have at the repository root (literal pathspecs, which let git skip every
unchanged subtree), and agent files deeper in the tree are judged at the
endpoints: the cost follows the agent-config changes, not the size of the push.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from agenthook import git, lazyre
from agenthook.errors import EXIT_BLOCKED, AgenthookError, GitError
from agenthook.git import NO_DEADLINE, Deadline
from agenthook.model import FileChange
from agenthook.targets import Targets

FULL_WALK = 2000
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


def root_pathspecs(targets: Targets) -> list[str]:
    """Literal, case-insensitive pathspecs for the top-level names under which agent
    files sit at the repository root: `**/.claude/settings.json` gives `.claude`;
    `**/*.code-workspace`, whose first component is a wildcard, gives none. A
    name stands for all its agent files (git matches each root entry against
    every pathspec, for every commit of the push); what else it brings is
    dropped when the entries are classified."""
    specs: dict[str, None] = {}
    for glob, _ in targets.patterns:
        first = glob.removeprefix("**/").split("/", 1)[0]
        if not _WILDCARD.search(first):
            specs[":(literal,icase)" + first] = None
    return list(specs)


class Walk:
    """The walk over a push's commits, running in git while Python does other
    work: every commit, with its changes at the root-level agent paths. A
    context manager: on leaving it, git is stopped if it is still running."""

    def __init__(self, tip_commits: Sequence[str], exclude: Sequence[str], targets: Targets,
                 cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> None:
        wanted = sorted(set(tip_commits))  # none: `git log` would walk from HEAD instead
        self._tips = wanted
        self._walk = git.start_walk(wanted, exclude, root_pathspecs(targets), cwd=cwd,
                                    deadline=deadline) if wanted else None

    def __enter__(self) -> Walk:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._walk is not None:
            self._walk.stop()

    def running(self) -> bool:
        return self._walk is not None and self._walk.running()

    def changes(self, targets: Targets, cwd: str | None = None,
                deadline: Deadline = NO_DEADLINE) -> tuple[list[FileChange], bool]:
        """The agent-file changes of the commits, and whether there were too many to
        list every path of each (then only root-level agent paths were followed).
        Up to FULL_WALK commits, every path of each is listed in a second call,
        and a file that a hook of a pushed tip runs counts as a hook script."""
        from agenthook.sources import gitsource  # noqa: PLC0415 - patch parsing only when there is a push

        if self._walk is None:
            return [], False
        commits, raw = git.parse_walk(self._walk.result())
        partial = len(commits) > FULL_WALK
        if not partial:
            raw = git.commits_raw(commits, cwd, deadline)
            targets = gitsource.hooked_at(targets, raw, self._tips, cwd, deadline)
        return gitsource.commit_changes(raw, targets, cwd, deadline), partial


def commit_changes(tip_commits: Sequence[str], exclude: Sequence[str], targets: Targets, cwd: str | None = None,
                   deadline: Deadline = NO_DEADLINE) -> tuple[list[FileChange], bool]:
    """The agent-file changes of every commit reachable from `tip_commits` and not from
    `exclude` (rev-list arguments); see Walk.changes."""
    with Walk(tip_commits, exclude, targets, cwd, deadline) as walk:
        return walk.changes(targets, cwd, deadline)


def endpoint_changes(peeled: Mapping[RefUpdate, str], targets: Targets, cwd: str | None = None,
                     deadline: Deadline = NO_DEADLINE) -> list[FileChange]:
    """What each ref gains between its old and its new tip, reported under the new tip."""
    from agenthook.sources import gitsource  # noqa: PLC0415

    updated = [u for u in peeled if not u.created]
    olds = {u: info.commit for u, info in zip(updated, git.describe([u.old for u in updated], cwd, deadline))}
    pairs = {(old, peeled[u]): None for u, old in olds.items() if old is not None}
    created = [u for u in peeled if olds.get(u) is None]  # an old tip that was no commit counts as none
    if created:
        pairs.update(dict.fromkeys(_created_pairs(created, peeled, cwd, deadline)))
    return gitsource.tree_changes([(base, tip) for base, tip in pairs if base != tip], targets, cwd, deadline)


def _created_pairs(created: Sequence[RefUpdate], peeled: Mapping[RefUpdate, str], cwd: str | None,
                   deadline: Deadline) -> list[tuple[str, str]]:
    """Bases for created refs: the merge base with the default branch (HEAD before the
    push; in a repository receiving its first push, HEAD's branch as this push creates
    it, itself measured from the empty tree), else the empty tree. A created ref that
    the default branch already contains gains nothing."""
    empty = git.empty_tree(cwd)
    pairs = []
    default = git.resolve("HEAD", cwd, deadline)
    if default is None:
        head = git.symbolic_head(cwd)
        first = next((u for u in created if u.ref == head), None)
        if first is not None:
            default = peeled[first]
            pairs.append((empty, default))
    created_tips = sorted({peeled[u] for u in created} - {default})
    if default is None:
        return pairs + [(empty, tip) for tip in created_tips]
    outside = set(git.reachable(created_tips, [default], cwd, deadline)) if created_tips else set()
    for tip in created_tips:
        if tip in outside:
            pairs.append((git.merge_base(default, tip, cwd, deadline) or empty, tip))
    return pairs


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
