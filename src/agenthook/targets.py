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
CLAUDE_PLUGIN = "claude-plugin"
MCP_CONFIG = "mcp-config"
VSCODE_SETTINGS = "vscode-settings"
CURSOR_SETTINGS = "cursor-settings"
CODEX_CONFIG = "codex-config"
GEMINI_SETTINGS = "gemini-settings"
ZED_SETTINGS = "zed-settings"
AMAZONQ_AGENT = "amazonq-agent"
VSCODE_TASKS = "vscode-tasks"
AGENT_JSON = "agent-json"
OPENCODE_CONFIG = "opencode-config"
AGENTHOOK_CONFIG = "agenthook-config"
DOTENV = "dotenv"
HOOK_SCRIPT = "hook-script"

MARKDOWN_KINDS = frozenset({INSTRUCTIONS, CLAUDE_PROMPT})
JSON_KINDS = frozenset({CLAUDE_SETTINGS, CLAUDE_PLUGIN, MCP_CONFIG, VSCODE_SETTINGS, CURSOR_SETTINGS, GEMINI_SETTINGS,
                        ZED_SETTINGS, AMAZONQ_AGENT, VSCODE_TASKS, AGENT_JSON, OPENCODE_CONFIG})
STRUCTURED_KINDS = JSON_KINDS | {CODEX_CONFIG, AGENTHOOK_CONFIG}
# Programs that settings run on their own (hook scripts): read by the rules
# about commands, not by those about prose addressed to a model.
SCRIPT_KINDS = frozenset({HOOK_SCRIPT})
ALL_KINDS = MARKDOWN_KINDS | STRUCTURED_KINDS | SCRIPT_KINDS | {DOTENV}

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
    ("**/.claude/hooks/**", HOOK_SCRIPT),
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
    ("**/.kilocode/mcp.json", MCP_CONFIG),
    ("**/gemini-extension.json", MCP_CONFIG),
    ("**/.claude-plugin/plugin.json", CLAUDE_PLUGIN),
    ("**/hooks/hooks.json", CLAUDE_PLUGIN),
    ("**/.vscode/settings.json", VSCODE_SETTINGS),
    ("**/.amp/settings.json", VSCODE_SETTINGS),  # Amp keeps the same `amp.*` settings there
    ("**/*.code-workspace", VSCODE_SETTINGS),
    ("**/.cursor/permissions.json", CURSOR_SETTINGS),
    ("**/.cursor/sandbox.json", CURSOR_SETTINGS),
    ("**/.cursor/cli.json", CURSOR_SETTINGS),
    ("**/.cursor/hooks.json", CURSOR_SETTINGS),
    ("**/.codex/config.toml", CODEX_CONFIG),
    ("**/.gemini/settings.json", GEMINI_SETTINGS),
    ("**/.zed/settings.json", ZED_SETTINGS),
    ("**/.amazonq/cli-agents/*.json", AMAZONQ_AGENT),
    ("**/.vscode/tasks.json", VSCODE_TASKS),
    ("opencode.json", OPENCODE_CONFIG),
    ("opencode.jsonc", OPENCODE_CONFIG),
    ("**/.opencode/opencode.json", OPENCODE_CONFIG),
    ("**/.opencode/opencode.jsonc", OPENCODE_CONFIG),
    # Other JSON in an agent's directory: judged as MCP configuration when it
    # has that shape (Cursor loaded `.cursor/rules/mcp.json` in MCPoison), and
    # its values read by the command and prose rules otherwise.
    ("**/.cursor/**/*.json", AGENT_JSON),
    ("**/.claude/**/*.json", AGENT_JSON),
    ("**/.gemini/**/*.json", AGENT_JSON),
    ("**/.vscode/**/*.json", AGENT_JSON),
    ("**/.kiro/**/*.json", AGENT_JSON),
    ("**/.roo/**/*.json", AGENT_JSON),
    ("**/.kilocode/**/*.json", AGENT_JSON),
    ("**/.junie/**/*.json", AGENT_JSON),
    ("**/.amazonq/**/*.json", AGENT_JSON),
    ("**/.windsurf/**/*.json", AGENT_JSON),
    ("**/.clinerules/**/*.json", AGENT_JSON),
    ("**/.continue/**/*.json", AGENT_JSON),
    ("**/.codex/**/*.json", AGENT_JSON),
    ("**/.amp/**/*.json", AGENT_JSON),
    ("**/.gemini/.env", DOTENV),
    ("**/.gemini/system.md", INSTRUCTIONS),
    ("**/.gemini/commands/**", INSTRUCTIONS),
    ("**/.cursor/rules/**", INSTRUCTIONS),
    ("**/.windsurf/rules/**", INSTRUCTIONS),
    ("**/.windsurf/workflows/**", INSTRUCTIONS),
    ("**/.clinerules/**", INSTRUCTIONS),
    ("**/.roo/**", INSTRUCTIONS),
    ("**/.roomodes", INSTRUCTIONS),
    ("**/.kilocode/**", INSTRUCTIONS),
    ("**/.amazonq/rules/**", INSTRUCTIONS),
    ("**/.kiro/steering/**", INSTRUCTIONS),
    ("**/.kiro/hooks/**", INSTRUCTIONS),
    ("**/.continue/rules/**", INSTRUCTIONS),
    ("**/.continue/prompts/**", INSTRUCTIONS),
    ("**/.continue/config.yaml", INSTRUCTIONS),
    ("**/.continue/mcpservers/*.yaml", INSTRUCTIONS),
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
    ("**/.rules", INSTRUCTIONS),
    ("conventions.md", INSTRUCTIONS),
    (".aider.conf.yml", INSTRUCTIONS),
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


