"""Deleting a settings file drops what it refused: its deny and ask rules, its
guards and its sandbox. Each is reported as removing it would be, at its line
in the deleted file, from full texts and from a bare patch alike; deleting a
file that refused nothing, an instruction file or an MCP config is quiet."""
from __future__ import annotations

from typing import Any

import pytest

from conftest import Repo
from settings_support import js, staged_or_patch

MODES = ("staged", "patch")

CLAUDE: dict[str, Any] = {
    "permissions": {
        "allow": ["Bash(npm run test:*)"],
        "deny": ["Read(./.env)", "Bash(curl:*)"],
        "disableBypassPermissionsMode": "disable",
    },
    "sandbox": {"enabled": True},
}


def delete(repo: Repo, files: dict[str, str], mode: str) -> dict[str, Any]:
    """Commit `files`, stage their deletion, and check it."""
    repo.write("README.md", "seed\n")
    for path, text in files.items():
        repo.write(path, text)
    repo.commit("before")
    repo.git("rm", "-q", "--", *files)
    return staged_or_patch(repo, mode)


def found(report: dict[str, Any]) -> set[tuple[str, str, int]]:
    return {(f["rule_id"], f["severity"], f["line"]) for f in report["findings"]}


@pytest.mark.parametrize("mode", MODES)
def test_deleting_claude_settings_reports_each_protection_at_its_old_line(repo: Repo, mode: str) -> None:
    report = delete(repo, {".claude/settings.json": js(CLAUDE)}, mode)
    assert report["blocked"]
    assert found(report) == {("AH110", "high", 7), ("AH110", "medium", 8), ("AH110", "medium", 10),
                             ("AH112", "medium", 13)}
    (env,) = [f for f in report["findings"] if f["line"] == 7]
    assert env["path"] == ".claude/settings.json" and env["text"] == '"Read(./.env)"'  # the removed value
    assert "`Read(./.env)` was removed from `deny`" in env["message"]


@pytest.mark.parametrize("mode", MODES)
def test_deleting_local_settings_is_judged_like_shared_settings(repo: Repo, mode: str) -> None:
    settings = js({"permissions": {"ask": ["Bash(git push:*)"], "deny": ["Read(~/.ssh/**)"]}})
    report = delete(repo, {".claude/settings.local.json": settings}, mode)
    assert {f["rule_id"] for f in report["findings"]} == {"AH110"}
    assert {f["line"] for f in report["findings"]} == {4, 7}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("path", "text"), [
    (".claude/settings.json", js({"permissions": {"allow": ["Bash(npm run lint)", "Bash(git diff:*)"]},
                                  "env": {"NEXT_TELEMETRY_DISABLED": "1"}})),
    (".claude/settings.local.json", js({"permissions": {"allow": ["Bash(node:*)"]}})),
    ("CLAUDE.md", "# Shop\n\n- Never read `.env`; ask first.\n- Run `make test` before committing.\n"),
    (".mcp.json", js({"mcpServers": {"docs": {"command": "npx", "args": ["-y", "@acme/docs-mcp@1.2.3"]}}})),
    (".claude/settings.json", '{\n  "permissions": {"deny": ["Read(./.env)",]}\n}\n'),  # broken: refused nothing
])
def test_deleting_what_refused_nothing_is_quiet(repo: Repo, mode: str, path: str, text: str) -> None:
    report = delete(repo, {path: text}, mode)
    assert report["findings"] == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("path", "text", "line"), [
    (".gemini/settings.json", js({"tools": {"exclude": ["run_shell_command"]}}), 4),
    (".vscode/settings.json", js({"chat.tools.eligibleForAutoApproval": {"runInTerminal": False}}), 3),
    (".zed/settings.json", js({"agent": {"tool_permissions": {"tools": {"terminal": {
        "always_deny": [{"pattern": "rm\\s+-rf"}]}}}}}), 8),
    (".amazonq/cli-agents/dev.json", js({"toolsSettings": {"execute_bash": {"deniedCommands": ["git push .*"]}}}), 5),
])
def test_deleting_other_agents_settings_reports_their_protections(repo: Repo, mode: str, path: str, text: str,
                                                                  line: int) -> None:
    report = delete(repo, {path: text}, mode)
    assert found(report) == {("AH110", "medium", line)}
    assert not report["blocked"]


@pytest.mark.parametrize("mode", MODES)
def test_settings_and_instructions_deleted_together(repo: Repo, mode: str) -> None:
    report = delete(repo, {".claude/settings.json": js(CLAUDE), "CLAUDE.md": "# Rules\n", ".mcp.json": "{}\n"}, mode)
    assert {f["path"] for f in report["findings"]} == {".claude/settings.json"}
    assert report["blocked"]


@pytest.mark.parametrize("mode", MODES)
def test_deleting_settings_nested_deeper_than_agenthook_reads_blocks(repo: Repo, mode: str) -> None:
    """Valid JSON an agent honours, but nested past the parser's limit: what its
    deny rules were cannot be listed, so deleting it is reported, not waved through."""
    deep = "[" * 600 + "]" * 600
    text = '{\n  "permissions": {\n    "deny": ["Bash(rm -rf:*)", "Read(.env)"]\n  },\n  "x": ' + deep + "\n}\n"
    report = delete(repo, {".claude/settings.json": text}, mode)
    assert report["blocked"]
    assert found(report) == {("AH110", "high", 1)}
    assert "nested deeper than agenthook reads" in report["findings"][0]["message"]
