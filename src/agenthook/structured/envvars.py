"""Environment variables set by agent configuration, judged by what they do.

Claude Code's `env` block, an MCP server's `env`, Codex's
`shell_environment_policy.set` and VS Code's terminal environment all reach a
process the agent starts. A variable there can send the model traffic and
its API key to another host, route everything through a proxy, ship prompts
to a telemetry collector, load code into every process, or move the agent's
configuration home. Each variable name maps to the judgement that applies.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from agenthook import lazyre
from agenthook.model import Finding, Severity
from agenthook.structured import hosts, secrets
from agenthook.structured.delta import Delta
from agenthook.structured.doc import Doc


class EnvFinding(NamedTuple):
    rule_id: str
    severity: Severity
    detail: str


Judge = Callable[[str, str, Mapping[str, Any]], "EnvFinding | None"]

ENV_NAME = lazyre.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODEL_ENDPOINT = lazyre.compile(
    r"^(?:ANTHROPIC|CLAUDE_CODE|OPENAI|AZURE_OPENAI|GOOGLE_GEMINI|GEMINI|GOOGLE_VERTEX|VERTEX_AI|MISTRAL|GROQ"
    r"|DEEPSEEK|OPENROUTER|LITELLM|XAI|COHERE|TOGETHER|FIREWORKS|PERPLEXITY|COPILOT|CODEX)\w*_(?:BASE_URL|API_BASE"
    r"|API_URL|ENDPOINT|BASE)$"
)
_PROXY = lazyre.compile(r"^(?:HTTPS?|ALL|FTP)_PROXY$", re.IGNORECASE)
_OTEL_ENDPOINT = lazyre.compile(r"^OTEL_EXPORTER_OTLP(?:_(?:TRACES|LOGS|METRICS))?_ENDPOINT$")
_OTEL_CONTENT = frozenset({"OTEL_LOG_USER_PROMPTS", "OTEL_LOG_TOOL_CONTENT", "OTEL_LOG_TOOL_DETAILS",
                           "OTEL_LOG_ASSISTANT_RESPONSES", "OTEL_LOG_RAW_API_BODIES"})
_SKIP_AUTH = lazyre.compile(r"^CLAUDE_CODE_SKIP_(?:BEDROCK|VERTEX|FOUNDRY|MANTLE)_AUTH$")
_TRUE = frozenset({"1", "true", "yes", "on"})

# Variables that make a program load or run code of the file's choosing.
_LOADERS: dict[str, tuple[Severity, str]] = {
    "CLAUDE_CODE_SHELL_PREFIX": (Severity.CRITICAL, "wraps every Bash command, hook and MCP launch in `{v}`"),
    "LD_PRELOAD": (Severity.HIGH, "loads `{v}` into every program the agent starts"),
    "LD_AUDIT": (Severity.HIGH, "loads `{v}` into every program the agent starts"),
    "DYLD_INSERT_LIBRARIES": (Severity.HIGH, "loads `{v}` into every program the agent starts"),
    "BASH_ENV": (Severity.HIGH, "runs `{v}` before every bash script"),
    "ENV": (Severity.HIGH, "runs `{v}` when a POSIX shell starts"),
    "PROMPT_COMMAND": (Severity.HIGH, "runs `{v}` in every interactive bash"),
    "ZDOTDIR": (Severity.HIGH, "makes zsh read its startup files from `{v}`"),
    "PYTHONSTARTUP": (Severity.HIGH, "runs `{v}` when Python starts interactively"),
    "PERL5OPT": (Severity.HIGH, "adds `{v}` to every Perl command line"),
    "RUBYOPT": (Severity.HIGH, "adds `{v}` to every Ruby command line"),
    "CLAUDE_ENV_FILE": (Severity.HIGH, "sources `{v}` before every Bash command"),
    "GIT_SSH_COMMAND": (Severity.HIGH, "runs `{v}` for every git fetch and push"),
    "GIT_EXTERNAL_DIFF": (Severity.HIGH, "runs `{v}` for every git diff"),
    "GIT_ASKPASS": (Severity.HIGH, "runs `{v}` whenever git needs a password, and gives it the answer"),
    "SSH_ASKPASS": (Severity.HIGH, "runs `{v}` whenever ssh needs a password"),
    "LESSOPEN": (Severity.HIGH, "runs `{v}` on every file `less` opens"),
    "CLAUDE_CODE_PROCESS_WRAPPER": (Severity.MEDIUM, "asks to wrap every process in `{v}`"),
}
_SHELL_VARS = frozenset({"SHELL", "CLAUDE_CODE_SHELL", "CLAUDE_CODE_GIT_BASH_PATH"})
_STANDARD_SHELL = lazyre.compile(
    r"^(?:/usr(?:/local)?/bin/|/bin/|/opt/homebrew/bin/|/run/current-system/sw/bin/|/nix/var/nix/profiles/"
    r"[^/]+/bin/)(?:ba|z|da|k|fi|tc|c)?sh$|^[A-Za-z]:\\(?:Program Files|msys64|cygwin64)\\[^\n]*\\(?:ba)?sh\.exe$",
    re.IGNORECASE,
)
_PAGERS = frozenset({"PAGER", "GIT_PAGER", "MANPAGER", "GH_PAGER"})
_HARMLESS_PAGERS = frozenset({"", "cat", "less", "more", "most", "bat", "delta", "diff-so-fancy", "head", "tail"})
_NODE_LOADER = lazyre.compile(r"(?:^|\s)(?:--require|-r|--import|--loader|--experimental-loader)(?:[=\s]|$)")
_CONFIG_HOMES: dict[str, tuple[str, ...]] = {
    "CLAUDE_CONFIG_DIR": ("~/.claude", "$HOME/.claude", "${HOME}/.claude"),
    "CODEX_HOME": ("~/.codex", "$HOME/.codex", "${HOME}/.codex"),
    "COPILOT_HOME": ("~/.copilot", "$HOME/.copilot", "${HOME}/.copilot"),
    "XDG_CONFIG_HOME": ("~/.config", "$HOME/.config", "${HOME}/.config"),
    "GEMINI_CLI_SYSTEM_DEFAULTS_PATH": (),
    "GEMINI_CLI_SYSTEM_SETTINGS_PATH": (),
}
_SCRUBBERS = frozenset({"CLAUDE_CODE_SUBPROCESS_ENV_SCRUB", "CLAUDE_CODE_MCP_ALLOWLIST_ENV"})
# Package managers' certificate switches, in their environment-variable
# spelling (the command-line and config spellings are text rules). Name ->
# (values that switch checking off, or None for any value; the tool).
_TLS_SWITCHES: dict[str, tuple[frozenset[str] | None, str]] = {
    "NPM_CONFIG_STRICT_SSL": (frozenset({"false", "0", "no"}), "npm"),
    "YARN_STRICT_SSL": (frozenset({"false", "0", "no"}), "yarn"),
    "YARN_ENABLE_STRICT_SSL": (frozenset({"false", "0", "no"}), "yarn"),
    "PIP_TRUSTED_HOST": (None, "pip"),
    "UV_INSECURE_HOST": (None, "uv"),
    "GOINSECURE": (None, "go"),
    "BUNDLE_SSL_VERIFY_MODE": (frozenset({"0"}), "bundler"),
    "HELM_INSECURE_SKIP_TLS_VERIFY": (frozenset({"true", "1"}), "helm"),
}


def _destination(value: str) -> str | None:
    """The outside host a URL or `host:port` value points at; None for this
    machine, the private network, or a value that is a variable."""
    text = value.strip()
    if not text or hosts.has_variable(text):
        return None
    host = hosts.url_host(text if "://" in text else f"http://{text}")
    return None if host is None or hosts.is_internal(host) else host


def _endpoint(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    host = _destination(value)
    if host is None:
        return None
    return EnvFinding("AH250", Severity.CRITICAL,
                      f"`{name}` sends every model request, with the API key or token that authenticates it, "
                      f"to `{host}`.")


def _proxy(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    host = _destination(value)
    if host is None:
        return None
    return EnvFinding("AH251", Severity.HIGH,
                      f"`{name}` routes the agent's web traffic, API keys included, through `{host}`.")


def _content_logged(env: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in _OTEL_CONTENT if str(env.get(k, "")).strip().lower() in _TRUE)


def _otel_endpoint(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    host = _destination(value)
    if host is None:
        return None
    logged = _content_logged(env)
    if logged:
        return EnvFinding("AH252", Severity.HIGH,
                          f"`{name}` exports telemetry to `{host}`, and `{logged[0]}` puts prompts or tool "
                          "content into it.")
    return EnvFinding("AH252", Severity.MEDIUM, f"`{name}` exports the agent's telemetry to `{host}`.")


def _otel_content(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    if value.strip().lower() not in _TRUE:
        return None
    outside = [h for k, v in env.items() if _OTEL_ENDPOINT.match(k) and isinstance(v, str)
               if (h := _destination(v))]
    if not outside:
        return None
    return EnvFinding("AH252", Severity.HIGH,
                      f"`{name}` puts prompts or tool content into the telemetry exported to `{outside[0]}`.")


def _skip_auth(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    if value.strip().lower() not in _TRUE:
        return None
    return EnvFinding("AH250", Severity.MEDIUM,
                      f"`{name}` stops the agent authenticating to its model provider itself; it is meant for "
                      "a gateway, which then sees every request.")


def _loader(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    if not value.strip():
        return None
    severity, what = _LOADERS[name]
    return EnvFinding("AH953", severity, f"`{name}` {what.format(v=value.strip()[:80])}.")


def _shell(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    if not value.strip() or _STANDARD_SHELL.match(value.strip()):
        return None
    return EnvFinding("AH953", Severity.HIGH, f"`{name}` makes `{value.strip()[:80]}` the shell every command runs in.")


def _pager(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    words = value.split()
    if not words or words[0].rsplit("/", 1)[-1] in _HARMLESS_PAGERS:
        return None
    return EnvFinding("AH953", Severity.HIGH, f"`{name}` runs `{value.strip()[:80]}` whenever output is paged.")


def _node_options(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    if not _NODE_LOADER.search(value):
        return None
    return EnvFinding("AH953", Severity.HIGH,
                      f"`{name}={value.strip()[:80]}` loads a module into every Node process the agent starts, "
                      "MCP servers and the agent's own tools included.")


def _config_home(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    text = value.strip().rstrip("/")
    if not text or text in _CONFIG_HOMES[name]:
        return None
    return EnvFinding("AH1007", Severity.CRITICAL,
                      f"`{name}` makes the agent read its configuration (servers, hooks, approvals) from "
                      f"`{text[:80]}`, which the repository can fill.")


def _scrubber(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    if value.strip().lower() not in ("0", "false", "no", "off"):
        return None
    return EnvFinding("AH852", Severity.MEDIUM,
                      f"`{name}={value.strip()}` lets the agent's subprocesses and MCP servers see credentials "
                      "from the environment that would otherwise be withheld.")


def _tls_switch(name: str, value: str, env: Mapping[str, Any]) -> EnvFinding | None:
    off, tool = _TLS_SWITCHES[name.upper()]
    text = value.strip()
    if not text or (off is not None and text.lower() not in off):
        return None
    what = f"for `{text[:60]}`" if off is None else "for every host"
    return EnvFinding("AH350", Severity.HIGH, f"`{name}={text[:60]}` turns off {tool}'s certificate checks {what}: "
                                              "a network attacker can serve the packages it installs.")


# Variable name -> its judgement; a name may match several.
_JUDGES: tuple[tuple[Callable[[str], bool], Judge], ...] = (
    (lambda n: bool(_MODEL_ENDPOINT.match(n)), _endpoint),
    (lambda n: bool(_PROXY.match(n)), _proxy),
    (lambda n: bool(_OTEL_ENDPOINT.match(n)), _otel_endpoint),
    (lambda n: n in _OTEL_CONTENT, _otel_content),
    (lambda n: bool(_SKIP_AUTH.match(n)), _skip_auth),
    (lambda n: n in _LOADERS, _loader),
    (lambda n: n in _SHELL_VARS, _shell),
    (lambda n: n in _PAGERS, _pager),
    (lambda n: n == "NODE_OPTIONS", _node_options),
    (lambda n: n in _CONFIG_HOMES, _config_home),
    (lambda n: n in _SCRUBBERS, _scrubber),
    (lambda n: n.upper() in _TLS_SWITCHES, _tls_switch),
)


def judge(name: str, value: Any, env: Mapping[str, Any]) -> list[EnvFinding]:
    """What setting `name` to `value` does, given the rest of the environment
    `env` (after the change); a committed credential is reported too."""
    if not isinstance(value, (str, int, float, bool)):
        return []
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    found = [f for matches, judge_one in _JUDGES if matches(name) and (f := judge_one(name, text, env))]
    secret = secrets.literal_secret(name, text)
    if secret:
        found.append(EnvFinding("AH850", Severity.HIGH,
                                f"`{name}` holds {secret}, written into a file everyone who clones the "
                                "repository can read."))
    return found


# ---------------------------------------------------------------------------
# Deltas -> findings

_ENV_CONTAINERS = frozenset({"env", "environment", "set"})


def _env_mapping(doc: Doc, d: Delta) -> dict[str, Any] | None:
    """The environment mapping a leaf belongs to, or None when it is not an
    environment variable. In a patch an uppercase name whose container is not
    shown counts as one."""
    parent = d.parent
    in_env = bool(parent) and (parent[-1] in _ENV_CONTAINERS or parent[-1].startswith("terminal.integrated.env."))
    unknown = d.partial and not parent and bool(ENV_NAME.match(d.key or "")) and (d.key or "").isupper()
    if not isinstance(d.path[-1] if d.path else None, str) or not (in_env or unknown):
        return None
    mapping = doc.at(d.path[:-1])
    return mapping if isinstance(mapping, dict) else {}


def analyze(doc: Doc) -> Iterator[Finding]:
    """Every new environment entry, wherever the file keeps one, judged by the
    table above; every other new string value (headers, `bearer_token`,
    `apiKey`) checked for a committed credential."""
    for d in doc.deltas:
        if not d.added or d.key is None:
            continue
        env = _env_mapping(doc, d)
        if env is not None:
            for found in judge(d.key, d.new, env):
                yield doc.finding(found.rule_id, d.line, found.detail, found.severity, str(d.new))
        elif isinstance(d.new, str):
            secret = secrets.literal_secret(d.key, d.new)
            if secret:
                where = "header" if d.parent[-1:] in (("headers",), ("http_headers",)) else "setting"
                yield doc.finding("AH850", d.line, f"The {where} `{d.key}` holds {secret}, written into a file "
                                                   "everyone who clones the repository can read.",
                                  Severity.HIGH, d.key)
