"""Whether a value written into agent configuration is a real credential.

Settings and MCP configs are committed and cloned by everyone, so a token
written into `env` or `headers` is published. A reference (`${GITHUB_TOKEN}`,
`${input:token}`) or a placeholder (`<your-key>`, `ghp_xxxx…`) is what a
careful team commits instead, and is not a finding.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from agenthook import lazyre
from agenthook.structured import hosts

# Token formats whose prefix says what they are.
_KNOWN_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((label, re.compile(pattern)) for label, pattern in (
    ("an Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}"),
    ("an OpenAI API key", r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}"),
    ("an AWS access key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
    ("a Slack token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    ("a Google API key", r"\bAIza[0-9A-Za-z_-]{30,}"),
    ("a GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("an npm token", r"\bnpm_[A-Za-z0-9]{30,}"),
    ("a Hugging Face token", r"\bhf_[A-Za-z0-9]{30,}"),
    ("a PyPI token", r"\bpypi-[A-Za-z0-9_-]{50,}"),
    ("a Stripe key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{20,}"),
    ("a SendGrid key", r"\bSG\.[\w-]{20,}\.[\w-]{20,}"),
    ("a Linear API key", r"\blin_api_[A-Za-z0-9]{30,}"),
    ("a Notion token", r"\b(?:ntn|secret)_[A-Za-z0-9]{40,}"),
))
_SECRET_NAME = lazyre.compile(
    r"token|secret|passw(?:or)?d|passwd|api_?key|apikey|access_?key|private_?key|credential|auth|bearer|session"
    r"|cookie|signing|_pat$|^pat_",
    re.IGNORECASE,
)
_REFERENCE = lazyre.compile(r"\$\{|\$\(|\{\{|%[A-Za-z_]+%|^\$[A-Za-z_]|^(?:env|op|vault|secret|keychain):", re.IGNORECASE)
_PLACEHOLDER = lazyre.compile(
    r"^(?:<[^>]*>|\[[^\]]*\]|\{[^}]*\})$|your|example|sample|placeholder|redacted|replace|insert|changeme"
    r"|change[-_ ]me|dummy|fake|xxxx|\*\*\*|\.\.\.|todo|tbd|here$|^(?:none|null|test|testing|secret|password"
    r"|token|default)$",
    re.IGNORECASE,
)
_URL_CREDENTIALS = lazyre.compile(r"^[a-z][a-z0-9+.-]*://([^:@/\s]+):([^@/\s]+)@", re.IGNORECASE)
_AUTH_SCHEME = lazyre.compile(r"^(?:Bearer|Basic|Token|Bot|ApiKey|Api-Key)\s+", re.IGNORECASE)


def _placeholder(value: str) -> bool:
    if not value or _REFERENCE.search(value) or _PLACEHOLDER.search(value):
        return True
    # `ghp_xxxxxxxxxxxx`, `sk-0000000000`: one character repeated is a stand-in.
    body = re.sub(r"^[A-Za-z]{2,10}[_-]", "", value)
    return bool(body) and Counter(body).most_common(1)[0][1] / len(body) > 0.6


def _random_looking(value: str) -> bool:
    """Long, without spaces, mixing character classes, with high entropy: a
    generated key rather than a word, a path or a flag."""
    if len(value) < 16 or " " in value or "/" in value.strip("/") and value.count("/") > 2:
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    if classes < 2:
        return False
    counts = Counter(value)
    entropy = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())
    return entropy >= 3.5


def literal_secret(name: str, value: object) -> str | None:
    """What credential `value` (set under `name`) is, or None when it is not one."""
    if not isinstance(value, str):
        return None
    text = _AUTH_SCHEME.sub("", value.strip())
    for label, pattern in _KNOWN_TOKENS:
        match = pattern.search(text)
        if match and not _placeholder(match.group()):
            return label
    credentials = _URL_CREDENTIALS.match(text)
    if credentials:
        host = hosts.url_host(text)
        password = credentials.group(2)
        if host and not hosts.is_internal(host) and not _placeholder(password):
            return f"a password for `{host}`"
        return None
    if _SECRET_NAME.search(name) and not _placeholder(text) and _random_looking(text):
        return "a credential"
    return None
