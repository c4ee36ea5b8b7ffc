"""Writing `agenthook guard` into a coding agent's hook settings.

`agenthook install --agent claude-code` adds the guard to the user's settings
(`~/.claude/settings.json`), or with --project to the project's, as the hook
entry the agent's contract describes (data/agents.toml). The file is merged,
never rewritten from scratch: every other key, hook and permission stays as
it was, and a second run finds the guard there and changes nothing.

The command written is exact, so that agenthook can tell its own guard from
a hook someone else adds (structured/hooks.py asks `is_own_guard`): in the
user's settings, the absolute path of the `agenthook` that ran install (it
works without an activated virtual environment); in a project's settings,
which teammates share, plain `agenthook guard`, found on each one's PATH.
"""
from __future__ import annotations

import json
import os
import shlex
import sys
import sysconfig
from typing import Any

from agenthook.errors import AgenthookError

GUARD = "guard"
PORTABLE = f"agenthook {GUARD}"
_MAX_SETTINGS = 8 * 1024 * 1024  # gitsource.MAX_TEXT: a larger settings file is refused, not read


_INSTALLED: list[str] = []  # installed_command(), once found


def installed_command() -> str:
    """The guard as this installation runs it: its console script by absolute path."""
    if not _INSTALLED:
        name = "agenthook.exe" if os.name == "nt" else "agenthook"
        found = [os.path.join(d, name) for d in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable))
                 if d and os.path.isfile(os.path.join(d, name))]
        _INSTALLED.append(f"{shlex.quote(found[0])} {GUARD}" if found else PORTABLE)
    return _INSTALLED[0]


def is_own_guard(command: Any) -> bool:
    """Exactly a command `agenthook install --agent` writes: `agenthook guard`,
    or this installation's own console script with `guard`; nothing more on
    the line, and no other program of that name."""
    return isinstance(command, str) and command in (PORTABLE, installed_command())


def _agent(name: str) -> dict[str, Any]:
    from agenthook.guard import contracts  # noqa: PLC0415

    table = contracts.agents()
    if name not in table or "install" not in table[name]:
        known = ", ".join(n for n, a in table.items() if "install" in a)
        raise AgenthookError(f"unknown agent {name!r}; agenthook installs its guard for: {known}")
    return table[name]


def settings_path(name: str, project: bool, cwd: str | None = None) -> str:
    """The settings file the guard goes into: the user's, or the project's at
    the top of the repository of `cwd` (or `cwd` itself outside one)."""
    install = _agent(name)["install"]
    if not project:
        return os.path.expanduser(install["user"])
    from agenthook import git  # noqa: PLC0415

    try:
        top = git.toplevel(cwd)
    except AgenthookError:
        top = os.path.abspath(cwd or os.getcwd())
    return os.path.join(top, *install["project"].split("/"))


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_SETTINGS + 1)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise AgenthookError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > _MAX_SETTINGS:
        raise AgenthookError(f"{path} is larger than 8 MiB; nothing was installed")
    if not data.strip():
        return {}
    try:
        settings = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:
        raise AgenthookError(f"{path} is not valid JSON ({str(exc)[:200]}); fix it first, nothing was "
                             "installed") from None
    if not isinstance(settings, dict):
        raise AgenthookError(f"{path} holds a JSON {type(settings).__name__}, not an object; nothing was installed")
    return settings


def _entry(install: dict[str, Any], command: str) -> dict[str, Any]:
    if install["shape"] == "flat":
        return {"command": command, "show_output": True}
    handler: dict[str, Any] = {"type": "command", "command": command}
    if "timeout" in install:
        handler["timeout"] = install["timeout"]
    return {"matcher": install["matcher"], "hooks": [handler]}


def _present(groups: list[Any], shape: str) -> bool:
    """Whether an event's hook list already runs agenthook's guard."""
    for group in groups:
        if not isinstance(group, dict):
            continue
        handlers = [group] if shape == "flat" else group.get("hooks")
        if isinstance(handlers, list) and any(isinstance(h, dict) and is_own_guard(h.get("command"))
                                              for h in handlers):
            return True
    return False


def merged(settings: dict[str, Any], install: dict[str, Any], command: str) -> bool:
    """Add the guard to `settings` in place, for every event it needs; False
    when it is there already. A `hooks` or event value that is not what the
    agent expects is an error: replacing it would drop what it holds."""
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise AgenthookError("its `hooks` is not an object; nothing was installed")
    events = install["event"] if isinstance(install["event"], list) else [install["event"]]
    changed = False
    for event in events:
        groups = hooks.setdefault(event, [])
        if not isinstance(groups, list):
            raise AgenthookError(f"its `hooks.{event}` is not a list; nothing was installed")
        if not _present(groups, install["shape"]):
            groups.append(_entry(install, command))
            changed = True
    return changed


def install(name: str, project: bool, cwd: str | None = None) -> tuple[str, bool]:
    """Write the guard for agent `name`: (the settings file, whether it changed)."""
    install_spec = _agent(name)["install"]
    path = settings_path(name, project, cwd)
    settings = _read(path)
    if not merged(settings, install_spec, PORTABLE if project else installed_command()):
        return path, False
    path = os.path.realpath(path)  # a settings file linked from elsewhere (dotfiles) is written where it lives
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.agenthook-new"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(settings, indent=2, ensure_ascii=False) + "\n")
    if os.path.exists(path):
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
    os.replace(temporary, path)
    return path, True
