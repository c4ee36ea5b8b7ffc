"""Hooks and helper commands: commands that settings make the agent run on
events, judged by where the code they run comes from (see `launch`).

Claude Code and Gemini CLI share a hook shape (event -> matcher groups ->
handlers); Cursor's `hooks.json` lists handlers per event directly.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from agenthook import lazyre
from agenthook.model import Finding, Severity
from agenthook.structured import hosts, launch, unprompted
from agenthook.structured.delta import MISSING, Path
from agenthook.structured.doc import Doc
from agenthook.structured.launch import Launch, Source

# Sources of code that make any command run by configuration block; other
# sources leave the severity the place it runs from calls for.
_SOURCE_SEVERITY = {Source.FETCHED: Severity.CRITICAL, Source.REMOTE: Severity.HIGH, Source.UNPINNED: Severity.HIGH,
                    Source.ROOT: Severity.HIGH, Source.NETWORK: Severity.HIGH}
# Keys whose `command` is a helper, not a hook.
HELPER_PARENTS = frozenset({"statusLine", "subagentStatusLine", "fileSuggestion"})
# Events whose hooks may answer a permission check.
_GRANTING_EVENTS = frozenset({"", "PreToolUse", "PermissionRequest", "BeforeTool", "beforeShellExecution",
                              "beforeMCPExecution"})
_APPROVES = lazyre.compile(
    r"""["']?(?:permissionDecision|behavior)["']?\s*:\s*["']?allow\b|["']?decision["']?\s*:\s*["']?approve\b""",
    re.IGNORECASE,
)
_EVERY_TOOL = (None, "", "*", ".*")


def command_findings(doc: Doc, line: int, launched: Launch, rule_id: str, base: Severity, subject: str,
                     command: str, value: Any = None) -> Iterator[Finding]:
    """A hook or helper: code fetched and run at once is its own finding; the
    rest is reported under `rule_id`, at `base` unless its source is worse.
    `subject` reads like "The `Stop` hook runs". What it runs from outside the
    repository, inline or in the background is reported besides (`unprompted`);
    `value` is the command as written, a line or a program and its arguments."""
    detail = f"{subject} `{command[:120]}`" + ("." if launched.source == Source.LOCAL else f": it {launched.what}.")
    if launched.source == Source.FETCHED:
        yield doc.finding("AH952", line, detail, Severity.CRITICAL, command)
        return
    yield doc.finding(rule_id, line, detail, _SOURCE_SEVERITY.get(launched.source, base), command)
    yield from concern_findings(doc, line, subject, command, unprompted.judge(command if value is None else value,
                                                                              False, launched))


def concern_findings(doc: Doc, line: int, subject: str, command: str,
                     concerns: list[unprompted.Concern]) -> Iterator[Finding]:
    for concern in concerns:
        yield doc.finding(concern.rule_id, line, f"{subject} `{command[:120]}`: it {concern.what}.", concern.severity,
                          concern.token)


def judge_command(value: Any) -> Launch | None:
    """A command written as a shell line, or as a program and its arguments."""
    if isinstance(value, str) and value.strip():
        return launch.judge_line(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return launch.judge_argv(value)
    return None


def _handlers(doc: Doc) -> dict[Path, int]:
    """Paths of the hook handlers whose command or URL the change sets, with
    the line to report. In a patch a `command` whose container is not shown
    counts as a hook's."""
    found: dict[Path, int] = {}
    for d in doc.deltas:
        if not d.added or any(k in HELPER_PARENTS for k in d.keys):
            continue
        if "hooks" not in d.keys and not (d.partial and not d.parent[:-1]):
            continue
        if d.key in ("command", "url") and isinstance(d.path[-1], str):
            found.setdefault(d.path[:-1], d.line)
        elif d.key == "args" and isinstance(d.path[-1], int):
            found.setdefault(d.path[:-2], doc.line(d.path[:-2] + ("command",), d.line))
    return found


def _event(path: Path) -> str:
    """The event a handler path names: the key after `hooks`."""
    keys = [p for p in path if isinstance(p, str)]
    after = keys[keys.index("hooks") + 1:] if "hooks" in keys else []
    return after[0] if after and after[0] != "hooks" else ""


def analyze(doc: Doc) -> Iterator[Finding]:
    for path, line in _handlers(doc).items():
        handler = doc.at(path)
        if not isinstance(handler, dict):
            continue
        event = _event(path)
        group = doc.at(path[:-2]) if len(path) >= 2 else MISSING
        matcher = group.get("matcher") if isinstance(group, dict) else None
        on = f" (on `{matcher}`)" if isinstance(matcher, str) and matcher not in _EVERY_TOOL else ""
        label = f"The `{event}` hook{on}" if event else f"The hook{on}"
        url, command = handler.get("url"), handler.get("command")
        if handler.get("type") == "http" or (isinstance(url, str) and command is None):
            yield from _http_hook(doc, line, label, url)
        elif handler.get("type", "command") == "command":
            yield from _command_hook(doc, line, label, handler, event, matcher)


def _command_hook(doc: Doc, line: int, label: str, handler: dict[str, Any], event: str,
                  matcher: Any) -> Iterator[Finding]:
    command, args = handler.get("command"), handler.get("args")
    if args is None and _is_own_guard(command):
        return  # agenthook's own guard, exactly as `agenthook install --agent` writes it
    value = [command, *args] if isinstance(command, str) and isinstance(args, list) else command
    launched = judge_command(value)
    if launched is None:
        return
    shown = " ".join(value) if isinstance(value, list) else str(value)
    yield from command_findings(doc, line, launched, "AH950", Severity.MEDIUM, f"{label} runs", shown, value)
    if event in _GRANTING_EVENTS and _APPROVES.search(shown):
        every = matcher in _EVERY_TOOL
        yield doc.finding("AH113", line, f"{label} answers the permission check with an allow decision itself, "
                                         "so the calls it sees run without the user's approval"
                                         + (", every tool's included." if every else "."),
                          Severity.HIGH if every else Severity.MEDIUM, shown)


def _is_own_guard(command: Any) -> bool:
    from agenthook.agentinstall import is_own_guard  # noqa: PLC0415

    return is_own_guard(command)


def _http_hook(doc: Doc, line: int, label: str, url: Any) -> Iterator[Finding]:
    host = hosts.url_host(url) if isinstance(url, str) else None
    if host is None or (hosts.is_internal(host) and not hosts.is_relay(host)):
        return
    yield doc.finding("AH253", line, f"{label} posts each event, with the tool inputs and outputs in it, "
                                     f"to `{host}`.", Severity.HIGH, str(url))
