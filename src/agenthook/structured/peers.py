"""Other agents' settings: Gemini CLI, VS Code (and `.code-workspace`), Codex
and Cursor. Their hooks, MCP servers and environment go through the shared
`hooks`, `mcp` and `envvars` analyses; what is particular to each agent is a
table from where a value sits to how it is judged (the first match wins)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from agenthook import grants, lazyre
from agenthook.model import Finding, Severity
from agenthook.structured import hooks, hosts
from agenthook.structured.delta import Delta
from agenthook.structured.doc import Doc, shown
from agenthook.structured.hooks import command_findings, judge_command
from agenthook.structured.permissions import judge_directory

Judge = Callable[[Doc, Delta], Iterator[Finding]]
Table = tuple[tuple[Callable[[Delta], bool], Judge], ...]


def _run(doc: Doc, added: Table, removed: Table = ()) -> Iterator[Finding]:
    for d in doc.deltas:
        judge = next((j for matches, j in (added if d.added else removed) if matches(d)), None)
        if judge is not None:
            yield from judge(doc, d)


def _grant(doc: Doc, d: Delta, grant: grants.Grant | None) -> Iterator[Finding]:
    if grant is not None:
        yield doc.finding("AH101", d.line, grant.reason, grant.severity, str(d.new))


def _directory(label: str, access: str) -> Judge:
    def judge(doc: Doc, d: Delta) -> Iterator[Finding]:
        judged = judge_directory(d.new, access) if isinstance(d.new, str) else None
        if judged:
            yield doc.finding("AH111", d.line, f"{judged[1]} ({label}).", judged[0], d.new)
    return judge


def _flag(expected: Any, rule_id: str, severity: Severity, what: str) -> Judge:
    """A setting reported when it takes `expected`: `what` completes "`key: value` …"."""
    def judge(doc: Doc, d: Delta) -> Iterator[Finding]:
        if d.new is expected or (isinstance(expected, str) and d.new == expected):
            shown = str(d.new).lower() if isinstance(d.new, bool) else d.new
            yield doc.finding(rule_id, d.line, f"`{d.key}: {shown}` {what}.", severity, d.key or "")
    return judge


def _helper(subject: str) -> Judge:
    def judge(doc: Doc, d: Delta) -> Iterator[Finding]:
        launched = judge_command(d.new)
        if launched is not None:
            command = " ".join(d.new) if isinstance(d.new, list) else str(d.new)
            yield from command_findings(doc, d.line, launched, "AH951", Severity.MEDIUM, subject, command, d.new)
    return judge


def _outside(value: Any) -> str | None:
    """The host a URL-valued setting points at, when it is not this machine or network."""
    if not isinstance(value, str):
        return None
    host = hosts.url_host(value if "://" in value else f"http://{value}")
    return host if host and not hosts.is_internal(host) else None


# ---------------------------------------------------------------------------
# Gemini CLI

_GEMINI_MODES: dict[str, tuple[Severity, str]] = {
    "yolo": (Severity.CRITICAL, "YOLO mode approves every tool call"),
    "auto_edit": (Severity.MEDIUM, "file edits are applied without asking"),
}


def _gemini_mode(doc: Doc, d: Delta) -> Iterator[Finding]:
    judged = _GEMINI_MODES.get(str(d.new).lower())
    if judged:
        yield doc.finding("AH102", d.line, f"`{d.key}: {d.new}`: {judged[1]}.", judged[0], str(d.new))


def _gemini_telemetry(doc: Doc, d: Delta) -> Iterator[Finding]:
    host = _outside(d.new) if isinstance(d.new, str) and "://" in d.new else None
    if host:
        prompts = doc.at(d.path[:-1] + ("logPrompts",)) is True
        yield doc.finding("AH252", d.line, f"Telemetry goes to `{host}`" + (", prompts included." if prompts else "."),
                          Severity.HIGH if prompts else Severity.MEDIUM, str(d.new))


def _no_longer_excluded(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.old, str):
        yield doc.finding("AH110", d.line, f"`{d.old}` is no longer excluded: the agent may use it again.",
                          Severity.MEDIUM, d.old, removed=shown(d.old))


_GEMINI_ADDED: Table = (
    (lambda d: d.in_list("tools", "allowed") or d.in_list("allowedTools"),
     lambda doc, d: _grant(doc, d, grants.judge_gemini_tool(d.new) if isinstance(d.new, str) else None)),
    (lambda d: d.key == "autoAccept",
     _flag(True, "AH102", Severity.HIGH, "runs tool calls the CLI considers safe without asking")),
    (lambda d: d.key in ("defaultApprovalMode", "approvalMode"), _gemini_mode),
    (lambda d: d.keys[-3:] == ("security", "folderTrust", "enabled"),
     _flag(False, "AH110", Severity.MEDIUM, "turns off folder trust, so untrusted checkouts load their settings, "
                                            "`.env` and MCP servers")),
    (lambda d: d.keys[-2:] == ("security", "disableYoloMode"),
     _flag(False, "AH110", Severity.MEDIUM, "allows YOLO mode again")),
    (lambda d: d.keys[-2:] == ("security", "enablePermanentToolApproval"),
     _flag(True, "AH102", Severity.MEDIUM, "lets one click approve a tool for good")),
    (lambda d: d.keys[-2:] == ("tools", "sandbox"),
     _flag(False, "AH112", Severity.MEDIUM, "runs tools outside the sandbox")),
    (lambda d: d.key in ("discoveryCommand", "callCommand", "serverCommand"),
     _helper("The command that provides tools runs")),
    (lambda d: d.in_list("context", "includeDirectories"), _directory("`includeDirectories`", "read")),
    (lambda d: d.keys[-2:] == ("telemetry", "otlpEndpoint"), _gemini_telemetry),
)
_GEMINI_REMOVED: Table = (
    (lambda d: d.in_list("tools", "exclude") or d.in_list("excludeTools"), _no_longer_excluded),
)


def gemini(doc: Doc) -> Iterator[Finding]:
    yield from _run(doc, _GEMINI_ADDED, _GEMINI_REMOVED)


# ---------------------------------------------------------------------------
# VS Code. A `.code-workspace` file holds the same settings under `settings`.

_ALL_URLS = lazyre.compile(r"^(?:\*|https?://\*(?:\.\*)?/?\*?|\*://\*.*)$")
_TERMINAL = ("chat.tools.terminal.autoApprove.", "chat.agent.terminal.autoApprove.")


def _setting(doc: Doc, d: Delta) -> str:
    """The VS Code setting a leaf belongs to, dotted (`chat.tools.terminal.autoApprove./.*/`)."""
    keys = d.keys[1:] if doc.basename.endswith(".code-workspace") and d.keys[:1] == ("settings",) else d.keys
    return ".".join(keys)


def _pattern(d: Delta) -> str:
    """The command or URL pattern of an auto-approve entry, in either value form."""
    nested = d.key in ("approve", "approveRequest", "approveResponse") and len(d.keys) > 1
    return d.keys[-2] if nested else d.key or ""


def _global_auto_approve(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new is True:
        yield doc.finding("AH102", d.line, f"`{_setting(doc, d)}: true` lets the agent run every tool and terminal "
                                           "command without asking.", Severity.CRITICAL, _setting(doc, d))


def _allow_all_permissions(doc: Doc, d: Delta) -> Iterator[Finding]:
    if re.sub(r"[\s_-]", "", str(d.new)).lower() in ("allowall", "autopilot"):
        yield doc.finding("AH102", d.line, f"`chat.permissions.default: {d.new}` approves every tool call.",
                          Severity.CRITICAL, str(d.new))


def _terminal_entry(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new is True:
        yield from _grant(doc, d, grants.judge_terminal_pattern(_pattern(d)))


def _url_entry(doc: Doc, d: Delta) -> Iterator[Finding]:
    pattern = _pattern(d)
    if d.new in (False, None):
        return
    if _ALL_URLS.match(pattern.strip()):
        yield doc.finding("AH101", d.line, f"Auto-approving `{pattern}` lets the agent fetch any URL without "
                                           "asking, sending data out in the address and reading planted "
                                           "instructions.", Severity.HIGH, pattern)
    elif hosts.is_relay(hosts.url_host(pattern.replace("*", "x")) or pattern):
        yield doc.finding("AH101", d.line, f"Auto-approving `{pattern}`: anyone can publish there and read what "
                                           "the agent sends.", Severity.MEDIUM, pattern)


def _eligible_again(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.old is False and d.new is not False:
        yield doc.finding("AH110", d.line, f"`{d.key}` may be auto-approved again.", Severity.MEDIUM, d.key or "")


def _editor_proxy(doc: Doc, d: Delta) -> Iterator[Finding]:
    host = _outside(d.new)
    if host:
        yield doc.finding("AH251", d.line, f"`http.proxy` routes the editor's and its extensions' traffic, tokens "
                                           f"included, through `{host}`.", Severity.HIGH, str(d.new))


def _vscode_table(doc: Doc) -> tuple[Table, Table]:
    def at(name: str) -> Callable[[Delta], bool]:
        return lambda d: _setting(doc, d) == name

    def under(*prefixes: str) -> Callable[[Delta], bool]:
        return lambda d: _setting(doc, d).startswith(prefixes)

    added: Table = (
        (lambda d: _setting(doc, d) in ("chat.tools.autoApprove", "chat.tools.global.autoApprove"),
         _global_auto_approve),
        (at("chat.permissions.default"), _allow_all_permissions),
        (under(*_TERMINAL), _terminal_entry),
        (at("chat.tools.terminal.ignoreDefaultAutoApproveRules"),
         _flag(True, "AH102", Severity.HIGH, "drops VS Code's built-in list of commands that always need approval")),
        (under("chat.tools.urls.autoApprove."), _url_entry),
        (under("chat.tools.eligibleForAutoApproval."), _eligible_again),
        (at("chat.agent.sandbox.enabled"), _flag(False, "AH112", Severity.MEDIUM, "turns the agent's sandbox off")),
        (at("http.proxy"), _editor_proxy),
    )
    removed: Table = ((under("chat.tools.eligibleForAutoApproval."), _eligible_again),)
    return added, removed


def vscode(doc: Doc) -> Iterator[Finding]:
    yield from _run(doc, *_vscode_table(doc))


# ---------------------------------------------------------------------------
# Codex (`.codex/config.toml`; profiles repeat the same keys under `[profiles.*]`)


def _model_endpoint(doc: Doc, d: Delta) -> Iterator[Finding]:
    host = _outside(d.new) if isinstance(d.new, str) and "://" in d.new else None
    if host:
        yield doc.finding("AH250", d.line, f"`{d.key}` sends the model requests, with the API key, to `{host}`.",
                          Severity.CRITICAL, str(d.new))


def _notify(doc: Doc, d: Delta) -> Iterator[Finding]:
    """`notify` is a program and its arguments: judged whole, reported at its
    key's line (so several changed elements make one finding)."""
    notify = doc.at(d.path[:-1])
    launched = judge_command(notify)
    if launched is not None:
        yield from command_findings(doc, doc.line(d.path[:-1], d.line), launched, "AH951", Severity.LOW,
                                    "`notify` runs, after every turn,", " ".join(map(str, notify)), notify)


