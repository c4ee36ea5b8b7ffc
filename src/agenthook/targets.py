"""Which paths are agent configuration, and of what kind.

Matching is case-insensitive: on macOS and Windows checkouts `claude.md` is the
file the agent opens when it asks for `CLAUDE.md`.
"""
from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable

INSTRUCTIONS = "instructions"
CLAUDE_PROMPT = "claude-prompt"
CLAUDE_SETTINGS = "claude-settings"
MCP_CONFIG = "mcp-config"
VSCODE_SETTINGS = "vscode-settings"
CURSOR_SETTINGS = "cursor-settings"
CODEX_CONFIG = "codex-config"
GEMINI_SETTINGS = "gemini-settings"
AGENTHOOK_CONFIG = "agenthook-config"
DOTENV = "dotenv"

MARKDOWN_KINDS = frozenset({INSTRUCTIONS, CLAUDE_PROMPT})
JSON_KINDS = frozenset({CLAUDE_SETTINGS, MCP_CONFIG, VSCODE_SETTINGS, CURSOR_SETTINGS, GEMINI_SETTINGS})
STRUCTURED_KINDS = JSON_KINDS | {CODEX_CONFIG, AGENTHOOK_CONFIG}
ALL_KINDS = MARKDOWN_KINDS | STRUCTURED_KINDS | {DOTENV}

# (glob, kind); globs are matched against the lower-cased path. "**/" means any
# depth, including the root. The first match wins.
DEFAULT_TARGETS: tuple[tuple[str, str], ...] = (
    (".agenthook.toml", AGENTHOOK_CONFIG),
    ("pyproject.toml", AGENTHOOK_CONFIG),
    ("**/.claude/settings.json", CLAUDE_SETTINGS),
    ("**/.claude/settings.local.json", CLAUDE_SETTINGS),
    ("**/managed-settings.json", CLAUDE_SETTINGS),
    ("**/managed-settings.d/*.json", CLAUDE_SETTINGS),
    ("**/.claude/commands/**", CLAUDE_PROMPT),
    ("**/.claude/agents/**", CLAUDE_PROMPT),
    ("**/.claude/skills/**", CLAUDE_PROMPT),
    ("**/.claude/output-styles/**", CLAUDE_PROMPT),
    ("**/.claude/rules/**", INSTRUCTIONS),
    ("**/.claude/claude.md", INSTRUCTIONS),
    ("**/.mcp.json", MCP_CONFIG),
    ("**/managed-mcp.json", MCP_CONFIG),
    ("**/.cursor/mcp.json", MCP_CONFIG),
    ("**/.vscode/mcp.json", MCP_CONFIG),
    ("**/.amazonq/mcp.json", MCP_CONFIG),
    ("**/.kiro/settings/mcp.json", MCP_CONFIG),
    ("**/.roo/mcp.json", MCP_CONFIG),
    ("**/.junie/mcp/mcp.json", MCP_CONFIG),
    ("**/gemini-extension.json", MCP_CONFIG),
    ("**/.vscode/settings.json", VSCODE_SETTINGS),
    ("**/*.code-workspace", VSCODE_SETTINGS),
    ("**/.cursor/permissions.json", CURSOR_SETTINGS),
    ("**/.cursor/sandbox.json", CURSOR_SETTINGS),
    ("**/.cursor/cli.json", CURSOR_SETTINGS),
    ("**/.cursor/hooks.json", CURSOR_SETTINGS),
    ("**/.codex/config.toml", CODEX_CONFIG),
    ("**/.gemini/settings.json", GEMINI_SETTINGS),
    ("**/.gemini/.env", DOTENV),
    ("**/.gemini/system.md", INSTRUCTIONS),
    ("**/.cursor/rules/**", INSTRUCTIONS),
    ("**/.windsurf/rules/**", INSTRUCTIONS),
    ("**/.windsurf/workflows/**", INSTRUCTIONS),
    ("**/.clinerules/**", INSTRUCTIONS),
    ("**/.roo/rules/**", INSTRUCTIONS),
    ("**/.amazonq/rules/**", INSTRUCTIONS),
    ("**/.kiro/steering/**", INSTRUCTIONS),
    ("**/.continue/rules/**", INSTRUCTIONS),
    ("**/.junie/guidelines.md", INSTRUCTIONS),
    ("**/.github/copilot-instructions.md", INSTRUCTIONS),
    ("**/.github/instructions/**", INSTRUCTIONS),
    ("**/.github/prompts/**", INSTRUCTIONS),
    ("**/.github/agents/**", INSTRUCTIONS),
    ("**/.github/chatmodes/**", INSTRUCTIONS),
    ("**/claude.md", INSTRUCTIONS),
    ("**/claude.local.md", INSTRUCTIONS),
    ("**/agents.md", INSTRUCTIONS),
    ("**/agents.override.md", INSTRUCTIONS),
    ("**/agent.md", INSTRUCTIONS),
    ("**/gemini.md", INSTRUCTIONS),
    ("**/.cursorrules", INSTRUCTIONS),
    ("**/.windsurfrules", INSTRUCTIONS),
    ("**/.clinerules", INSTRUCTIONS),
)


def _glob_regex(glob: str) -> str:
    parts = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            parts.append(".*")
            i += 2
        else:
            parts.append(fnmatch.translate(glob[i])[4:-3] if glob[i] in "*?[" else re.escape(glob[i]))
            if glob[i] == "*":
                parts[-1] = "[^/]*"
            i += 1
    return "".join(parts)


class Targets:
    """Path patterns to file kinds, compiled into one alternation per kind."""

    def __init__(self, patterns: Iterable[tuple[str, str]] = DEFAULT_TARGETS) -> None:
        self.patterns = tuple(patterns)
        alternatives = [f"(?P<k{i}>{_glob_regex(g.lower())})" for i, (g, _) in enumerate(self.patterns)]
        self._regex = re.compile("^(?:" + "|".join(alternatives) + ")$", re.DOTALL)

    def kind_of(self, path: str) -> str | None:
        """The kind of agent file at `path`, or None for every other file."""
        key = unicodedata.normalize("NFC", path).lower()
        match = self._regex.match(key)
        if match is None:
            return None
        index = int(match.lastgroup[1:])  # type: ignore[index]
        return self.patterns[index][1]

    def with_extra(self, globs: Iterable[str], kind: str = INSTRUCTIONS) -> Targets:
        return Targets(self.patterns + tuple((g, kind) for g in globs))


DEFAULT = Targets()
