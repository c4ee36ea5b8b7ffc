"""Writing agenthook's git hooks into repositories.

`agenthook install` writes pre-commit and pre-push hooks into the repository
of the current directory (where core.hooksPath points, when it is set), for
teams that do not use the pre-commit framework. A hook agenthook did not write
is replaced only with --force, and is then kept beside it as
`<hook>.agenthook-backup`.

`agenthook install --server REPO` writes the pre-receive hook of a bare
repository: into `hooks/pre-receive.d/` where the host already chains hooks
from there (Gitea, Forgejo), else `hooks/pre-receive`. A pre-receive hook
already there keeps running: it is moved to `pre-receive.before-agenthook`
and run first, and the push is accepted only when both accept it (replacing
it would silently switch off whatever policy it enforced). It writes into
the repository itself, not into a core.hooksPath that the system or global git
configuration shares between repositories, unless asked to (--shared-hooks).
Before writing, it checks, as the repository's owner (the account git runs
its hooks as on most servers), that the interpreter and the policy file can
be used; git's refusal of a repository owned by someone else (safe.directory)
is reported as such.

The hooks run the interpreter that ran `install`, so they work without an
activated virtual environment and without agenthook on PATH; if it is gone or
cannot be run they refuse (fail closed) and say which.
"""
from __future__ import annotations

import os
import shlex
import sys

from agenthook import git
from agenthook.errors import AgenthookError, GitError

MARKER = "# agenthook-managed hook"
BACKUP_SUFFIX = ".agenthook-backup"
CLIENT_HOOKS = {"pre-commit": "pre-commit", "pre-push": 'pre-push "$@"'}
# Not `python -m`: git runs a client hook at the top of the working tree, and
# -m (like -c) puts that directory first on sys.path, so a repository holding
# `agenthook/hookcli.py` or `subprocess.py` would run its own code as the hook.
# No single quote inside: the shell script quotes it with them.
_ENTRY = """import sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]
try:
    from agenthook.hookcli import main
except ImportError as exc:
    sys.stderr.write("agenthook: %s cannot import agenthook (%s), so this hook refuses; "
                     "install agenthook for that interpreter again\\n" % (sys.executable, exc))
    sys.exit(3)
sys.exit(main())"""
CHAINED = "pre-receive.before-agenthook"


def script(hook: str, command: str) -> str:
    python = shlex.quote(sys.executable)
    return f"""#!/bin/sh
{MARKER} ({hook}): written by `agenthook install`; delete this file to remove it.
python={python}
if [ ! -x "$python" ]; then
    echo "agenthook: $python is gone, so this {hook} hook refuses; run \\`agenthook install\\` again" >&2
    exit 3
fi
exec "$python" -c '{_ENTRY}' {command}
"""


def server_script(command: str, chained: bool) -> str:
    """The pre-receive hook: the interpreter checked (gone, or not runnable by the
    account git runs hooks as, are told apart), then the hook that was there
    before, if any, then agenthook, each reading the same list of refs."""
    python = shlex.quote(sys.executable)
    if chained:
        run = f"""refs=$(mktemp) || exit 3
trap 'rm -f "$refs"' EXIT
trap 'exit 3' HUP INT TERM
cat >"$refs"
"$(dirname "$0")/{CHAINED}" "$@" <"$refs" || exit $?
"$python" -c '{_ENTRY}' {command} <"$refs"
"""
    else:
        run = f"""exec "$python" -c '{_ENTRY}' {command}
"""
    return f"""#!/bin/sh
{MARKER} (pre-receive): written by `agenthook install --server`; delete this file to remove it.
python={python}
if [ ! -x "$python" ]; then
    cat >/dev/null
    who=$(id -un 2>/dev/null || id -u)
    if [ -e "$python" ] || [ -L "$python" ]; then
        echo "agenthook: $who may not run $python (it, or the interpreter it links to, is not executable or sits in a directory closed to $who), so this pre-receive hook refuses the push" >&2
    else
        echo "agenthook: $python is gone, so this pre-receive hook refuses the push; run \\`agenthook install --server\\` again" >&2
    fi
    exit 3
fi
{run}"""