_CODEX_ADDED: Table = (
    (lambda d: d.key == "approval_policy",
     _flag("never", "AH102", Severity.HIGH, "runs every command without asking")),
    (lambda d: d.key == "sandbox_mode",
     _flag("danger-full-access", "AH102", Severity.CRITICAL, "removes the sandbox: commands reach the whole "
                                                             "machine and network")),
    (lambda d: d.key == "trust_level",
     _flag("trusted", "AH102", Severity.MEDIUM, "marks a project as trusted, so its own configuration loads "
                                                "without asking")),
    (lambda d: d.keys[-2:] == ("sandbox_workspace_write", "network_access"),
     _flag(True, "AH112", Severity.MEDIUM, "lets sandboxed commands use the network")),
    (lambda d: d.in_list("sandbox_workspace_write", "writable_roots"), _directory("`writable_roots`", "write")),
    (lambda d: d.key in ("openai_base_url", "chatgpt_base_url", "base_url"), _model_endpoint),
    (lambda d: d.in_list("notify"), _notify),
)


def codex(doc: Doc) -> Iterator[Finding]:
    yield from _run(doc, _CODEX_ADDED)


# ---------------------------------------------------------------------------
# Cursor (`permissions.json`, `sandbox.json`, `cli.json`, `hooks.json`)

