"""Settings that agents and the editor keep in an editor's settings file
(`.vscode/settings.json`, `*.code-workspace`, Amp's `.amp/settings.json`),
judged by capability.

Which setting controls what is data (`data/agent_settings.toml`, each entry
with its documentation): approving everything, command allow-lists, Amp's
permission rules, MCP servers, the endpoint an agent talks to. Two readers
need no list of names: a setting of an agent's namespace whose name says it
approves, trusts or skips a check is reported for review, its values judged
as commands where they are commands; and an editor setting that names a
program to run (`php.validate.executablePath`, `python.defaultInterpreterPath`,
`…serverPath`) is judged by where that program is (IDEsaster: the editor runs
it as soon as a matching file is opened).
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from agenthook import grants, lazyre, tomlcache
from agenthook.model import Finding, Severity
from agenthook.structured import hosts, unprompted
from agenthook.structured.delta import Delta
from agenthook.structured.doc import Doc


class Setting(NamedTuple):
    agent: str
    key: str
    capability: str
    values: tuple[str, ...]
    match: str  # how an allow-list entry matches a command: "prefix" or "exact" (a `*` is a wildcard)
    source: str


class Table(NamedTuple):
    settings: dict[str, Setting]
    namespaces: tuple[str, ...]
    words: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def table() -> Table:
    data = tomlcache.load([os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "agent_settings.toml")],
                          "agent_settings")[0]
    settings = {e["key"]: Setting(e["agent"], e["key"], e["capability"], tuple(e.get("values", ())),
                                  e.get("match", "prefix"), e["source"]) for e in data.get("setting", [])}
    review = data.get("review", {})
    return Table(settings, tuple(review.get("namespaces", ())), tuple(w.lower() for w in review.get("words", ())))


def mcp_containers() -> frozenset[str]:
    """Setting names that hold a map of MCP servers (`amp.mcpServers`)."""
    return frozenset(k for k, s in table().settings.items() if s.capability == "mcp-servers")


# The settings `peers.vscode` judges (VS Code's own chat approvals).
_JUDGED_ELSEWHERE = ("chat.tools.", "chat.agent.terminal.", "chat.permissions.")
# Words of a setting's name that make `true` approve everything.
_ALL_WORDS = ("dangerous", "yolo", "bypass", "skippermission", "allowall", "trustall", "turbo")
# A setting's last name that says it names a program the editor or an
# extension runs; its value is judged by where that program is.
_PROGRAM_SETTING = lazyre.compile(
    r"(?:executable|interpreter)(?:path)?$|(?:server|binary|bin|tool|runtime|compiler|linter|formatter|exe|cli)path$"
    r"|^(?:path|runtime|executable|interpreter)$", re.IGNORECASE)
# Where package managers install a project's tools: not committed code.
_DEPENDENCIES = lazyre.compile(r"^(?:\./)?(?:node_modules|vendor|\.venv|venv|\.tox|\.pixi|\.nox|target|bin/\.deps)/")
_WORKSPACE = lazyre.compile(r"^\$\{(?:workspaceFolder|workspaceRoot)(?::[^}]*)?\}[\\/]")


def _names(doc: Doc, d: Delta) -> tuple[str, tuple[Any, ...]]:
    """The setting a delta belongs to and the path below it; a workspace file
    holds the settings under `settings`."""
    path = d.path[1:] if doc.basename.endswith(".code-workspace") and d.path[:1] == ("settings",) else d.path
    if not path or not isinstance(path[0], str):
        return "", ()
    return path[0], path[1:]


def _grant(doc: Doc, d: Delta, grant: grants.Grant | None, shown: str) -> Iterator[Finding]:
    if grant is not None:
        yield doc.finding("AH101", d.line, grant.reason, grant.severity, shown)


def _allow_entry(d: Delta, below: tuple[Any, ...]) -> str | None:
    """The command an allow-list entry approves: a list element, or a map key
    set to true (or to `{"approve": true}`)."""
    if below and isinstance(below[-1], int) and isinstance(d.new, str):
        return d.new
    if below and isinstance(below[0], str) and d.new is True:
        return below[0]
    return None


def _command_allowlist(doc: Doc, d: Delta, setting: Setting, below: tuple[Any, ...]) -> Iterator[Finding]:
    entry = _allow_entry(d, below)
    if entry is None:
        return
    exact = setting.match == "exact" and "*" not in entry
    yield from _grant(doc, d, grants.judge_command(entry, False) if exact else grants.judge_terminal_pattern(entry),
                      entry)


def _approve_all(doc: Doc, d: Delta, setting: Setting, below: tuple[Any, ...]) -> Iterator[Finding]:
    if not below and (d.new is True or (isinstance(d.new, str) and d.new in setting.values)):
        value = "true" if d.new is True else d.new
        yield doc.finding("AH102", d.line, f"`{setting.key}: {value}` lets {setting.agent} run every tool call and "
                                           "command without asking.", Severity.CRITICAL, setting.key)


def _permission_rules(doc: Doc, d: Delta, setting: Setting, below: tuple[Any, ...]) -> Iterator[Finding]:
    """Amp's `{tool, action, matches}` rules: the change's `allow` rules, each
    judged once, at the line of its `action`."""
    if len(below) < 2 or below[1:] != ("action",) or d.new != "allow":
        return
    rule = doc.at(d.path[:-1])
    if not isinstance(rule, dict):
        return
    tool = str(rule.get("tool", ""))
    matches = rule.get("matches") if isinstance(rule.get("matches"), dict) else {}
    commands = matches.get("cmd")
    commands = [commands] if isinstance(commands, str) else [c for c in commands or [] if isinstance(c, str)]
    if tool in ("*", "") or (tool.lower() == "bash" and not commands):
        what = "every tool call" if tool in ("*", "") else "every shell command"
        yield doc.finding("AH101", d.line, f"An `allow` rule for `{tool or '*'}` with no narrower match lets the agent "
                                           f"run {what} without asking.", Severity.CRITICAL, tool or "*")
    elif tool.lower() == "bash":
        for command in commands:
            yield from _grant(doc, d, grants.judge_terminal_pattern(command), command)


def _endpoint(doc: Doc, d: Delta, setting: Setting, below: tuple[Any, ...]) -> Iterator[Finding]:
    host = hosts.url_host(d.new) if isinstance(d.new, str) and "://" in d.new and not below else None
    if host and not hosts.is_internal(host):
        yield doc.finding("AH250", d.line, f"`{setting.key}` sends {setting.agent}'s requests, with its credentials "
                                           f"and the code it reads, to `{host}`.", Severity.CRITICAL, d.new)


_BY_CAPABILITY = {"command-allowlist": _command_allowlist, "approve-all": _approve_all,
                  "permission-rules": _permission_rules, "endpoint": _endpoint}


def _review(doc: Doc, d: Delta, name: str, below: tuple[Any, ...]) -> Iterator[Finding]:
    """A setting of an agent's namespace, not documented here, whose name says
    it approves, trusts or skips a check: its commands judged as an allow-list,
    anything else that turns it on reported for review."""
    entry = _allow_entry(d, below)
    grant = grants.judge_terminal_pattern(entry) if entry is not None else None
    if grant is not None:
        yield doc.finding("AH114", d.line, f"`{name}` looks like an allow-list of {name.split('.')[0]}: "
                                           f"{grant.reason}", grant.severity, entry)
        return
    if d.new in (False, None, "", 0) or (isinstance(d.new, str) and d.new.lower() in ("off", "never", "false", "ask")):
        return
    everything = d.new == "*" or (entry is not None and entry.strip() in ("*", "/.*/")) or (
        d.new is True and any(w in name.lower() for w in _ALL_WORDS))
    shown = "true" if d.new is True else str(d.new)
    yield doc.finding("AH114", d.line, f"`{name}: {shown}` is not a setting agenthook knows, and its name says it "
                                       "approves, trusts or skips a check"
                                       + ("; as written it covers everything." if everything else
                                          ": review what it lets run without asking."),
                      Severity.HIGH if everything else Severity.MEDIUM, name)


def _program_path(value: str) -> tuple[str, Severity] | None:
    """Where a program an editor setting names lives, when that matters: outside
    the repository (see `unprompted.outside_path`), or in the repository itself
    (a committed file the editor runs), unless a package manager put it there."""
    outside = unprompted.outside_path(value)
    if outside:
        return outside
    path = _WORKSPACE.sub("", value.strip()).replace("\\", "/")
    if not path or path.startswith("/") or re.match(r"^[A-Za-z]:/", path) or "$" in path or "/" not in path:
        return None
    if _DEPENDENCIES.match(path):
        return None
    return path, Severity.HIGH


def _program_setting(doc: Doc, d: Delta, name: str, below: tuple[Any, ...]) -> Iterator[Finding]:
    leaf = str(below[-1]) if below and isinstance(below[-1], str) else name.rsplit(".", 1)[-1]
    if not isinstance(d.new, str) or not _PROGRAM_SETTING.search(leaf):
        return
    judged = _program_path(d.new)
    if judged:
        where = "outside the repository" if unprompted.outside_path(d.new) else "a file of the repository"
        yield doc.finding("AH960", d.line, f"`{'.'.join([name, *map(str, below)])}` makes the editor run `{d.new}`, "
                                           f"{where}, as soon as a matching file is opened, with no prompt.",
                          judged[1], d.new)


def analyze(doc: Doc) -> Iterator[Finding]:
    known = table()
    for d in doc.deltas:
        if not d.added:
            continue
        name, below = _names(doc, d)
        if not name:
            continue
        setting = known.settings.get(name)
        if setting is not None:
            judge = _BY_CAPABILITY.get(setting.capability)
            if judge is not None:
                yield from judge(doc, d, setting, below)
            continue
        yield from _program_setting(doc, d, name, below)
        lowered = re.sub(r"[^a-z]", "", ".".join([name, *(str(b) for b in below if isinstance(b, str))]).lower())
        if name.startswith(known.namespaces) and not name.startswith(_JUDGED_ELSEWHERE) and any(
                w in lowered for w in known.words):
            yield from _review(doc, d, name, below)
