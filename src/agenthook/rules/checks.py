"""The few parts of pattern rules that need code: judging the argument a
pattern captured, and raising severity when what is sent is a secret."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from agenthook import lazyre
from agenthook.model import Severity
from agenthook.rules import unicode

Verdict = tuple[Severity | None, str]

_SECRET_SOURCE = lazyre.compile(
    r"(?:^|[\s'\"@=(<`/])(?:\.env(?:\.[\w.-]+)?\b|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b"
    r"|id_(?:rsa|dsa|ecdsa|ed25519)\b|\.pem\b)"
    r"|~/\.ssh\b|\.aws/credentials|\.kube/config|\.docker/config\.json|\.config/gh/|\.config/gcloud"
    r"|\$\(\s*(?:env|printenv|set)\s*\)|\bprintenv\b|/proc/[\w/]*environ|\bgh\s+auth\s+token\b"
    r"|\bsecurity\s+find-(?:generic|internet)-password\b|\bkeychain\b"
    r"|\$\{?\w*(?:TOKEN|SECRET|PASSWORD|API_KEY|APIKEY|PRIVATE_KEY)\w*\}?",
    re.IGNORECASE,
)
_RULE_TOKEN = lazyre.compile(r"[A-Za-z_]\w*(?:\([^()]{0,400}\))?")


def escalation(name: str, text: str, severity: Severity, detail: str) -> tuple[Severity, str]:
    if name == "secret-source":
        m = _SECRET_SOURCE.search(text)
        if m:
            found = m.group().strip(" '\"@=(<`")
            return Severity.CRITICAL, f"What it sends includes secrets (`{found}`)."
    return severity, detail


def allowed_tools(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Judge the tools a `--allowedTools`-style flag grants, as a settings rule would be."""
    from agenthook import grants  # noqa: PLC0415

    argument = (match.group("arg") if match else "") or ""
    tokens = _RULE_TOKEN.findall(argument)
    if not tokens:
        return (Severity.MEDIUM, "The flag pre-approves tools for the whole session.") if argument else None
    verdicts = [g for token in tokens if (g := grants.judge_claude_rule(token))]
    if not verdicts:
        return None  # every tool it names is narrow
    worst = max(verdicts, key=lambda g: g.severity)
    return worst.severity, worst.reason


def not_loopback(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Skipping verification against this machine's own test server risks nothing."""
    from agenthook import context  # noqa: PLC0415

    found = context.hosts(text)
    if found and all(context.is_loopback(h) for h in found):
        return None
    return None, ""


# Installers that projects publish and document as `curl … | sh` (host, or
# host and path for shared hosts such as raw.githubusercontent.com).
_OFFICIAL_INSTALLERS = (
    "sh.rustup.rs", "static.rust-lang.org/rustup/", "raw.githubusercontent.com/homebrew/install/",
    "raw.githubusercontent.com/nvm-sh/nvm/", "get.docker.com", "astral.sh/uv/", "astral.sh/ruff/", "bun.sh/install",
    "deno.land/install.sh", "deno.land/install.ps1", "get.pnpm.io/install", "install.python-poetry.org",
    "sdk.cloud.google.com", "claude.ai/install", "starship.rs/install", "get.volta.sh", "fnm.vercel.app/install",
    "pyenv.run", "mise.run", "tailscale.com/install", "get.scoop.sh", "get.sdkman.io", "dot.net/v1/dotnet-install",
    "install.determinate.systems/nix", "nixos.org/nix/install", "ollama.com/install", "cli.github.com/",
    "raw.githubusercontent.com/helm/helm/", "get.jetify.com/devbox", "opencode.ai/install", "cursor.com/install",
)
_URL = lazyre.compile(r"https?://([^\s'\"`|;)<>]{1,400})", re.IGNORECASE)


def _official(location: str) -> bool:
    location = location.lower()
    return any(location.startswith(p) and (p.endswith("/") or len(location) == len(p) or location[len(p)] in "/:?#")
               for p in _OFFICIAL_INSTALLERS)


def official_installer(match: re.Match[str] | None, text: str) -> Verdict | None:
    """A tool's own documented installer piped to a shell is a trust decision a
    team makes knowingly (the same script its website tells everyone to run):
    worth a warning, not a block. Any other source keeps the rule's severity."""
    piece = match.group() if match else text
    urls = _URL.findall(piece)
    if urls and all(_official(u) for u in urls) or not urls and any(
            _official(t) for t in re.split(r"[\s'\"`|;()]+", piece)):
        return Severity.MEDIUM, ("It pipes a tool's official installer into a shell; pin a version or use a "
                                 "package manager.")
    return None, ""


def not_warned(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Advice that names a practice in order to warn against it ("advise
    against weak algorithms like MD5 for password storage") recommends nothing."""
    from agenthook import prose  # noqa: PLC0415

    if match is not None and prose.warns_before(match.string, match.start()):
        return None
    return None, ""


# A check receives the pattern's match (None for a raw check, which reads the
# whole unit as written) and the text; it returns a verdict or None to drop it.
CHECKS: dict[str, Callable[[re.Match[str] | None, str], Verdict | None]] = {
    "allowed-tools": allowed_tools,
    "not-loopback": not_loopback,
    "official-installer": official_installer,
    "not-warned": not_warned,
    **unicode.RAW_CHECKS,
}
# A context check reads a unit as written together with its file's lines
# (a comment opened lines above); it receives the unit's text, the lines and
# the unit's line number.
CONTEXT_CHECKS: dict[str, Callable[[str, Mapping[int, str], int], Verdict | None]] = {
    **unicode.CONTEXT_CHECKS,
}