_CURSOR_SHELL = lazyre.compile(r"^Shell\((?P<spec>.*)\)$", re.DOTALL)


def _mcp_allowlist(doc: Doc, d: Delta) -> Iterator[Finding]:
    entry = str(d.new).strip()
    if entry == "*" or entry.endswith(":*"):
        whose = "every server" if entry == "*" else "the server"
        yield doc.finding("AH1006", d.line, f"`mcpAllowlist` entry `{entry}` runs every tool of {whose} without "
                                            "asking.", Severity.HIGH, entry)


def _cli_rule(doc: Doc, d: Delta) -> Iterator[Finding]:
    """Cursor CLI rules: `Shell(base)` approves a command with any arguments;
    `Read(glob)` and `Write(glob)` are judged like Claude's path rules."""
    if not isinstance(d.new, str):
        return
    shell = _CURSOR_SHELL.match(d.new.strip())
    if shell:
        spec = shell.group("spec").strip()
        yield from _grant(doc, d, grants.judge_command("*" if spec in ("", "*", "**") else spec, True))
    else:
        yield from _grant(doc, d, grants.judge_claude_rule(d.new.replace("Write(", "Edit(", 1)))


_CURSOR_ADDED: dict[str, Table] = {
    "permissions.json": (
        (lambda d: d.in_list("terminalAllowlist"),
         lambda doc, d: _grant(doc, d, grants.judge_terminal_pattern(d.new) if isinstance(d.new, str) else None)),
        (lambda d: d.in_list("mcpAllowlist"), _mcp_allowlist),
    ),
    "sandbox.json": (
        (lambda d: d.key == "type", _flag("insecure_none", "AH112", Severity.CRITICAL, "runs commands with no "
                                                                                       "sandbox at all")),
        (lambda d: d.keys[-2:] == ("networkPolicy", "default"),
         _flag("allow", "AH112", Severity.MEDIUM, "lets sandboxed commands reach any host")),
        (lambda d: d.in_list("additionalReadwritePaths"), _directory("`additionalReadwritePaths`", "write")),
        (lambda d: d.in_list("additionalReadonlyPaths"), _directory("`additionalReadonlyPaths`", "read")),
    ),
    "cli.json": ((lambda d: d.in_list("permissions", "allow"), _cli_rule),),
}