def _requirement(glob: str) -> tuple[str, str] | None:
    """Something every path `glob` matches has, cheap to test on a path:
    ("name", n) its file name is n, ("dir", d) one of its directories is d,
    ("suffix", s) its file name ends with s; None when the glob promises none.

    A literal segment is a whole path component: `*` stops at `/`, and `**/`
    stands for nothing or for directories ending in `/`, unless `**` shares
    its segment with other text (`a**/b` also matches `ab`)."""
    segments = glob.split("/")
    if any("**" in s and s != "**" for s in segments):
        return None
    literal = ["*" not in s and "?" not in s for s in segments]
    if literal[-1]:
        return "name", segments[-1]
    directory = next((s for s, is_literal in zip(segments[:-1], literal) if is_literal), None)
    if directory is not None:
        return "dir", directory
    last = segments[-1]
    if last.startswith("*") and len(last) > 1 and "*" not in last[1:] and "?" not in last:
        return "suffix", last[1:]
    return None


class Targets:
    """Path patterns to file kinds.

    Most paths of a push are not agent files. Each pattern is indexed by a file
    name, directory name or suffix every path it matches has, so a path is
    tried only against the patterns it could match, and one that has none of
    them costs about a microsecond."""

    def __init__(self, patterns: Iterable[tuple[str, str]] = DEFAULT_TARGETS) -> None:
        self.patterns = tuple(patterns)
        self._compiled: dict[int, re.Pattern[str]] = {}
        self._always: list[int] = []
        self._by_name: dict[str, list[int]] = {}
        self._by_dir: dict[str, list[int]] = {}
        self._by_suffix: dict[str, list[int]] = {}
        tables = {"name": self._by_name, "dir": self._by_dir, "suffix": self._by_suffix}
        for index, (glob, _) in enumerate(self.patterns):
            need = _requirement(glob.lower())
            if need is None:
                self._always.append(index)
            else:
                tables[need[0]].setdefault(need[1], []).append(index)
        self._suffixes = tuple(self._by_suffix)

    def _candidates(self, key: str) -> list[int]:
        """The patterns that may match `key`, in table order (the first match
        wins): those whose required file name, directory or suffix it has."""
        head, _, name = key.rpartition("/")
        found = list(self._always)
        found += self._by_name.get(name, ())
        if name.endswith(self._suffixes):
            found += [i for suffix, indexes in self._by_suffix.items() if name.endswith(suffix) for i in indexes]
        if head:
            for directory in set(head.split("/")):
                found += self._by_dir.get(directory, ())
        return sorted(set(found)) if len(found) > 1 else found

    def _regex(self, index: int) -> re.Pattern[str]:
        """A pattern is compiled when a path first reaches it: a commit that
        stages no agent file compiles none."""
        if index not in self._compiled:
            self._compiled[index] = re.compile(_glob_regex(self.patterns[index][0].lower()) + r"\Z", re.DOTALL)
        return self._compiled[index]

    def kind_of(self, path: str) -> str | None:
        """The kind of agent file at `path`, or None for every other file."""
        key = (path if path.isascii() else unicodedata.normalize("NFC", path)).lower()
        for index in self._candidates(key):
            if self._regex(index).match(key):
                return self.patterns[index][1]
        return None

    def with_extra(self, globs: Iterable[str], kind: str = INSTRUCTIONS) -> Targets:
        extra = tuple((g, kind) for g in globs)
        if not extra:
            return self
        return Targets(self.patterns + extra)

    def with_scripts(self, paths: Iterable[str]) -> Targets:
        """These exact paths (no wildcard among them) judged as hook scripts,
        before any other pattern: a hook runs them as code."""
        return Targets(tuple((p, HOOK_SCRIPT) for p in paths) + self.patterns)


DEFAULT = Targets()
