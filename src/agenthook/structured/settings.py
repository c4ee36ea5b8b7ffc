"""Structured analysis of agent settings files.

Each analyzer reads the deltas of one kind of file and judges what is new by
what it does. Values that are not judged here (hook commands, environment
values, server commands) go on to the text rules as `key=value` units, so that
the TLS, exfiltration and execution patterns apply to settings too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from agenthook import grants, targets
from agenthook.engine import Unit, text_units
from agenthook.model import FileChange, Finding, Severity
from agenthook.rules import Catalogue
from agenthook.structured import jsonloc, tomlloc
from agenthook.structured.delta import MISSING, Delta, diff, fragment_deltas

JSONC_KINDS = frozenset({targets.VSCODE_SETTINGS, targets.CURSOR_SETTINGS})
# Lists of permission rules are judged by the analyzers; as text they would
# only repeat those verdicts, and in deny lists they are protective.
_JUDGED_KEYS = frozenset({
    "permissions", "allow", "deny", "ask", "exclude", "excludeTools", "disallowedTools", "allowed", "core",
    "coreTools", "autoApprove", "alwaysAllow", "terminalAllowlist", "mcpAllowlist", "$schema",
    "chat.tools.terminal.autoApprove", "chat.tools.urls.autoApprove", "chat.tools.eligibleForAutoApproval",
})

Analyzer = Callable[[list[Delta], Catalogue, FileChange], Iterator[Finding]]


def _finding(catalogue: Catalogue, rule_id: str, change: FileChange, delta: Delta, text: str,
             severity: Severity | None = None, detail: str = "") -> Finding:
    rule = catalogue.rules[rule_id]
    matched = delta.new if isinstance(delta.new, str) else f"{delta.key}" if delta.key else ""
    return Finding(rule, change.path, delta.line, text, severity or rule.severity, detail, change.commit, matched)


def _line_text(change: FileChange, delta: Delta) -> str:
    if change.new_text is not None:
        lines = change.new_text.split("\n")
        if 0 < delta.line <= len(lines):
            return lines[delta.line - 1].strip()
    return change.new_lines.get(delta.line, "").strip()


def _added(delta: Delta) -> bool:
    return delta.new is not MISSING


def claude(deltas: list[Delta], catalogue: Catalogue, change: FileChange) -> Iterator[Finding]:
    modes = {"bypassPermissions": (Severity.CRITICAL, "every tool call runs without asking"),
             "auto": (Severity.HIGH, "a classifier, not the developer, approves tool calls"),
             "acceptEdits": (Severity.MEDIUM, "file edits are applied without asking")}
    for d in deltas:
        if not _added(d):
            continue
        if d.under("permissions", "allow") and isinstance(d.new, str) and d.key in (None, "allow"):
            grant = grants.judge_claude_rule(d.new)
            if grant:
                yield _finding(catalogue, "AH101", change, d, _line_text(change, d), grant.severity, grant.reason)
        elif d.key == "defaultMode" and d.under("permissions", "defaultMode") and d.new in modes:
            severity, what = modes[d.new]
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), severity,
                           f"`defaultMode: {d.new}` means {what}.")


def gemini(deltas: list[Delta], catalogue: Catalogue, change: FileChange) -> Iterator[Finding]:
    for d in deltas:
        if not _added(d):
            continue
        if d.key in ("allowed", "core", "coreTools") and isinstance(d.new, str) or (
                d.key is None and d.partial and isinstance(d.new, str)):
            grant = grants.judge_gemini_tool(d.new)
            if grant:
                yield _finding(catalogue, "AH101", change, d, _line_text(change, d), grant.severity, grant.reason)
        elif d.key == "autoAccept" and d.new is True:
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), Severity.HIGH,
                           "`autoAccept: true` runs tool calls the CLI considers safe without asking.")
        elif d.key in ("defaultApprovalMode", "approvalMode") and str(d.new).lower() == "yolo":
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), Severity.CRITICAL,
                           "YOLO mode approves every tool call.")


_VSCODE_GLOBAL = ("chat.tools.autoApprove", "chat.tools.global.autoApprove")


def vscode(deltas: list[Delta], catalogue: Catalogue, change: FileChange) -> Iterator[Finding]:
    for d in deltas:
        if not _added(d):
            continue
        dotted = d.dotted()
        if dotted in _VSCODE_GLOBAL and d.new is True:
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), Severity.CRITICAL,
                           f"`{dotted}: true` lets the agent run every tool and terminal command without asking.")
        elif dotted.startswith(("chat.tools.terminal.autoApprove.", "chat.agent.terminal.autoApprove.")) and (
                d.new is True or (d.key == "approve" and d.new is True)):
            pattern = d.keys[1] if len(d.keys) > 1 and d.keys[0].endswith("autoApprove") else d.keys[-1]
            if d.key == "approve" and len(d.keys) > 2:
                pattern = d.keys[-2]
            grant = grants.judge_terminal_pattern(pattern)
            if grant:
                yield _finding(catalogue, "AH101", change, d, _line_text(change, d), grant.severity, grant.reason)
        elif dotted == "chat.tools.terminal.ignoreDefaultAutoApproveRules" and d.new is True:
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), Severity.HIGH,
                           "It drops VS Code's built-in list of commands that always need approval.")


def codex(deltas: list[Delta], catalogue: Catalogue, change: FileChange) -> Iterator[Finding]:
    for d in deltas:
        if not _added(d):
            continue
        if d.key == "approval_policy" and d.new == "never":
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), Severity.HIGH,
                           "`approval_policy = \"never\"` runs every command without asking.")
        elif d.key == "sandbox_mode" and d.new == "danger-full-access":
            yield _finding(catalogue, "AH102", change, d, _line_text(change, d), Severity.CRITICAL,
                           "`danger-full-access` removes the sandbox: commands reach the whole machine and network.")


ANALYZERS: dict[str, list[Analyzer]] = {
    targets.CLAUDE_SETTINGS: [claude],
    targets.GEMINI_SETTINGS: [gemini],
    targets.VSCODE_SETTINGS: [vscode],
    targets.CODEX_CONFIG: [codex],
}


def _render(delta: Delta) -> str:
    value = delta.new
    text = ("true" if value else "false") if isinstance(value, bool) else "null" if value is None else str(value)
    return f"{delta.key}={text}" if delta.key and not isinstance(delta.path[-1] if delta.path else None, int) else text


def leaf_units(deltas: list[Delta], change: FileChange) -> list[Unit]:
    """New scalar values as text for the pattern rules, skipping judged lists."""
    units = []
    for d in deltas:
        if d.new is MISSING or isinstance(d.new, (dict, list)) or any(k in _JUDGED_KEYS for k in d.keys):
            continue
        units.append(Unit.of(d.line, _render(d), display=_line_text(change, d)))
    return units


def _parse(change: FileChange, text: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    if change.kind == targets.CODEX_CONFIG:
        return tomlloc.parse(text), tomlloc.key_lines(text)
    return jsonloc.parse(text, jsonc=change.kind in JSONC_KINDS)


def analyze(change: FileChange, catalogue: Catalogue) -> tuple[list[Finding], list[Unit]]:
    """Findings of the structured analyzers, and the units left for text rules."""
    if change.kind == targets.AGENTHOOK_CONFIG:
        from agenthook.structured import tamper  # noqa: PLC0415

        return list(tamper.analyze(change, catalogue)), []
    findings: list[Finding] = []
    if change.new_text is not None:
        try:
            new, lines = _parse(change, change.new_text)
        except (jsonloc.JsonError, tomlloc.TomlError) as exc:
            rule = catalogue.rules["AH1202"]
            line = getattr(exc, "line", 1) or 1
            findings.append(Finding(rule, change.path, line, "", rule.severity, f"It does not parse: {exc}.",
                                    change.commit))
            return findings, text_units(change)
        old: Any = MISSING
        if change.old_text is not None:
            try:
                old = _parse(change, change.old_text)[0]
            except (jsonloc.JsonError, tomlloc.TomlError):
                old = MISSING  # judge everything in the new file as new
        deltas = list(diff(old, new, lines))
        unread: list[int] = []
    else:
        deltas, unread = fragment_deltas(change)
    for analyzer in ANALYZERS.get(change.kind, []):
        findings.extend(analyzer(deltas, catalogue, change))
    units = leaf_units(deltas, change)
    if unread:
        wanted = set(unread)
        units += [u for u in text_units(change) if u.line in wanted]
    return findings, units