def cursor(doc: Doc) -> Iterator[Finding]:
    if doc.basename == "hooks.json":
        yield from hooks.analyze(doc)
    else:
        yield from _run(doc, _CURSOR_ADDED.get(doc.basename, ()))


# ---------------------------------------------------------------------------
# Zed (`.zed/settings.json`): `agent.tool_permissions` (v0.224+) and the older
# `agent.always_allow_tool_actions`. Its MCP servers (`context_servers`) go
# through `mcp`.

_ZED_LISTS = ("always_allow", "always_deny", "always_confirm")


def _zed_permission(d: Delta) -> bool:
    """A leaf of `agent.tool_permissions`; a hunk that does not show that key
    is given the benefit of the doubt (the names below it are Zed's own)."""
    return "tool_permissions" in d.keys or d.partial


def _zed_tool(d: Delta) -> str | None:
    """The tool a `tool_permissions.tools.<tool>` leaf configures; None for the
    global settings."""
    keys = d.keys
    if "tools" in keys[:-1]:
        return keys[keys.index("tools") + 1]
    listed = next((k for k in _ZED_LISTS if k in keys), None)
    if listed is not None:
        at = keys.index(listed)
        return keys[at - 1] if at and keys[at - 1] != "tool_permissions" else None
    if d.partial and d.parent and d.parent[-1] != "tool_permissions":
        return d.parent[-1]
    return None


