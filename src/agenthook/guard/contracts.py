"""Each agent's hook contract (data/agents.toml): which agent sent an event,
what its tool call does, and how a refusal is written back to it."""
from __future__ import annotations

import json
import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every tool call
if TYPE_CHECKING:
    from typing import Any

from agenthook import tomlcache

_DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "agents.toml")


def agents() -> dict[str, dict[str, Any]]:
    """The table of agents by name (`claude-code`, `gemini-cli`, ...)."""
    return tomlcache.load([_DATA], "agents")[0]


class ToolCall:
    """What a tool call asks for, in the agent's own words: the action
    (write, edit, edits, notebook, shell), the tool's name and its arguments,
    and the argument names the contract gives. A plain slotted class: every
    tool call the agent makes pays for its imports."""

    __slots__ = ("agent", "tool", "action", "spec", "args", "cwd")

    def __init__(self, agent: str, tool: str, action: str, spec: dict[str, Any], args: dict[str, Any],
                 cwd: str | None) -> None:
        self.agent, self.tool, self.action, self.spec, self.args, self.cwd = agent, tool, action, spec, args, cwd


class UnknownEvent(Exception):
    """The event is of no agent agenthook knows: the message says what it saw."""


def recognise(event: Any) -> str:
    """The agent whose event this is; UnknownEvent when none matches."""
    if not isinstance(event, dict):
        raise UnknownEvent(f"the hook event is a JSON {type(event).__name__}, not an object")
    for name, agent in agents().items():
        if all(event.get(key) in values for key, values in agent["match"].items()):
            return name
    keys = ", ".join(sorted(str(k) for k in event)[:12]) or "none"
    raise UnknownEvent(f"the hook event matches no agent agenthook knows (its keys: {keys}); "
                       f"`agenthook guard` serves {', '.join(a['title'] for a in agents().values())}")


def tool_call(name: str, event: dict[str, Any]) -> ToolCall | None:
    """The tool call of a recognised event; None for a tool that writes no file."""
    agent = agents()[name]
    tool = event.get(agent["tool"])
    spec = agent["tools"].get(tool) if isinstance(tool, str) else None
    if spec is None:
        return None
    args = event.get(agent["input"])
    if not isinstance(args, dict):
        raise UnknownEvent(f"the {agent['title']} event for {tool} has no `{agent['input']}` object")
    cwd = args.get(spec["cwd"]) if "cwd" in spec else event.get(agent.get("cwd", ""))
    return ToolCall(name, tool, spec["action"], spec, args, cwd if isinstance(cwd, str) and cwd else None)


def _filled(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, dict):
        return {k: _filled(v, values) for k, v in template.items()}
    if isinstance(template, str) and template in ("{reason}", "{summary}"):
        return values[template[1:-1]]
    return template


def answer(name: str, decision: str, reason: str, summary: str) -> tuple[int, str, str]:
    """(exit code, standard output, standard error) that tell agent `name` to
    refuse the call (`deny`) or to ask the user (`ask`)."""
    agent = agents()[name]
    if agent.get("stderr"):
        return 2, "", reason + "\n"
    body = _filled(agent[decision], {"reason": reason, "summary": summary})
    return int(agent.get("exit", 0)), json.dumps(body) + "\n", ""
