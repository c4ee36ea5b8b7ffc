"""Claude Code settings: permission rules, modes and their guards, helper
commands, MCP approvals, the sandbox and plugin marketplaces. Hooks and the
environment are judged by `hooks` and `envvars`, which other agents share."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from agenthook import grants
from agenthook.model import Finding, Severity
from agenthook.structured import hosts, launch
from agenthook.structured.delta import Delta
from agenthook.structured.doc import Doc, lower, shown
from agenthook.structured.hooks import HELPER_PARENTS, command_findings
from agenthook.structured.permissions import is_rule, judge_allow, judge_directory

_CLAUDE_MODES: dict[str, tuple[Severity, str]] = {
    "bypassPermissions": (Severity.CRITICAL, "every tool call runs without asking"),
    "auto": (Severity.HIGH, "a classifier, not the developer, approves tool calls"),
    "acceptEdits": (Severity.MEDIUM, "file edits are applied without asking"),
}
_INTENT_KEYS: dict[str, str] = {
    "skipDangerousModePermissionPrompt": "skips the warning before bypass mode",
    "skipAutoPermissionPrompt": "skips the prompt before auto mode",
    "useAutoModeDuringPlan": "lets plan mode approve commands automatically",
}
_GUARDS: dict[str, str] = {
    "disableBypassPermissionsMode": "bypass mode (`--dangerously-skip-permissions`) is possible again",
    "disableAutoMode": "auto mode is possible again",
}
CREDENTIAL_HELPERS = frozenset({"apiKeyHelper", "awsAuthRefresh", "awsCredentialExport", "gcpAuthRefresh",
                                 "otelHeadersHelper", "headersHelper"})


Judge = Callable[[Doc, Delta], Iterator[Finding]]


def _allow(doc: Doc, d: Delta) -> Iterator[Finding]:
    if not isinstance(d.new, str) or not is_rule(d.new):
        return
    grant = judge_allow(d.new)
    if grant is None:
        return
    if d.partial and not d.parent:
        # The list this entry belongs to is above the hunk: it may be a deny list.
        yield doc.finding("AH101", d.line, f"{grant.reason} (The patch does not show which list this entry is "
                                           "in; judged as an allow rule.)", lower(grant.severity), d.new)
        return
    yield doc.finding("AH101", d.line, grant.reason, grant.severity, d.new)


def _directory(doc: Doc, d: Delta) -> Iterator[Finding]:
    judged = judge_directory(d.new, "read") if isinstance(d.new, str) else None
    if judged:
        yield doc.finding("AH111", d.line, f"{judged[1]} (`additionalDirectories`).", judged[0], d.new)


def _mode(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new in _CLAUDE_MODES:
        severity, what = _CLAUDE_MODES[d.new]
        yield doc.finding("AH102", d.line, f"`defaultMode: {d.new}` means {what}.", severity, d.new)


def _intent(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new is True:
        yield doc.finding("AH102", d.line, f"`{d.key}` {_INTENT_KEYS[d.key or '']} (honoured from user settings "
                                           "only today, but older versions and other tools read it).",
                          Severity.MEDIUM, d.key or "")


def _guard_changed(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new != "disable":
        yield doc.finding("AH110", d.line, f"`{d.key}` no longer says `disable`: {_GUARDS[d.key or '']}.",
                          Severity.MEDIUM, d.key or "")


def _enable_all(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new is True:
        yield doc.finding("AH1006", d.line, "`enableAllProjectMcpServers: true` starts every server any "
                                            "`.mcp.json` in the project declares, now or later, without asking.",
                          Severity.CRITICAL, d.key or "")


def _enabled_server(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.new, str):
        yield doc.finding("AH1006", d.line, f"`enabledMcpjsonServers` approves the `.mcp.json` server `{d.new}` "
                                            "in advance, whatever command it is later given.", Severity.MEDIUM,
                          d.new)


def _hooks_reenabled(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new is False:
        yield doc.finding("AH954", d.line, "`disableAllHooks: false` in project settings turns back on hooks a "
                                           "developer switched off in their own settings.", Severity.MEDIUM,
                          d.key or "")


def _credential_helper(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.new, str):
        yield from command_findings(doc, d.line, launch.judge_line(d.new), "AH851", Severity.MEDIUM,
                                    f"`{d.key}` decides which credentials the agent uses; it runs", d.new)


def _helper(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.new, str):
        yield from command_findings(doc, d.line, launch.judge_line(d.new), "AH951", Severity.LOW,
                                    f"`{d.parent[-1]}` runs, again and again,", d.new)


def _hook_urls(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.new, str) and d.new.strip() in ("*", "http://*", "https://*"):
        yield doc.finding("AH253", d.line, f"`allowedHttpHookUrls` lets HTTP hooks post to `{d.new}`: any host.",
                          Severity.MEDIUM, d.new)


def _marketplace(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.key not in ("url", "repo", "path") or not isinstance(d.new, str):
        return
    url = d.new
    plain = hosts.scheme(url) == "http" and not hosts.is_internal(hosts.url_host(url) or "localhost")
    yield doc.finding("AH955", d.line, f"A plugin marketplace at `{url}` is registered: its plugins bring hooks, "
                                       "MCP servers and skills" + (", fetched over plain HTTP." if plain else "."),
                      Severity.HIGH if plain else Severity.MEDIUM, url)


_SANDBOX_FLAGS: dict[tuple[str, ...], tuple[Any, Severity, str]] = {
    ("enabled",): (False, Severity.MEDIUM, "turns the sandbox off: commands reach the whole machine"),
    ("allowUnsandboxedCommands",): (True, Severity.MEDIUM, "lets a command that fails in the sandbox run again "
                                                           "outside it"),
    ("enableWeakerNestedSandbox",): (True, Severity.MEDIUM, "weakens the sandbox"),
    ("enableWeakerNetworkIsolation",): (True, Severity.MEDIUM, "weakens the sandbox's network isolation"),
    ("filesystem", "disabled"): (True, Severity.MEDIUM, "turns off the sandbox's file restrictions"),
    ("network", "allowAllUnixSockets"): (True, Severity.HIGH, "opens every Unix socket, the Docker socket "
                                                               "(root on the host) included"),
    ("network", "tlsTerminate"): (True, Severity.MEDIUM, "has the sandbox proxy decrypt the agent's TLS traffic"),
}


def _sandbox(doc: Doc, d: Delta) -> Iterator[Finding]:
    keys = d.keys[1:] if d.keys[:1] == ("sandbox",) else d.keys
    value = d.new
    flag = _SANDBOX_FLAGS.get(keys)
    name = "sandbox." + ".".join(keys)
    if flag and value is flag[0]:
        yield doc.finding("AH112", d.line, f"`{name}: {str(value).lower()}` {flag[2]}.", flag[1], name)
    elif keys in (("network", "httpProxyPort"), ("network", "socksProxyPort")) and isinstance(value, int):
        yield doc.finding("AH112", d.line, f"`{name}` sends sandboxed traffic through a proxy of the file's "
                                           "choosing instead of the sandbox's own filter.", Severity.MEDIUM, name)
    elif not isinstance(value, str):
        return
    elif keys[:1] == ("excludedCommands",) or keys == ("excludedCommands",):
        grant = grants.judge_command(value, True)
        severity = Severity.HIGH if grant and grant.severity >= Severity.HIGH else Severity.LOW
        yield doc.finding("AH112", d.line, f"`{value}` always runs outside the sandbox"
                                           + (f": {grant.reason}" if grant else "."), severity, value)
    elif keys[:2] in (("filesystem", "allowWrite"), ("filesystem", "allowRead")):
        judged = judge_directory(value, "write" if keys[1] == "allowWrite" else "read")
        if judged:
            yield doc.finding("AH111", d.line, f"{judged[1]} from inside the sandbox.", judged[0], value)
    elif keys[:2] == ("network", "allowedDomains") and (value.strip() in ("*", "*.*") or
                                                        hosts.is_relay(value.lstrip("*."))):
        yield doc.finding("AH112", d.line, f"The sandbox may now reach `{value}`.", Severity.MEDIUM, value)
    elif keys[:2] == ("network", "allowUnixSockets") and "docker.sock" in value:
        yield doc.finding("AH112", d.line, f"The sandbox may use `{value}`: the Docker socket is root on the host.",
                          Severity.HIGH, value)


def _approves_after(doc: Doc) -> bool:
    """Whether the new settings approve on their own what a removed deny
    stopped: bypass mode (in a patch, one the change sets where the hunk does
    not show `permissions`), or allow rules added in the same change."""
    return doc.at(("permissions", "defaultMode")) == "bypassPermissions" or any(
        d.added and (d.in_list("permissions", "allow")
                     or (d.key == "defaultMode" and d.within("permissions") and d.new == "bypassPermissions"))
        for d in doc.deltas)


def _protective_removed(doc: Doc, d: Delta) -> Iterator[Finding]:
    """A removed deny or ask entry: what it stopped comes back after a prompt,
    so it warns; it weighs as an allow rule when nothing will prompt (reads
    inside the project need no approval; bypass mode or allow rules added
    in the same change approve it)."""
    if not isinstance(d.old, str):
        return
    rule, listed = d.old, d.parent[-1]
    grant = judge_allow(rule)
    silent = _approves_after(doc) or bool(re.fullmatch(r"Read\((?![~/]).*\)", rule.strip()))
    if grant is None:
        severity = Severity.MEDIUM
    else:
        severity = grant.severity if silent else max(Severity.MEDIUM, lower(grant.severity))
    how = "without asking" if silent else "after a prompt"
    detail = f"`{rule}` was removed from `{listed}`: what it refused may run again {how}."
    if grant is not None:
        detail += f" As an allow rule it would mean: {grant.reason}"
    yield doc.finding("AH110", d.line, detail, severity, rule, removed=shown(d.old))


def _guard_removed(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.old == "disable":
        yield doc.finding("AH110", d.line, f"`{d.key}` was removed: {_GUARDS[d.key or '']}.", Severity.MEDIUM,
                          d.key or "", removed=shown(d.old, d.key))


def _rejection_removed(doc: Doc, d: Delta) -> Iterator[Finding]:
    if isinstance(d.old, str):
        yield doc.finding("AH1006", d.line, f"The `.mcp.json` server `{d.old}` is no longer rejected.",
                          Severity.MEDIUM, d.old, removed=shown(d.old))


def _sandbox_removed(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.old is True:
        yield doc.finding("AH112", d.line, "`sandbox.enabled` was removed: commands run outside the sandbox.",
                          Severity.MEDIUM, "sandbox", removed=shown(d.old, d.key))


# Where a value sits -> how it is judged; the first match wins. New values:
_ADDED: tuple[tuple[Callable[[Delta], bool], Judge], ...] = (
    (lambda d: d.in_list("permissions", "allow"), _allow),
    # The older name of the allow list (`claude config add allowedTools`, before `permissions`).
    (lambda d: d.in_list("allowedTools") and d.keys == ("allowedTools",), _allow),
    (lambda d: d.in_list("permissions", "additionalDirectories"), _directory),
    (lambda d: d.key == "defaultMode" and d.within("permissions"), _mode),
    (lambda d: d.key in _GUARDS and d.within("permissions"), _guard_changed),
    (lambda d: d.key in _INTENT_KEYS and d.within(), _intent),
    (lambda d: d.key == "enableAllProjectMcpServers" and d.within(), _enable_all),
    (lambda d: d.in_list("enabledMcpjsonServers"), _enabled_server),
    (lambda d: d.key == "disableAllHooks" and d.within(), _hooks_reenabled),
    (lambda d: d.key in CREDENTIAL_HELPERS and d.within(), _credential_helper),
    (lambda d: d.key == "command" and d.parent[-1:] != () and d.parent[-1] in HELPER_PARENTS, _helper),
    (lambda d: d.under("sandbox") and bool(d.keys), _sandbox),
    (lambda d: d.under("extraKnownMarketplaces") and bool(d.keys), _marketplace),
    (lambda d: d.key == "allowedHttpHookUrls" or d.in_list("allowedHttpHookUrls"), _hook_urls),
)
# ... and removed ones (a bare patch shows none: their paths are unknown).
_REMOVED: tuple[tuple[Callable[[Delta], bool], Judge], ...] = (
    (lambda d: d.in_list("permissions", "deny") or d.in_list("permissions", "ask"), _protective_removed),
    (lambda d: d.key in _GUARDS and d.within("permissions"), _guard_removed),
    (lambda d: d.in_list("disabledMcpjsonServers"), _rejection_removed),
    (lambda d: d.keys == ("sandbox", "enabled"), _sandbox_removed),
)


def analyze(doc: Doc) -> Iterator[Finding]:
    for d in doc.deltas:
        judge = next((j for matches, j in (_ADDED if d.added else _REMOVED) if matches(d)), None)
        if judge is not None:
            yield from judge(doc, d)
