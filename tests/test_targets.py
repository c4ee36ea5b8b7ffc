"""Which paths are agent files: the table of watched paths, its prefilter, and
the paths a policy adds."""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

import pytest

from agenthook import targets
from agenthook.targets import DEFAULT, Targets, _glob_regex

# One path per pattern watched before the prefilter and the newer agents'
# files, with the kind it had then: none of it may change.
BEFORE: list[tuple[str, str]] = [
    ('.agenthook.toml', 'agenthook-config'),
    ('pyproject.toml', 'agenthook-config'),
    ('.claude/settings.json', 'claude-settings'),
    ('.claude/settings.local.json', 'claude-settings'),
    ('managed-settings.json', 'claude-settings'),
    ('managed-settings.d/w.json', 'claude-settings'),
    ('.claude/commands/x/y', 'claude-prompt'),
    ('.claude/agents/x/y', 'claude-prompt'),
    ('.claude/skills/x/y', 'claude-prompt'),
    ('.claude/output-styles/x/y', 'claude-prompt'),
    ('.claude/rules/x/y', 'instructions'),
    ('.claude/claude.md', 'instructions'),
    ('.mcp.json', 'mcp-config'),
    ('managed-mcp.json', 'mcp-config'),
    ('.cursor/mcp.json', 'mcp-config'),
    ('.vscode/mcp.json', 'mcp-config'),
    ('.amazonq/mcp.json', 'mcp-config'),
    ('.kiro/settings/mcp.json', 'mcp-config'),
    ('.roo/mcp.json', 'mcp-config'),
    ('.junie/mcp/mcp.json', 'mcp-config'),
    ('gemini-extension.json', 'mcp-config'),
    ('.vscode/settings.json', 'vscode-settings'),
    ('w.code-workspace', 'vscode-settings'),
    ('.cursor/permissions.json', 'cursor-settings'),
    ('.cursor/sandbox.json', 'cursor-settings'),
    ('.cursor/cli.json', 'cursor-settings'),
    ('.cursor/hooks.json', 'cursor-settings'),
    ('.codex/config.toml', 'codex-config'),
    ('.gemini/settings.json', 'gemini-settings'),
    ('.gemini/.env', 'dotenv'),
    ('.gemini/system.md', 'instructions'),
    ('.cursor/rules/x/y', 'instructions'),
    ('.windsurf/rules/x/y', 'instructions'),
    ('.windsurf/workflows/x/y', 'instructions'),
    ('.clinerules/x/y', 'instructions'),
    ('.roo/rules/x/y', 'instructions'),
    ('.amazonq/rules/x/y', 'instructions'),
    ('.kiro/steering/x/y', 'instructions'),
    ('.continue/rules/x/y', 'instructions'),
    ('.junie/guidelines.md', 'instructions'),
    ('.github/copilot-instructions.md', 'instructions'),
    ('.github/instructions/x/y', 'instructions'),
    ('.github/prompts/x/y', 'instructions'),
    ('.github/agents/x/y', 'instructions'),
    ('.github/chatmodes/x/y', 'instructions'),
    ('claude.md', 'instructions'),
    ('claude.local.md', 'instructions'),
    ('agents.md', 'instructions'),
    ('agents.override.md', 'instructions'),
    ('agent.md', 'instructions'),
    ('gemini.md', 'instructions'),
    ('.cursorrules', 'instructions'),
    ('.windsurfrules', 'instructions'),
    ('.clinerules', 'instructions'),
]


def _by_regex(table: Targets) -> Callable[[str], str | None]:
    """The classification without the prefilter: the first glob that matches."""
    compiled = [(re.compile(_glob_regex(glob.lower()), re.DOTALL), kind) for glob, kind in table.patterns]

    def kind_of(path: str) -> str | None:
        key = unicodedata.normalize("NFC", path).lower()
        return next((kind for regex, kind in compiled if regex.fullmatch(key)), None)
    return kind_of


@pytest.mark.parametrize(("path", "kind"), BEFORE)
def test_watched_paths_keep_their_kind_at_any_depth_and_case(path: str, kind: str) -> None:
    root_only = path in (".agenthook.toml", "pyproject.toml")
    assert DEFAULT.kind_of(path) == DEFAULT.kind_of(path.upper()) == kind
    for nested in ("deep/er/" + path, "Sub/" + path.title()):
        assert DEFAULT.kind_of(nested) == (None if root_only else kind), nested


def _samples(table: Targets) -> list[str]:
    """Paths near every pattern (matching, one character off, one level off)
    and ordinary source paths."""
    rng = random.Random(3)
    paths = ["src/main.py", "README.md", "docs/claude.md.bak", ".claude/notes.txt", "x.code-workspace/y",
             "nl\nin/CLAUDE.md", "tab\tdir/AGENTS.md", "", "/", "a//b", "Ω/CLAUDE.md", "ﬁle/.claude/settings.json",
             "caf\u0065\u0301/AGENTS.md", "İ/.mcp.json", "rules/x.py", "src/hooks/hooks.py", ".github/workflows/ci.yml"]
    for glob, _ in table.patterns:
        for prefix in ("", "a/", "deep/er/", "x"):
            sample = prefix + glob.removeprefix("**/").replace("**", "x/y").replace("*", "w").replace("?", "q")
            paths += [sample, sample.upper(), sample + "x", "x" + sample, sample + "/z", sample[:-1],
                      sample.replace("/", "", 1), sample.replace(".", "", 1)]
    alphabet = "ab./*cdlmsr"
    paths += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(2000)]
    return paths


@pytest.mark.parametrize("extra", [(), ("docs/*.md",), ("a**/b",), ("x?y",), ("**/*",), ("*",), ("notes/**",),
                                   ("**/team-rules.txt", "policies/*/agent-*.md", "*.prompt")])
def test_the_prefilter_never_changes_a_classification(extra: tuple[str, ...]) -> None:
    table = DEFAULT.with_extra(extra)
    reference = _by_regex(table)
    mismatched = [p for p in _samples(table) if table.kind_of(p) != reference(p)]
    assert mismatched == []


def test_paths_from_the_policy_are_honoured() -> None:
    table = DEFAULT.with_extra(["docs/agent-*.md", "**/team-rules.txt"])
    assert table.kind_of("docs/agent-guide.md") == targets.INSTRUCTIONS
    assert table.kind_of("a/b/Team-Rules.TXT") == targets.INSTRUCTIONS
    assert table.kind_of("docs/guide.md") is None and DEFAULT.kind_of("docs/agent-guide.md") is None


def test_ordinary_source_paths_are_rejected_by_the_prefilter() -> None:
    """The cheap path: no regex for files no pattern can match."""
    for path in ("src/agenthook/engine.py", "web/components/Button.tsx", "rules/permission.toml",
                 "services/api/settings.py", "docs/index.md"):
        assert DEFAULT._candidates(path.lower()) == [], path