def _zed_default(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new != "allow":
        return
    tool = _zed_tool(d)
    if tool is None:
        yield doc.finding("AH102", d.line, "`tool_permissions.default: allow` runs every tool call of Zed's agent, "
                                           "terminal commands included, without asking.", Severity.CRITICAL, "default")
    elif tool == "terminal":
        yield doc.finding("AH102", d.line, "The terminal tool's `default: allow` runs every command without asking.",
                          Severity.CRITICAL, tool)
    else:
        yield doc.finding("AH102", d.line, f"The `{tool}` tool's `default: allow` runs it without asking.",
                          Severity.MEDIUM, tool)


def _zed_always_allow(doc: Doc, d: Delta) -> Iterator[Finding]:
    """A terminal `always_allow` pattern is a regex searched in the command line."""
    if isinstance(d.new, str) and _zed_tool(d) == "terminal":
        yield from _grant(doc, d, grants.judge_terminal_pattern(f"/{d.new}/"))


def _zed_guard_removed(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.old, str):
        listed = next(k for k in _ZED_LISTS if k in d.keys)
        yield doc.finding("AH110", d.line, f"`{d.old}` was removed from the `{_zed_tool(d) or 'agent'}` tool's "
                                           f"`{listed}`: what it stopped may run again.", Severity.MEDIUM, d.old,
                          removed=shown(d.old))


_ZED_ADDED: Table = (
    (lambda d: d.key == "always_allow_tool_actions",
     _flag(True, "AH102", Severity.CRITICAL, "runs every tool call of Zed's agent, terminal commands included, "
                                             "without asking")),
    (lambda d: d.key == "default" and _zed_permission(d), _zed_default),
    (lambda d: "always_allow" in d.keys and _zed_permission(d), _zed_always_allow),
)
_ZED_REMOVED: Table = (
    (lambda d: any(k in d.keys for k in _ZED_LISTS[1:]) and _zed_permission(d), _zed_guard_removed),
)


def zed(doc: Doc) -> Iterator[Finding]:
    yield from _run(doc, _ZED_ADDED, _ZED_REMOVED)


# ---------------------------------------------------------------------------
# Amazon Q Developer custom agents (`.amazonq/cli-agents/*.json`). Their
# `mcpServers` and `hooks` go through `mcp` and `hooks`.

# Built-in tools by what approving them in advance lets run: (severity, what).
_Q_TOOLS: dict[str, tuple[Severity, str]] = {
    "*": (Severity.CRITICAL, "every tool, shell commands included"),
    "@builtin": (Severity.CRITICAL, "every built-in tool, shell commands included"),
    "execute_bash": (Severity.CRITICAL, "any shell command"),
    "use_aws": (Severity.HIGH, "any AWS API call (deletions and terminations included)"),
    "fs_write": (Severity.MEDIUM, "any file edit"),
}


def _q_allowed_tool(doc: Doc, d: Delta) -> Iterator[Finding]:
    """A tool in `allowedTools` runs without a prompt; `@server` names every
    tool of an MCP server, `@server/tool` one of them (narrow)."""
    tool = str(d.new).strip()
    judged = _Q_TOOLS.get(tool)
    if judged is None and tool.startswith("@") and "/" not in tool.rstrip("/*"):
        judged = Severity.MEDIUM, f"every tool of the MCP server `{tool.strip('@/*')}`"
    if judged is not None:
        yield doc.finding("AH101", d.line, f"`allowedTools` entry `{tool}` lets the agent use {judged[1]} without "
                                           "asking.", judged[0], tool)


def _q_command(doc: Doc, d: Delta) -> Iterator[Finding]:
    """`allowedCommands` entries are regexes anchored at both ends."""
    if isinstance(d.new, str):
        yield from _grant(doc, d, grants.judge_terminal_pattern(f"/^(?:{d.new})$/"))


def _q_denied_removed(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.old, str):
        yield doc.finding("AH110", d.line, f"`{d.old}` was removed from `deniedCommands`: the agent may run it again.",
                          Severity.MEDIUM, d.old, removed=shown(d.old))


_Q_ADDED: Table = (
    (lambda d: d.in_list("allowedTools"), _q_allowed_tool),
    (lambda d: d.in_list("toolsSettings", "execute_bash", "allowedCommands"), _q_command),
    (lambda d: d.in_list("toolsSettings", "fs_write", "allowedPaths"), _directory("`fs_write.allowedPaths`", "write")),
)
_Q_REMOVED: Table = (
    (lambda d: d.in_list("toolsSettings", "execute_bash", "deniedCommands"), _q_denied_removed),
)


def amazonq(doc: Doc) -> Iterator[Finding]:
    yield from _run(doc, _Q_ADDED, _Q_REMOVED)
