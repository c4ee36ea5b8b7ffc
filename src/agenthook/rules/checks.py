"""The few parts of pattern rules that need code: judging the argument a
pattern captured, and raising severity when what is sent is a secret."""
from __future__ import annotations

import re
from collections.abc import Callable

from agenthook.model import Severity

Verdict = tuple[Severity | None, str]

_SECRET_SOURCE = re.compile(
    r"(?:^|[\s'\"@=(<`/])(?:\.env(?:\.[\w.-]+)?\b|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b"
    r"|id_(?:rsa|dsa|ecdsa|ed25519)\b|\.pem\b)"
    r"|~/\.ssh\b|\.aws/credentials|\.kube/config|\.docker/config\.json|\.config/gh/|\.config/gcloud"
    r"|\$\(\s*(?:env|printenv|set)\s*\)|\bprintenv\b|/proc/[\w/]*environ|\bgh\s+auth\s+token\b"
    r"|\bsecurity\s+find-(?:generic|internet)-password\b|\bkeychain\b"
    r"|\$\{?\w*(?:TOKEN|SECRET|PASSWORD|API_KEY|APIKEY|PRIVATE_KEY)\w*\}?",
    re.IGNORECASE,
)
_RULE_TOKEN = re.compile(r"[A-Za-z_]\w*(?:\([^()]{0,400}\))?")


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
    verdicts = [g for token in _RULE_TOKEN.findall(argument) if (g := grants.judge_claude_rule(token))]
    if not verdicts:
        return (Severity.MEDIUM, "The flag pre-approves tools for the whole session.") if argument else None
    worst = max(verdicts, key=lambda g: g.severity)
    return worst.severity, worst.reason


def not_loopback(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Skipping verification against this machine's own test server risks nothing."""
    from agenthook import context  # noqa: PLC0415

    found = context.hosts(text)
    if found and all(context.is_loopback(h) for h in found):
        return None
    return None, ""


# A check receives the pattern's match (None for a raw check, which reads the
# whole unit as written) and the text; it returns a verdict or None to drop it.
CHECKS: dict[str, Callable[[re.Match[str] | None, str], Verdict | None]] = {
    "allowed-tools": allowed_tools,
    "not-loopback": not_loopback,
}
