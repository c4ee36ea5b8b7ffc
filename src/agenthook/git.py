"""The one place git is run.

Everything scanned is written by the party agenthook is meant to stop, and so
may be the repository's own config and attributes. Every call therefore turns
off what could run a program or hide content (fsmonitor, external diff,
textconv, pagers, colour, rename detection, binary detection) and treats any
failure as a failure of the check, never as "nothing to scan". The caller's
environment is kept whole: pre-receive's quarantine and `git commit -- path`'s
`GIT_INDEX_FILE` live there.
"""
from __future__ import annotations

import os
import subprocess
import time
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence

from agenthook import lazyre
from agenthook.errors import GitError

SAFE_CONFIG: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", "core.quotepath=false",
    "-c", "core.pager=cat",
    "-c", "color.ui=never",
    "-c", "diff.external=",
    "-c", "diff.noprefix=false",
    "-c", "diff.mnemonicPrefix=false",
    "-c", "diff.relative=false",
    "-c", "log.showSignature=false",
    "-c", "log.follow=false",
    "--no-pager",
    "--literal-pathspecs",
)
DIFF_FLAGS: tuple[str, ...] = (
    "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--text",
    "--full-index", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative",
)
NULL_OID = lazyre.compile(r"^0+$")
OID = lazyre.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


# Paths git hands to hooks, possibly relative to the directory the hook started
# in (pre-receive gets GIT_DIR=., `git commit` a relative GIT_INDEX_FILE).
_PATH_VARIABLES = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH", "GIT_COMMON_DIR",
                   "GIT_WORK_TREE")


