"""OpenCode (`opencode.json`, `opencode.jsonc`, `.opencode/*.json`).

Its `permission` resolves each tool, or each pattern of a tool's input, to
`allow` (run without approval), `ask` or `deny`; `"permission": "allow"` and
`{"*": "allow"}` approve everything. Its MCP servers (`mcp.<name>` with a
`command` list) go through `mcp` once read as a server map.
Documented at https://opencode.ai/docs/permissions/ and https://opencode.ai/docs/mcp-servers/.
"""
from __future__ import annotations

from collections.abc import Iterator

from agenthook import grants
from agenthook.model import Finding, Severity
from agenthook.structured.delta import Delta
from agenthook.structured.doc import Doc

# Tools by what allowing them in advance lets run: (severity, what).
_TOOLS: dict[str, tuple[Severity, str]] = {
    "*": (Severity.CRITICAL, "every tool, shell commands included"),
    "bash": (Severity.CRITICAL, "any shell command"),
    "external_directory": (Severity.HIGH, "files outside the project, the home directory's keys included"),
    "edit": (Severity.MEDIUM, "any file edit"),
    "webfetch": (Severity.MEDIUM, "any URL, sending data out in the address"),
    "task": (Severity.MEDIUM, "subagents with their own tools"),
}


def _permission(doc: Doc, d: Delta) -> Iterator[Finding]:
    if d.new != "allow" or not d.keys or d.keys[0] != "permission":
        return
    below = d.keys[1:]
    if not below:
        yield doc.finding("AH102", d.line, "`\"permission\": \"allow\"` runs every tool call, shell commands included, "
                                           "without asking.", Severity.CRITICAL, "permission")
        return
    tool = below[0]
    if len(below) == 1 or (tool != "bash" and below[1] == "*"):
        judged = _TOOLS.get(tool)
        if judged is not None:
            yield doc.finding("AH101", d.line, f"`permission.{tool}: allow` lets the agent use {judged[1]} without "
                                               "asking.", judged[0], tool)
    elif tool == "bash":
        grant = grants.judge_terminal_pattern(below[1])
        if grant is not None:
            yield doc.finding("AH101", d.line, grant.reason, grant.severity, below[1])


def analyze(doc: Doc) -> Iterator[Finding]:
    for d in doc.deltas:
        if d.added:
            yield from _permission(doc, d)
