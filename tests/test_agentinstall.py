"""`agenthook install --agent`: the guard written into a coding agent's hook
settings, merged with what is there, the same the second time; and the exact
command it writes is the one hook agenthook does not report as new."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import Repo, agenthook
from test_guard import BROAD, SCRIPT, SETTINGS, claude

EXISTING = {
    "model": "opus",
    "permissions": {"allow": ["Bash(make test)", "Read(./docs/**)"], "deny": ["Read(./.env)"]},
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/audit-bash"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "~/bin/notify-done"}]}],
    },
    "env": {"EDITOR": "vim"},
}


def home() -> Path:
    return Path(os.environ["HOME"])


def test_install_keeps_every_hook_and_permission_and_a_second_run_changes_nothing() -> None:
    settings = home() / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps(EXISTING, indent=4) + "\n")
    first = agenthook("install", "--agent", "claude-code")
    assert first.code == 0, first.err
    assert f"installed the guard in {settings}" in first.out
    written = json.loads(settings.read_text())
    pre = written["hooks"]["PreToolUse"]
    assert pre[0] == EXISTING["hooks"]["PreToolUse"][0]
    assert pre[1] == {"matcher": "Write|Edit|MultiEdit|NotebookEdit|Bash",
                      "hooks": [{"type": "command", "command": f"{SCRIPT} guard", "timeout": 60}]}
    assert {k: v for k, v in written.items() if k != "hooks"} == {k: v for k, v in EXISTING.items() if k != "hooks"}
    assert written["hooks"]["Stop"] == EXISTING["hooks"]["Stop"]
    content = settings.read_bytes()
    second = agenthook("install", "--agent", "claude-code")
    assert second.code == 0 and f"the guard is already in {settings}" in second.out
    assert settings.read_bytes() == content


def test_the_installed_hook_runs_and_refuses(repo: Repo) -> None:
    """The command install writes, run as Claude Code runs a hook (through a shell)."""
    agenthook("install", "--agent", "claude-code")
    written = json.loads((home() / ".claude" / "settings.json").read_text())
    command = written["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    repo.write(".claude/settings.json", SETTINGS)
    repo.commit("start")
    event = claude(repo, "Write", {"file_path": str(repo.path / ".claude/settings.json"), "content": BROAD})
    proc = subprocess.run(["/bin/sh", "-c", command], input=json.dumps(event), cwd=repo.path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_project_install_writes_the_portable_command_into_the_repository(repo: Repo) -> None:
    repo.write(".claude/settings.json", json.dumps(EXISTING))
    repo.commit("settings")
    sub = repo.path / "src"
    sub.mkdir()
    run = agenthook("install", "--agent", "claude-code", "--project", cwd=sub)
    assert run.code == 0, run.err
    written = json.loads((repo.path / ".claude/settings.json").read_text())
    assert written["hooks"]["PreToolUse"][1]["hooks"][0]["command"] == "agenthook guard"
    assert written["permissions"] == EXISTING["permissions"]
    assert not (home() / ".claude" / "settings.json").exists()


def test_gemini_cli_install_uses_its_event_and_tools() -> None:
    settings = home() / ".gemini" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"theme": "GitHub", "hooks": {"BeforeTool": []}}')
    assert agenthook("install", "--agent", "gemini-cli").code == 0
    written = json.loads(settings.read_text())
    assert written["theme"] == "GitHub"
    assert written["hooks"]["BeforeTool"] == [{"matcher": "write_file|replace|run_shell_command",
                                               "hooks": [{"type": "command", "command": f"{SCRIPT} guard",
                                                          "timeout": 60000}]}]


def test_windsurf_install_adds_both_pre_hooks() -> None:
    assert agenthook("install", "--agent", "windsurf").code == 0
    written = json.loads((home() / ".codeium" / "windsurf" / "hooks.json").read_text())
    for event in ("pre_write_code", "pre_run_command"):
        assert written["hooks"][event] == [{"command": f"{SCRIPT} guard", "show_output": True}]


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ('["a list"]', "holds a JSON list"),
    ('{"hooks": []}', "`hooks` is not an object"),
    ('{"hooks": {"PreToolUse": {"matcher": "x"}}}', "`hooks.PreToolUse` is not a list"),
])
def test_settings_it_cannot_merge_into_are_left_alone(content: str, message: str) -> None:
    settings = home() / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(content)
    run = agenthook("install", "--agent", "claude-code")
    assert run.code == 2 and message in run.err and "Traceback" not in run.err
    assert settings.read_text() == content


def test_unknown_agents_and_mixed_options_are_usage_errors() -> None:
    run = agenthook("install", "--agent", "notepad")
    assert run.code == 2 and "unknown agent 'notepad'" in run.err and "claude-code" in run.err
    run = agenthook("install", "--agent", "claude-code", "--server", "x.git")
    assert run.code == 2 and "--server" in run.err
    run = agenthook("install", "--project")
    assert run.code == 2 and "--agent" in run.err


def _hook_findings(repo: Repo, command: str) -> list[str]:
    settings = {"hooks": {"PreToolUse": [{"matcher": "Write|Edit", "hooks": [{"type": "command",
                                                                               "command": command}]}]}}
    repo.write(".claude/settings.json", json.dumps(settings, indent=2) + "\n")
    repo.git("add", "-A")
    run = agenthook("check-diff", "--staged", "--format", "json", "--threshold", "low", cwd=repo.path)
    return [f["rule_id"] for f in json.loads(run.out)["findings"]]


def test_only_the_guards_exact_command_is_not_reported_as_a_new_hook(repo: Repo) -> None:
    repo.write("README.md", "x\n")
    repo.commit("start")
    assert _hook_findings(repo, "agenthook guard") == []
    assert _hook_findings(repo, f"{SCRIPT} guard") == []
    for other in ("./agenthook guard", "agenthook guard; bash .claude/x.sh", "agenthook  guard",
                  "agenthook guard --x"):
        assert "AH950" in _hook_findings(repo, other), other
    # A look-alike run from /tmp is reported by the stronger rule for code run from outside the repository.
    assert _hook_findings(repo, "/tmp/elsewhere/agenthook guard") == ["AH956"]
