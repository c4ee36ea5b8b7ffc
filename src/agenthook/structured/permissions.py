"""Pre-approvals judged by what they grant: allow rules and directories.

The judgement of a rule is grants', with the narrowings it does not make yet;
a directory is judged by what it holds (the home directory, credential
folders, a sibling project).
"""
from __future__ import annotations

import re

from agenthook import grants, lazyre
from agenthook.model import Severity


def is_rule(text: str) -> bool:
    """Shaped like a permission rule: `Tool` or `Tool(specifier)`."""
    return bool(re.fullmatch(r"(?:[A-Z][A-Za-z]*(?:\(.*\))?|mcp__\S+)", text.strip(), re.DOTALL))


# Long forms only: short ones mean other things to some programs (`python -v`
# is verbose and still runs code, `sort -h` sorts).
_VERSION_PROBE = lazyre.compile(r"^[\w./-]+ (?:--version|--help)$")
# Subcommands of package managers that run a `package.json` script when given
# any other word (`pnpm lint` is `pnpm run lint`).
_SCRIPT_RUNNERS: dict[str, frozenset[str]] = {
    "pnpm": frozenset("add audit bin c cache cat-file cat-index ci clean config create dedupe deploy dlx doctor env "
                      "exec fetch find-hash get help i import init install install-test it licenses link list ll ln "
                      "login logout ls outdated pack patch patch-commit patch-remove prune publish rb rebuild "
                      "recursive remove rm root run sbom self-update server set setup start store t test un "
                      "uninstall unlink up update upgrade why approve-builds ignored-builds x".split()),
    "yarn": frozenset("add audit autoclean bin cache check config constraints create dedupe dlx exec explain "
                      "generate-lock-entry global help import info init install licenses link list login logout "
                      "node npm outdated owner pack patch patch-commit plugin policies publish rebuild remove run "
                      "search set tag team unlink unplug up upgrade upgrade-interactive version versions why "
                      "workspace workspaces".split()),
}


def judge_allow(rule: str) -> grants.Grant | None:
    """grants' judgement of a Claude allow rule, with two narrowings grants
    does not make yet: a rule fixing a version or help flag right after the
    program (`node --version -e …` prints and exits, it runs no code), and a
    package manager given a script name (`pnpm lint:*` runs the `lint` script,
    as `pnpm run lint:*` does)."""
    match = re.fullmatch(r"Bash\((.*?)(:\*| \*)?\)", rule.strip(), re.DOTALL)
    if match:
        command, wildcard = match.group(1).strip(), match.group(2) or ""
        if wildcard and _VERSION_PROBE.match(command):
            return None
        words = command.split()
        builtins = _SCRIPT_RUNNERS.get(words[0]) if words else None
        if builtins is not None and len(words) > 1 and not words[1].startswith("-") and words[1] not in builtins \
                and "*" not in words[1]:
            return grants.judge_claude_rule(f"Bash({words[0]} run {' '.join(words[1:])}{wildcard})")
    return grants.judge_claude_rule(rule)


_HOME = lazyre.compile(r"^(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|/Users/[^/]+|/home/[^/]+|[A-Za-z]:\\Users\\[^\\]+)$",
                   re.IGNORECASE)
_CREDENTIAL_DIRS = lazyre.compile(
    r"(?:^|/)(?:\.ssh|\.aws|\.gnupg|\.kube|\.docker|\.azure|\.config/gcloud|\.config/gh|\.netrc|\.npmrc|\.pypirc"
    r"|\.git-credentials|\.claude|\.codex|\.gemini|\.password-store|Library/Keychains)(?:/|$)",
)


def judge_directory(path: str, access: str) -> tuple[Severity, str] | None:
    """A directory the agent may reach beyond the repository, by what is in it."""
    text = path.strip().rstrip("/\\") or "/"
    if text in ("/", "//", "\\") or re.fullmatch(r"[A-Za-z]:", text) or _HOME.match(text):
        return Severity.HIGH, f"`{path}` lets the agent {access} every file of the user, keys and tokens included"
    if _CREDENTIAL_DIRS.search(text.replace("\\", "/")) or text.startswith(("/etc", "~/.config")):
        return Severity.HIGH, f"`{path}` lets the agent {access} credential files"
    if text.startswith(("..", "/", "~", "$")) or re.match(r"^[A-Za-z]:\\", text):
        return Severity.MEDIUM, f"`{path}` lets the agent {access} files outside the repository"
    return None
