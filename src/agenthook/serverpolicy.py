"""The server side's own settings: the policy a pre-receive hook judges by, and break-glass.

A push must not be able to loosen the policy it is judged by, so the policy is
never read from the pushed content. It is, in order: the file named by
`--config`, the file named by the server repository's git configuration
`agenthook.config` (relative to the repository), the file named by the
environment variable AGENTHOOK_CONFIG; with none of them, the built-in defaults
(fail closed, no break-glass).

Break-glass lets a push through that the check would stop, for an emergency: it
works only where the server policy enables it, demands a reason, and leaves a
line naming the pusher, the refs and the commits on standard error and in the
log file named by `agenthook.breakGlassLog` or AGENTHOOK_BREAK_GLASS_LOG.
"""
from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence

from agenthook import git
from agenthook.errors import AgenthookError
from agenthook.policy import Policy

CONFIG_KEY = "agenthook.config"
CONFIG_ENV = "AGENTHOOK_CONFIG"
LOG_KEY = "agenthook.breakGlassLog"
LOG_ENV = "AGENTHOOK_BREAK_GLASS_LOG"
BREAK_GLASS_OPTION = "agenthook.break-glass"
# Who pushed, as the hosts tell it, in this order: the user a web server
# authenticated (git http-backend), GitLab's user name and gitolite's user
# (named by the key), Gitea/Forgejo, GitHub Enterprise Server. USER, the
# account the hook runs as, comes last, after the key an ssh server reports.
PUSHER_VARIABLES = ("REMOTE_USER", "GL_USERNAME", "GL_USER", "GITEA_PUSHER_NAME", "GITHUB_USER_LOGIN")
# OpenSSH with `ExposeAuthInfo yes` names a file holding the methods and the key used.
SSH_AUTH_VARIABLE = "SSH_USER_AUTH"


class ServerConfigError(AgenthookError):
    """The server's policy is named but cannot be used; the push is refused."""


def _repository_path(value: str) -> str:
    if os.path.isabs(value):
        return value
    top = git.run(["rev-parse", "--absolute-git-dir"]).decode("utf-8", "surrogateescape").rstrip("\n")
    return os.path.join(top, value)


def locate(option: str | None) -> tuple[str, str] | None:
    """The policy file and what named it, or None when nothing does."""
    if option:
        return os.path.abspath(option), "--config"
    configured = git.config_value(CONFIG_KEY)
    if configured:
        return _repository_path(configured), f"git config {CONFIG_KEY}"
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return os.path.abspath(from_env), CONFIG_ENV
    return None


def load(option: str | None) -> Policy:
    """The server policy; a named file that cannot be read or parsed is an error."""
    found = locate(option)
    if found is None:
        return Policy(origin="built-in defaults (no server policy configured)")
    path, source = found
    if not os.path.isfile(path):
        raise ServerConfigError(f"the server policy {path} (named by {source}) does not exist")
    from agenthook.policy import load_path  # noqa: PLC0415 - only when a policy file is configured

    return load_path(path)


def push_options(environ: Mapping[str, str]) -> list[str]:
    """The `git push -o` values; absent and zero options are the same thing."""
    try:
        count = int(environ.get("GIT_PUSH_OPTION_COUNT", "0"))
    except ValueError:
        return []
    return [environ.get(f"GIT_PUSH_OPTION_{i}", "") for i in range(count)]


def break_glass_reason(options: Sequence[str]) -> str | None:
    """The reason given with `-o agenthook.break-glass=REASON`, "" when none was,
    None when the option is absent."""
    for option in options:
        name, _, value = option.partition("=")
        if name.strip() == BREAK_GLASS_OPTION:
            return " ".join(value.split())
    return None


def pusher(environ: Mapping[str, str]) -> str:
    """Who pushed: the first of PUSHER_VARIABLES that is set, else the ssh key
    (every key of an ssh server shares its account), else USER, else "unknown"."""
    named = next((environ[v] for v in PUSHER_VARIABLES if environ.get(v)), None)
    if named:
        return named
    key = ssh_key(environ.get(SSH_AUTH_VARIABLE))
    account = environ.get("USER") or "unknown"
    return f"{account} (ssh key {key})" if key else account


def ssh_key(path: str | None) -> str | None:
    """The fingerprint (`SHA256:...`, as ssh-keygen -l shows it) of the public key
    recorded in OpenSSH's SSH_USER_AUTH file; None without one."""
    import base64  # noqa: PLC0415
    import binascii  # noqa: PLC0415
    import hashlib  # noqa: PLC0415

    if not path:
        return None
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            lines = handle.read(64 * 1024).splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "publickey":
            try:
                blob = base64.b64decode(fields[2], validate=True)
            except (binascii.Error, ValueError):
                continue
            return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return None


def log_path(environ: Mapping[str, str]) -> str | None:
    configured = git.config_value(LOG_KEY)
    if configured:
        return _repository_path(configured)
    from_env = environ.get(LOG_ENV)
    return os.path.abspath(from_env) if from_env else None


def break_glass_line(who: str, reason: str, refs: Sequence[tuple[str, str, str]], commits: Sequence[str]) -> str:
    """One line for the audit trail: when, who, why, which refs moved, which commits came in."""
    moved = ", ".join(f"{ref} {old[:12]}..{new[:12]}" for ref, old, new in refs)
    shown = " ".join(c[:12] for c in commits[:50]) + (f" (+{len(commits) - 50} more)" if len(commits) > 50 else "")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f"agenthook: break-glass {when} pusher={who!r} reason={reason!r} refs=[{moved}] "
            f"commits={len(commits)}: {shown or '-'}")


def append_log(path: str, line: str) -> None:
    """Append to the break-glass log; a break-glass that cannot be recorded is refused."""
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(line + "\n")
    except OSError as exc:
        raise ServerConfigError(f"cannot write the break-glass log {path}: {exc.strerror}") from None
