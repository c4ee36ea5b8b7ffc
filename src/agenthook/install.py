"""Writing agenthook's git hooks into repositories.

`agenthook install` writes pre-commit and pre-push hooks into the repository
of the current directory (where core.hooksPath points, when it is set), for
teams that do not use the pre-commit framework. `agenthook install --server
REPO` writes the pre-receive hook of a bare repository, into
`hooks/pre-receive.d/` where the host already chains hooks from there (Gitea,
Forgejo). A hook agenthook did not write is replaced only with --force, and is
then kept beside it as `<hook>.agenthook-backup`.

The hooks run the interpreter that ran `install`, so they work without an
activated virtual environment; if it is gone they refuse (fail closed) and say
how to reinstall.
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
_ENTRY = ("import sys; sys.path[:] = [p for p in sys.path if p not in (\"\", \".\")]; "
          "from agenthook.hookcli import main; sys.exit(main())")


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
    """`path` itself is a repository, not a directory inside some other one."""
    try:
        found = git.run(["rev-parse", "--absolute-git-dir"], cwd=path).decode("utf-8", "surrogateescape").strip()
    except GitError:
        found = ""
    if os.path.realpath(found) not in (path, os.path.join(path, ".git")):
        raise AgenthookError(f"{path} is not a git repository")


def client_hooks(force: bool = False) -> list[str]:
    """Write the pre-commit and pre-push hooks of the current repository."""
    hooks = _hooks_dir(None)
    paths = {os.path.join(hooks, hook): script(hook, command) for hook, command in CLIENT_HOOKS.items()}
    _refuse_foreign(list(paths), force)
    for path, body in paths.items():
        _write(path, body)
    return list(paths)


def server_hook(repository: str, config: str | None = None, force: bool = False) -> list[str]:
    """Write the pre-receive hook of a (bare) server repository."""
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
    hooks = _hooks_dir(repository)
    chained = os.path.join(hooks, "pre-receive.d")
    path = os.path.join(chained, "agenthook") if os.path.isdir(chained) else os.path.join(hooks, "pre-receive")
    _refuse_foreign([path], force)
    _write(path, script("pre-receive", command))
    return [path]