def _ours(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return MARKER.encode() in handle.read(1024)
    except OSError:
        return False


def _refuse_foreign(paths: list[str], force: bool) -> None:
    foreign = [p for p in paths if os.path.lexists(p) and not _ours(p)]
    if foreign and not force:
        names = ", ".join(foreign)
        raise AgenthookError(f"{names} exists and was not written by agenthook; nothing was installed. "
                             f"Rerun with --force to replace it (it is kept as <hook>{BACKUP_SUFFIX}).")


def _write(path: str, body: str) -> None:
    if os.path.lexists(path) and not _ours(path):
        os.replace(path, path + BACKUP_SUFFIX)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.agenthook-new"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(body)
    os.chmod(temporary, 0o755)
    os.replace(temporary, path)


def _hooks_dir(cwd: str | None) -> str:
    try:
        return git.git_path("hooks", cwd)
    except GitError as exc:
        raise AgenthookError(f"cannot find the repository's hooks directory: {exc}") from None


def _require_repository(path: str) -> None:
    """`path` itself is a repository, not a directory inside some other one, and
    git agrees to work in it."""
    try:
        found = git.run(["rev-parse", "--absolute-git-dir"], cwd=path).decode("utf-8", "surrogateescape").strip()
    except GitError as exc:
        if "safe.directory" in str(exc) or "dubious ownership" in str(exc):
            owner = _owner_name(os.stat(path).st_uid)
            raise AgenthookError(
                f"git refuses to work in {path}: it belongs to {owner}, not to the user running this install, "
                "and git's safe.directory protection stops it (\"dubious ownership\"). Run the install as the "
                f"repository's owner: sudo -u {owner} {shlex.quote(sys.executable)} -m agenthook install "
                f"--server {shlex.quote(path)} ...") from None
        found = ""
    if os.path.realpath(found) not in (path, os.path.join(path, ".git")):
        raise AgenthookError(f"{path} is not a git repository")


def _owner_name(uid: int) -> str:
    import pwd  # noqa: PLC0415 - POSIX only, like the hooks

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def client_hooks(force: bool = False) -> list[str]:
    """Write the pre-commit and pre-push hooks of the current repository."""
    hooks = _hooks_dir(None)
    paths = {os.path.join(hooks, hook): script(hook, command) for hook, command in CLIENT_HOOKS.items()}
    _refuse_foreign(list(paths), force)
    for path, body in paths.items():
        _write(path, body)
    return list(paths)


def server_hook(repository: str, config: str | None = None, force: bool = False,
                shared_hooks: bool = False) -> list[str]:
    """Write the pre-receive hook of a (bare) server repository; see the module's
    docstring. A foreign `hooks/pre-receive` is chained, never replaced; `force`
    only lets a foreign `pre-receive.d/agenthook` (a copy of the ready-made
    script, most likely) be replaced by the hook install writes."""
    if not os.path.isdir(repository):
        raise AgenthookError(f"{repository} is not a directory")
    command = "pre-receive"
    if config is not None:
        config = os.path.abspath(config)
        if not os.path.isfile(config):
            raise AgenthookError(f"the server policy {config} does not exist")
        command += f" --config {shlex.quote(config)}"
    repository = os.path.realpath(repository)
    _require_repository(repository)
    hooks = _server_hooks_dir(repository, shared_hooks)
    _check_as_owner(repository, config)
    chained_dir = os.path.join(hooks, "pre-receive.d")
    if os.path.isdir(chained_dir):
        path = os.path.join(chained_dir, "agenthook")
        _refuse_foreign([path], force)
        _write(path, server_script(command, chained=False))
        return [path]
    path = os.path.join(hooks, "pre-receive")
    before = os.path.join(hooks, CHAINED)
    if os.path.lexists(path) and not _ours(path) and not os.access(path, os.X_OK):
        os.replace(path, path + BACKUP_SUFFIX)  # git never ran it: kept as it was, inert
    if os.path.lexists(path) and not _ours(path):
        if os.path.lexists(before):
            raise AgenthookError(f"{path} was not written by agenthook and {before} exists already; "
                                 "nothing was installed. Merge the two by hand, then run the install again.")
        os.replace(path, before)
    _write(path, server_script(command, chained=os.path.lexists(before)))
    return [path]


def _server_hooks_dir(repository: str, shared: bool) -> str:
    """The repository's hooks directory, unless core.hooksPath sends git elsewhere:
    set by the repository itself, it is used; set by the system or global
    configuration, it is shared by every repository there and used only when asked."""
    own = os.path.join(repository, "hooks")
    out = git.run(["config", "--show-scope", "--get", "core.hooksPath"], cwd=repository, ok_codes=(0, 1))
    scope, _, value = out.decode("utf-8", "surrogateescape").rstrip("\n").partition("\t")
    hooks = _hooks_dir(repository)
    if not value or scope == "local" or shared or hooks == own:
        return hooks
    raise AgenthookError(
        f"core.hooksPath is set to {value} in the {scope} git configuration, so git runs the hooks there for every "
        f"repository that shares it, and never {own}; nothing was installed. To give this repository its own "
        f"hooks: git -C {shlex.quote(repository)} config core.hooksPath hooks, then install again; to install "
        f"into {hooks} for all of them (with this policy), add --shared-hooks.")


_PROBE = """import sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]
import agenthook.hookcli
if len(sys.argv) > 1:
    from agenthook.policy import load_path
    load_path(sys.argv[1])"""


def _check_as_owner(repository: str, config: str | None) -> None:
    """Run the hook's interpreter as git will, as the repository's owner (switching
    to that account when run by root): it must start, import agenthook and read
    the policy. A hook that cannot would refuse every push."""
    import subprocess  # noqa: PLC0415

    owner = os.stat(repository).st_uid
    switch: dict[str, object] = {}
    if owner != os.geteuid():
        if os.geteuid() != 0:
            return  # git itself refused a repository of another owner above, unless safe.directory allows it
        import pwd  # noqa: PLC0415

        try:
            entry = pwd.getpwuid(owner)
        except KeyError:
            switch = {"user": owner, "group": os.stat(repository).st_gid, "extra_groups": []}
        else:
            switch = {"user": owner, "group": entry.pw_gid,
                      "extra_groups": os.getgrouplist(entry.pw_name, entry.pw_gid)}
    who = _owner_name(owner)
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE, *([config] if config else [])], cwd=repository,
                              capture_output=True, timeout=60, env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
                              **switch)  # type: ignore[call-overload]
    except PermissionError:
        raise AgenthookError(f"the hook would run as {who}, who may not run {sys.executable} (it, or the "
                             "interpreter it links to, is not executable or sits in a directory closed to that "
                             "user); nothing was installed. Install agenthook where that user can run it, for "
                             "example in a virtual environment that user owns.") from None
    except OSError as exc:
        raise AgenthookError(f"cannot run {sys.executable} as {who}: {exc.strerror}; nothing was installed") from None
    except subprocess.TimeoutExpired:
        raise AgenthookError(f"{sys.executable} run as {who} did not answer within 60 s; nothing was installed") \
            from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit status {proc.returncode}"
        raise AgenthookError(f"the hook would run as {who}, and {sys.executable} fails for that user: {detail}; "
                             "nothing was installed")
