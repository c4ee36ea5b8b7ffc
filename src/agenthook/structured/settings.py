"""Structured analysis of agent settings files.

Each analyzer reads the change to one kind of file and judges what is new by
what it does: an allow rule by what it grants (`claude`, `peers`), a hook by
what its command runs and fetches (`hooks`), an environment variable by where
it sends traffic or what it loads (`envvars`), an MCP server by where its code
comes from (`mcp`). This module parses the old and new texts (or, for a bare
patch, reads the hunks as fragments), dispatches by file kind, and hands the
values to the text rules as well: hook commands, environment values and server
launches go on as `key=value` units, so that the TLS, exfiltration and
execution patterns apply to settings too.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from agenthook import lazyre, targets
from agenthook.engine import Unit, text_units
from agenthook.model import FileChange, Finding, Severity
from agenthook.rules import Catalogue
from agenthook.structured import agentkeys, claude, envvars, hooks, jsonloc, mcp, opencode, peers, tasks, tomlloc
from agenthook.structured.delta import MISSING, Delta, diff, json_fragments, toml_fragments
from agenthook.structured.doc import Doc

# Lists of permission rules are judged by the analyzers; as text they would
# only repeat those verdicts, and in deny lists they are protective.
_JUDGED_KEYS = frozenset({
    "permissions", "allow", "deny", "ask", "exclude", "excludeTools", "disallowedTools", "allowed", "core",
    "coreTools", "autoApprove", "alwaysAllow", "terminalAllowlist", "mcpAllowlist", "$schema",
    "chat.tools.terminal.autoApprove", "chat.tools.urls.autoApprove", "chat.tools.eligibleForAutoApproval",
    "enabledMcpjsonServers", "disabledMcpjsonServers",
})

Analyzer = Callable[[Doc], Iterator[Finding]]

ANALYZERS: dict[str, list[Analyzer]] = {
    targets.CLAUDE_SETTINGS: [claude.analyze, hooks.analyze, envvars.analyze],
    targets.MCP_CONFIG: [mcp.analyze, envvars.analyze],
    targets.GEMINI_SETTINGS: [peers.gemini, hooks.analyze, mcp.analyze, envvars.analyze],
    targets.VSCODE_SETTINGS: [peers.vscode, agentkeys.analyze, mcp.analyze, envvars.analyze],
    targets.CURSOR_SETTINGS: [peers.cursor, envvars.analyze],
    targets.CODEX_CONFIG: [peers.codex, mcp.analyze, envvars.analyze],
    targets.ZED_SETTINGS: [peers.zed, mcp.analyze, envvars.analyze],
    targets.AMAZONQ_AGENT: [peers.amazonq, hooks.analyze, mcp.analyze, envvars.analyze],
    targets.CLAUDE_PLUGIN: [hooks.analyze, mcp.analyze, envvars.analyze],
    targets.VSCODE_TASKS: [tasks.analyze],
    targets.AGENT_JSON: [mcp.analyze, envvars.analyze],
    targets.OPENCODE_CONFIG: [opencode.analyze, mcp.analyze, envvars.analyze],
}


def _render(delta: Delta) -> str:
    """`key=value` for a member, the value alone for an array element."""
    value = delta.new
    text = ("true" if value else "false") if isinstance(value, bool) else "null" if value is None else str(value)
    return f"{delta.key}={text}" if delta.key and not isinstance(delta.path[-1] if delta.path else None, int) else text


def leaf_units(doc: Doc) -> list[Unit]:
    """New scalar values as text for the pattern rules, skipping judged lists;
    each new launch (a server's command and arguments) also as one line."""
    units = []
    for d in doc.deltas:
        if d.removed or isinstance(d.new, (dict, list)) or any(k in _JUDGED_KEYS for k in d.keys):
            continue
        units.append(Unit.of(d.line, _render(d), display=doc.text(d.line)))
    for server in mcp.servers(doc):
        argv = mcp.argv_of(server.after)
        if len(argv) > 1:
            line = doc.line(server.path + ("command",), doc.line(server.path))
            units.append(Unit.of(line, " ".join(argv), display=doc.text(line)))
    return units


# Kinds whose broken file drops no protection, only what it would add (a
# plugin's hooks and servers): a parse error there warns. `hooks/hooks.json`
# is also a name other tools may use.
_NOTHING_TO_DROP = frozenset({targets.CLAUDE_PLUGIN, targets.VSCODE_TASKS, targets.AGENT_JSON})
# Kinds read as JSON with comments wherever they sit (VS Code's and Cursor's
# files are JSONC; other JSON in an agent's directory is read leniently).
_JSONC_KINDS = frozenset({targets.VSCODE_TASKS, targets.AGENT_JSON, targets.OPENCODE_CONFIG})

JSONC_PATHS = lazyre.compile(r"(?:^|/)(?:\.vscode|\.cursor|\.gemini|\.zed|\.amp)/[^/]+$|\.code-workspace$", re.IGNORECASE)


def _parse(change: FileChange, text: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    if change.kind == targets.CODEX_CONFIG:
        return tomlloc.parse(text), tomlloc.key_lines(text)
    return jsonloc.parse(text, jsonc=change.kind in _JSONC_KINDS or bool(JSONC_PATHS.search(change.path)))


def _whole_in_patch(change: FileChange) -> str | None:
    """The whole new file, when a JSON patch happens to show all of it and the
    old side is known too: a new file, or one rewritten from end to end (a
    one-line settings file). Then it is judged like full texts."""
    numbers = sorted(change.new_lines)
    if change.kind == targets.CODEX_CONFIG or not numbers or numbers != list(range(1, len(numbers) + 1)):
        return None
    text = "\n".join(change.new_lines[n] for n in numbers)
    if change.status == "A":
        return text
    try:
        _parse(change, text)
        _parse(change, "\n".join(change.removed))
    except (jsonloc.JsonError, tomlloc.TomlError):
        return None
    return text


class _Unparseable(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.detail)
        self.finding = finding


def _doc(change: FileChange, catalogue: Catalogue) -> tuple[Doc, list[int]]:
    """The change as analyzers read it, and the added lines left unread (patch
    mode); raises _Unparseable when the new text does not parse."""
    new_text = change.new_text if change.new_text is not None else _whole_in_patch(change)
    if new_text is None:
        frags = toml_fragments(change) if change.kind == targets.CODEX_CONFIG else json_fragments(change)
        return Doc(change, catalogue, frags.deltas, MISSING, frags.tree, frags.lines, partial=True,
                   added_lines=frags.added_lines), frags.unread
    old_text = change.old_text if change.new_text is not None else "\n".join(change.removed) or None
    try:
        new, lines = _parse(change, new_text)
    except (jsonloc.JsonError, tomlloc.TomlError) as exc:
        rule = catalogue.rules["AH1202"]
        severity = Severity.MEDIUM if change.kind in _NOTHING_TO_DROP else rule.severity
        raise _Unparseable(Finding(rule, change.path, getattr(exc, "line", 1) or 1, "", severity,
                                   f"It does not parse: {exc}.", change.commit)) from None
    old: Any = MISSING
    if old_text is not None:
        try:
            old = _parse(change, old_text)[0]
        except (jsonloc.JsonError, tomlloc.TomlError):
            old = MISSING  # judge everything in the new file as new
    return Doc(change, catalogue, list(diff(old, new, lines)), old, new, lines), []


def _old_text(change: FileChange) -> str | None:
    """The whole old file: the source's text, or what a patch shows when it
    shows every line from the first on as removed (a deleted file's patch)."""
    if change.old_text is not None:
        return change.old_text
    numbers = sorted(change.removed_at)
    if not numbers or numbers != list(range(1, len(numbers) + 1)) or len(change.old_lines) != len(numbers):
        return None
    return "\n".join(change.old_lines[n] for n in numbers)


def deleted(change: FileChange, catalogue: Catalogue) -> list[Finding]:
    """A deleted settings file drops every entry it held, which loosens the
    agent exactly as removing them one by one would: its parsed tree is
    compared with an empty one, each finding at its line in the old file.
    A file with a syntax error had no effect to lose; one only nested deeper
    than agenthook reads may have been in force, and what it held is unknown,
    so its deletion is reported. (Deleting agenthook's own policy is judged
    where the policy is loaded.)"""
    old_text = _old_text(change)
    if old_text is None or change.kind == targets.AGENTHOOK_CONFIG:
        return []
    try:
        old, old_lines = _parse(change, old_text)
    except (jsonloc.JsonError, tomlloc.TomlError) as exc:
        if not (isinstance(exc, jsonloc.JsonError) and exc.message.startswith(jsonloc.TOO_DEEP)
                or isinstance(exc, tomlloc.TomlError) and "recursion" in exc.message):
            return []
        rule = catalogue.rules["AH110"]
        return [Finding(rule, change.path, 1, "(the whole file)", Severity.HIGH,
                        "The deleted file is nested deeper than agenthook reads, so the deny rules and guards it "
                        "held cannot be listed: deleting it may drop any of them.", change.commit, removed=True)]
    doc = Doc(change, catalogue, list(diff(old, {}, {}, old_lines=old_lines)), old, {}, old_lines)
    return [f for analyzer in ANALYZERS.get(change.kind, []) for f in analyzer(doc)]


def analyze(change: FileChange, catalogue: Catalogue) -> tuple[list[Finding], list[Unit]]:
    """Findings of the structured analyzers, and the units left for text rules."""
    if change.kind == targets.AGENTHOOK_CONFIG:
        from agenthook.structured import tamper  # noqa: PLC0415

        return list(tamper.analyze(change, catalogue)), []
    try:
        doc, unread = _doc(change, catalogue)
    except _Unparseable as exc:
        return [exc.finding], text_units(change)
    findings = [f for analyzer in ANALYZERS.get(change.kind, []) for f in analyzer(doc)]
    units = leaf_units(doc)
    if unread:
        wanted = set(unread)
        units += [u for u in text_units(change) if u.line in wanted]
    return findings, units