def _env(cwd: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    env.pop("GIT_EXTERNAL_DIFF", None)
    env.pop("GIT_DIFF_OPTS", None)
    if cwd is not None and os.path.abspath(cwd) != os.getcwd():
        # A git started elsewhere would resolve them against the wrong directory
        # and lose the quarantined objects or the index being committed.
        for name in _PATH_VARIABLES:
            value = env.get(name)
            if value and not os.path.isabs(value):
                env[name] = os.path.abspath(value)
    return env


class Deadline:
    """A bound on the whole run, shared by every git call in it."""

    __slots__ = ("at",)

    def __init__(self, at: float | None = None) -> None:
        self.at = at

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        return cls(None if seconds is None else time.monotonic() + seconds)

    def remaining(self) -> float | None:
        if self.at is None:
            return None
        left = self.at - time.monotonic()
        if left <= 0:
            raise GitError("time limit reached before the check finished")
        return left


NO_DEADLINE = Deadline()


def run(args: Sequence[str], *, cwd: str | None = None, stdin: bytes | None = None,
        deadline: Deadline = NO_DEADLINE, ok_codes: tuple[int, ...] = (0,), magic_pathspecs: bool = False) -> bytes:
    """Run git with the safe configuration and return its standard output.

    With `magic_pathspecs` the caller writes every pathspec with its own magic
    (`:(literal,icase)x`), since `--literal-pathspecs` would read the magic as a name.
    """
    try:
        proc = subprocess.run(_command(args, magic_pathspecs), cwd=cwd, input=stdin, capture_output=True,
                              env=_env(cwd), timeout=deadline.remaining())
    except subprocess.TimeoutExpired:
        raise GitError(f"time limit reached while running git {args[0]}") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    _check(args, proc.returncode, proc.stderr, ok_codes)
    return proc.stdout


def _command(args: Sequence[str], magic_pathspecs: bool) -> list[str]:
    config = [a for a in SAFE_CONFIG if a != "--literal-pathspecs"] if magic_pathspecs else SAFE_CONFIG
    return ["git", *config, *args]


def _check(args: Sequence[str], returncode: int, stderr: bytes, ok_codes: tuple[int, ...]) -> None:
    if returncode not in ok_codes:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {returncode}"
        raise GitError(f"git {args[0]} failed: {detail}")


class Running:
    """A git command started in the background, so that Python can work meanwhile.
    Its output goes to temporary files: git never waits for a reader."""

    def __init__(self, args: Sequence[str], *, cwd: str | None = None, stdin: bytes = b"",
                 deadline: Deadline = NO_DEADLINE, magic_pathspecs: bool = False) -> None:
        import tempfile  # noqa: PLC0415 - not on the path of a commit without agent files

        self.args = list(args)
        self.deadline = deadline
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        with tempfile.TemporaryFile() as given:
            given.write(stdin)
            given.seek(0)
            try:
                self._proc = subprocess.Popen(_command(args, magic_pathspecs), cwd=cwd, stdin=given,
                                              stdout=self._out, stderr=self._err, env=_env(cwd))
            except OSError as exc:
                self.close()
                raise GitError(f"cannot run git: {exc}") from None

    def result(self) -> bytes:
        """Wait for git and return its standard output, as `run` does."""
        try:
            self._proc.wait(timeout=self.deadline.remaining())
        except (subprocess.TimeoutExpired, GitError):
            self.stop()
            raise GitError(f"time limit reached while running git {self.args[0]}") from None
        try:
            self._err.seek(0)
            _check(self.args, self._proc.returncode, self._err.read(), (0,))
            self._out.seek(0)
            return self._out.read()
        finally:
            self.close()

    def running(self) -> bool:
        return self._proc.poll() is None

    def stop(self) -> None:
        """End git early: its answer is no longer needed (nothing happens once it has ended)."""
        self._proc.kill()
        self._proc.wait()
        self.close()

    def close(self) -> None:
        self._out.close()
        self._err.close()


def is_null(oid: str) -> bool:
    """A null object id, in SHA-1 (40 zeros) and SHA-256 (64 zeros) repositories."""
    return bool(NULL_OID.match(oid))


def toplevel(cwd: str | None = None) -> str:
    return run(["rev-parse", "--show-toplevel"], cwd=cwd).decode("utf-8", "surrogateescape").rstrip("\n")


def empty_tree(cwd: str | None = None) -> str:
    return run(["hash-object", "-t", "tree", "--stdin"], cwd=cwd, stdin=b"").decode().strip()


def resolve(rev: str, cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> str | None:
    """The commit `rev` names, or None when there is no such commit.

    A name that resolves to an object the repository does not have (HEAD of a
    broken repository) is a GitError, not None: read as "no commit yet", it
    would judge against the empty tree with the default policy and pass silently.
    """
    out = run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
              cwd=cwd, ok_codes=(0, 1), deadline=deadline)
    commit = out.decode().strip()
    if commit:
        return commit
    named = run(["rev-parse", "--verify", "--quiet", "--end-of-options", rev], cwd=cwd, ok_codes=(0, 1),
                deadline=deadline).decode("ascii", "replace").strip()
    if OID.match(named) and describe([named], cwd, deadline)[0].type == "missing":
        raise GitError(f"{rev} names object {named}, which is missing from the repository")
    return None


def head_or_empty_tree(cwd: str | None = None) -> str:
    """HEAD, or the empty tree in a repository with no commit yet."""
    return resolve("HEAD", cwd) or empty_tree(cwd)


def toplevel_and_head(cwd: str | None = None) -> tuple[str, str | None]:
    """The top of the working tree and the commit HEAD names (None before the
    first commit), in one git call where HEAD is a commit: every commit pays for it.

    git prints the top, then the commit when there is one. Only a top whose last
    line is itself an object id could be misread, and then the calls that
    follow fail on the wrong directory: an error, never a silent pass.
    """
    out = run(["rev-parse", "--show-toplevel", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}"],
              cwd=cwd, ok_codes=(0, 1)).decode("utf-8", "surrogateescape")
    top, _, last = out.removesuffix("\n").rpartition("\n")
    if top and OID.match(last):
        return top, last
    top = out.removesuffix("\n")
    return top, resolve("HEAD", top)  # no commit yet, or a broken HEAD: resolve tells them apart


class RawEntry(namedtuple("RawEntry", "commit old_mode new_mode old_oid new_oid status path")):
    """One path of a `--raw -z` listing: exact bytes of the path, modes and blob ids.
    (commit: str | None; the rest str.) A named tuple, not a dataclass: this
    module is on the path of every commit, and dataclasses costs more to import
    than the whole check of a commit without agent files."""

    __slots__ = ()


def _raw_records(out: bytes, with_commits: bool) -> Iterator[str | RawEntry]:
    """Commit ids (when `with_commits`) and entries of `--raw -z` output, in order."""
    fields = out.split(b"\0")
    commit: str | None = None
    i = 0
    while i < len(fields):
        # `git log -z` puts a newline between a commit id and its first entry;
        # a path is never looked at here, it is always taken whole below.
        field = fields[i].lstrip(b"\n")
        if not field:
            i += 1
            continue
        if field.startswith(b":"):
            meta = field[1:].decode("ascii", "replace").split()
            if len(meta) < 5 or i + 1 >= len(fields):
                raise GitError("unexpected output from git diff --raw")
            path = fields[i + 1].decode("utf-8", "surrogateescape")
            yield RawEntry(commit, meta[0], meta[1], meta[2], meta[3], meta[4][:1], path)
            i += 2
        elif with_commits and OID.match(field.strip().decode("ascii", "replace")):
            commit = field.strip().decode("ascii")
            yield commit
            i += 1
        else:
            raise GitError("unexpected output from git diff --raw")


def parse_raw(out: bytes, with_commits: bool) -> list[RawEntry]:
    """Parse `--raw -z` output; with `--stdin`, commit ids precede their entries."""
    return [r for r in _raw_records(out, with_commits) if isinstance(r, RawEntry)]


def staged_raw(base: str, cwd: str | None = None) -> list[RawEntry]:
    out = run(["diff-index", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--ignore-submodules=none", base,
               "--"], cwd=cwd)
    return parse_raw(out, with_commits=False)


def staged_patch(base: str, paths: Iterable[str], cwd: str | None = None) -> bytes:
    return run(["diff-index", "--cached", "-p", *DIFF_FLAGS, base, "--", *paths], cwd=cwd)


def commits_raw(commits: Sequence[str], cwd: str | None = None,
                deadline: Deadline = NO_DEADLINE) -> list[RawEntry]:
    """Every path each commit changes against its first parent (merges included)."""
    if not commits:
        return []
    out = run(["diff-tree", "--stdin", "-r", "-z", "--raw", "--no-renames", "--no-abbrev", "--root",
               "--diff-merges=first-parent", "--ignore-submodules=none"], cwd=cwd,
              stdin="\n".join(commits).encode() + b"\n", deadline=deadline)
    return parse_raw(out, with_commits=True)


def commits_patch(commits: Sequence[str], paths: Iterable[str], cwd: str | None = None,
                  deadline: Deadline = NO_DEADLINE) -> dict[str, bytes]:
    """The first-parent patch of each commit, restricted to `paths`."""
    out = run(["diff-tree", "--stdin", "-p", "--root", "--diff-merges=first-parent", *DIFF_FLAGS, "--", *paths],
              cwd=cwd, stdin="\n".join(commits).encode() + b"\n", deadline=deadline)
    wanted = set(commits)
    patches: dict[str, list[bytes]] = {}
    current: list[bytes] | None = None
    for line in out.splitlines(keepends=True):
        # Inside a patch every content line starts with ' ', '+', '-' or '\',
        # so a bare object id can only be the header of the next commit.
        stripped = line.rstrip(b"\n")
        if stripped.decode("ascii", "replace") in wanted:
            current = patches.setdefault(stripped.decode(), [])
            continue
        if current is not None:
            current.append(line)
    return {c: b"".join(lines) for c, lines in patches.items()}


def rev_list(args: Sequence[str], cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> list[str]:
    out = run(["rev-list", *args], cwd=cwd, deadline=deadline)
    return out.decode("ascii", "replace").split()


def read_blobs(oids: Iterable[str], cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> dict[str, bytes]:
    """Contents of blobs, read in one `cat-file --batch` process."""
    wanted = sorted({o for o in oids if not is_null(o)})
    if not wanted:
        return {}
    out = run(["cat-file", "--batch"], cwd=cwd, stdin="\n".join(wanted).encode() + b"\n", deadline=deadline)
    blobs: dict[str, bytes] = {}
    pos = 0
    for oid in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii", "replace").split()
        pos = end + 1
        if len(header) != 3:
            raise GitError(f"object {oid} is missing from the repository")
        size = int(header[2])
        blobs[oid] = out[pos:pos + size]
        pos += size + 1
    return blobs


def object_type(oid: str, cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> str:
    return run(["cat-file", "-t", oid], cwd=cwd, deadline=deadline).decode().strip()


def files_at(rev: str, paths: Sequence[str], cwd: str | None = None,
             deadline: Deadline = NO_DEADLINE) -> dict[str, bytes | None]:
    """The content of each path (from the repository root) in commit `rev` (the
    index, stage 0, for ""), None where the path is missing or not a file; one `cat-file --batch`."""
    return {path: data for (_, path), data in files_of([(rev, path) for path in paths], cwd, deadline).items()}


def files_of(wanted: Sequence[tuple[str, str]], cwd: str | None = None,
             deadline: Deadline = NO_DEADLINE) -> dict[tuple[str, str], bytes | None]:
    """`files_at` for (revision, path) pairs of several revisions, in one call.
    A path holding a newline cannot be named to `cat-file` and reads as missing."""
    asked = [(rev, path) for rev, path in wanted if "\n" not in path]
    found: dict[tuple[str, str], bytes | None] = {(rev, path): None for rev, path in wanted}
    if not asked:
        return found
    names = [f"{rev}:{path}" if rev else f":0:{path}" for rev, path in asked]  # `:0:` or `0:d/x` reads as a stage
    out = run(["cat-file", "--batch"], cwd=cwd, stdin="\n".join(names).encode() + b"\n", deadline=deadline)
    pos = 0
    for key, name in zip(asked, names):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("utf-8", "replace")
        pos = end + 1
        if header == f"{name} missing":
            continue
        fields = header.split()
        if len(fields) != 3:
            raise GitError(f"unexpected output from git cat-file for {name}")
        size = int(fields[2])
        found[key] = out[pos:pos + size] if fields[1] == "blob" else None
        pos += size + 1
    return found


# The empty tree of SHA-1 and SHA-256 repositories, by the length of their ids.
EMPTY_TREES = {40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
               64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"}


def staged_files_matching(pathspecs: Sequence[str], cwd: str | None = None) -> list[str]:
    """The files of the index that match `pathspecs`, each written with its own magic."""
    out = run(["ls-files", "-z", "--cached", "--", *pathspecs], cwd=cwd, magic_pathspecs=True)
    return list(dict.fromkeys(p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p))


# Every commit's own first-parent diff: merges included (an "evil merge" adds
# lines in its conflict resolution), side branches walked even when a pathspec
# would let git simplify them away, root commits diffed against the empty tree.
WALK_FLAGS: tuple[str, ...] = (
    "--format=%H", "-z", "--raw", "--no-renames", "--no-abbrev", "--root", "--full-history",
    "--diff-merges=first-parent", "--ignore-submodules=none", "--no-textconv", "--no-ext-diff",
)


def start_walk(tips: Sequence[str], exclude: Sequence[str], *, cwd: str | None = None,
               deadline: Deadline = NO_DEADLINE) -> Running:
    """List every commit reachable from `tips` and not from `exclude`, each with
    every path it changes; `parse_walk` reads the answer.

    `tips` travel on standard input (a push may move thousands of refs); `exclude`
    holds rev-list arguments such as `--branches` or commit ids. No pathspec: git
    matches a wildcard pathspec (`**/CLAUDE.md`, needed to find agent files at
    any depth) more slowly than it lists every changed path, and a literal one
    cannot name a directory it does not know. The listing costs what reading
    the changed trees costs, once.
    """
    args = ["log", *WALK_FLAGS, "--stdin", "--not", *exclude, "--"]
    return Running(args, cwd=cwd, stdin="".join(f"{t}\n" for t in tips).encode(), deadline=deadline)


def parse_walk(out: bytes, keep: Callable[[str, str, str], bool] | None = None) -> tuple[list[str], list[RawEntry]]:
    """The commits of a walk's output, and their entries; with `keep`, only the
    entries for which keep(path, old mode, new mode) holds are built: most paths
    of a large push are no agent file, and building each would cost more than
    git took to list it."""
    commits: list[str] = []
    entries: list[RawEntry] = []
    fields = out.split(b"\0")
    commit: str | None = None
    i, count = 0, len(fields)
    while i < count:
        # `git log -z` puts a newline between a commit id and its first entry;
        # a path is never looked at here, it is always taken whole below.
        field = fields[i].lstrip(b"\n")
        if not field:
            i += 1
        elif field[:1] == b":":
            meta = field[1:].decode("ascii", "replace").split()
            if len(meta) < 5 or i + 1 >= count:
                raise GitError("unexpected output from git log --raw")
            path = fields[i + 1].decode("utf-8", "surrogateescape")
            if keep is None or keep(path, meta[0], meta[1]):
                entries.append(RawEntry(commit, meta[0], meta[1], meta[2], meta[3], meta[4][:1], path))
            i += 2
        else:
            commit = field.strip().decode("ascii", "replace")
            if not OID.match(commit):
                raise GitError("unexpected output from git log --raw")
            commits.append(commit)
            i += 1
    return commits, entries


def trees_raw(pairs: Sequence[tuple[str, str]], cwd: str | None = None, deadline: Deadline = NO_DEADLINE,
              pathspecs: Sequence[str] = ()) -> list[list[RawEntry]]:
    """What differs within each (old, new) pair of commits or trees (among
    `pathspecs`, each with its own magic, when given), in two git calls however
    many pairs there are: a push of thousands of refs must not cost a git
    process per ref. Entries in the order of `pairs`."""
    if not pairs:
        return []
    names = list(dict.fromkeys(name for pair in pairs for name in pair))
    query = "".join(f"{name}^{{tree}}\n" for name in names).encode()
    out = run(["cat-file", "--batch-check=%(objectname) %(objecttype)"], cwd=cwd, stdin=query, deadline=deadline)
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) != len(names) or any(not line.endswith(" tree") for line in lines):
        raise GitError(f"cannot read the trees of {len(names)} commits: {next(iter(lines), '')}")
    tree = {name: line.split(" ", 1)[0] for name, line in zip(names, lines)}
    stdin = "".join(f"{tree[old]} {tree[new]}\n" for old, new in pairs).encode()
    # --always: a header for every pair, an empty diff included, so that the
    # output maps back to the input line by line.
    out = run(["diff-tree", "--stdin", "--always", "-r", "-z", "--raw", "--no-renames", "--no-abbrev",
               "--ignore-submodules=none", *(["--", *pathspecs] if pathspecs else [])], cwd=cwd, stdin=stdin,
              deadline=deadline, magic_pathspecs=bool(pathspecs))
    listed: list[list[RawEntry]] = []
    fields = out.split(b"\0")
    i = 0
    while i < len(fields):
        field = fields[i]
        if field.startswith(b":") and listed and i + 1 < len(fields):
            meta = field[1:].decode("ascii", "replace").split()
            if len(meta) < 5:
                raise GitError("unexpected output from git diff-tree --stdin")
            path = fields[i + 1].decode("utf-8", "surrogateescape")
            listed[-1].append(RawEntry(None, meta[0], meta[1], meta[2], meta[3], meta[4][:1], path))
            i += 2
            continue
        # A pair's header line ("<tree> <tree>") ends in a newline, not a NUL:
        # the first entry's metadata follows in the same field.
        head, _, rest = field.partition(b"\n")
        header = head.decode("ascii", "replace").split(" ")
        if len(header) == 2 and all(OID.match(h) for h in header):
            listed.append([])
        elif field.strip():
            raise GitError("unexpected output from git diff-tree --stdin")
        if rest:
            fields[i] = rest
        else:
            i += 1
    if len(listed) != len(pairs):
        raise GitError("unexpected output from git diff-tree --stdin")
    return listed


def tree_patch(old: str, new: str, paths: Iterable[str], cwd: str | None = None,
               deadline: Deadline = NO_DEADLINE) -> bytes:
    return run(["diff-tree", "-p", *DIFF_FLAGS, old, new, "--", *paths], cwd=cwd, deadline=deadline)


class ObjectInfo(namedtuple("ObjectInfo", "oid type commit")):
    """What an object id names: its own type, and the commit it peels to (tags
    followed; None when it peels to no commit)."""

    __slots__ = ()


def describe(oids: Sequence[str], cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> list[ObjectInfo]:
    """Type and peeled commit of each object, in one `cat-file --batch-check`; the
    type is "missing" for an object the repository does not have."""
    if not oids:
        return []
    query = "".join(f"{o}\n{o}^{{commit}}\n" for o in oids).encode()
    out = run(["cat-file", "--batch-check=%(objectname) %(objecttype)"], cwd=cwd, stdin=query, deadline=deadline)
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) != 2 * len(oids):
        raise GitError("unexpected output from git cat-file --batch-check")
    infos = []
    for oid, own, peeled in zip(oids, lines[0::2], lines[1::2]):
        kind = own.rpartition(" ")[2]
        commit, _, peeled_kind = peeled.rpartition(" ")
        infos.append(ObjectInfo(oid, kind, commit if peeled_kind == "commit" else None))
    return infos


def merge_base(a: str, b: str, cwd: str | None = None, deadline: Deadline = NO_DEADLINE) -> str | None:
    """The best common ancestor of two commits, or None for unrelated histories."""
    out = run(["merge-base", "--end-of-options", a, b], cwd=cwd, ok_codes=(0, 1), deadline=deadline)
    return out.decode().strip() or None


def config_value(key: str, cwd: str | None = None) -> str | None:
    """A value of the repository's git configuration, or None when unset."""
    out = run(["config", "--get", key], cwd=cwd, ok_codes=(0, 1))
    return out.decode("utf-8", "surrogateescape").rstrip("\n") or None


def git_path(name: str, cwd: str | None = None) -> str:
    """`git rev-parse --git-path`: honours core.hooksPath for `hooks`; absolute."""
    out = run(["rev-parse", "--git-path", name], cwd=cwd).decode("utf-8", "surrogateescape").rstrip("\n")
    return os.path.normpath(os.path.join(cwd or os.getcwd(), out))


def staged_entries(cwd: str | None = None) -> list[RawEntry]:
    """Entries whose staged content differs from HEAD; one call, also before the first commit."""
    out = run(["diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--ignore-submodules=none"],
              cwd=cwd)
    return parse_raw(out, with_commits=False)


def tracked_files(cwd: str | None = None) -> list[str]:
    out = run(["ls-files", "-z"], cwd=cwd)
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def reachable(tips: Sequence[str], exclude: Sequence[str], cwd: str | None = None,
              deadline: Deadline = NO_DEADLINE) -> list[str]:
    """Commits reachable from `tips` (read from standard input) and not from `exclude`."""
    out = run(["rev-list", "--stdin", "--not", *exclude], cwd=cwd,
              stdin="".join(f"{t}\n" for t in tips).encode(), deadline=deadline)
    return out.decode("ascii", "replace").split()
