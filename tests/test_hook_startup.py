"""The hook commands in the shape git and the pre-commit framework call them
stay light: every commit pays for them. What a run imported is read from
`python -X importtime`, against a real repository."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Repo

SETTINGS = '{\n  "permissions": {\n    "allow": ["Bash(make test)"]\n  }\n}\n'


def _imported(repo: Repo, *args: str) -> tuple[int, set[str], str]:
    """Exit code, modules imported, and what was printed (import lines aside)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "agenthook", *args], cwd=repo.path,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    modules = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    report = proc.stdout + "\n".join(line for line in proc.stderr.splitlines() if not line.startswith("import time:"))
    return proc.returncode, modules, report


def _seeded(repo: Repo) -> None:
    repo.write("CLAUDE.md", "# Project\n")
    repo.write(".claude/settings.json", SETTINGS)
    repo.write("src/app.py", "VALUE = 1\n")
    repo.commit("seed")


def test_commit_without_agent_files_loads_neither_click_nor_rules(repo: Repo) -> None:
    _seeded(repo)
    repo.write("src/app.py", "VALUE = 2\n")
    repo.git("add", "-A")
    code, modules, _ = _imported(repo, "pre-commit")
    assert code == 0
    assert "agenthook.hookcli" in modules
    assert not {"click", "agenthook.engine", "agenthook.rules", "agenthook.cli"} & modules


def test_agent_change_is_judged_without_click(repo: Repo) -> None:
    _seeded(repo)
    repo.write(".claude/settings.json", SETTINGS.replace('"Bash(make test)"', '"Bash(make test)", "Bash"'))
    repo.git("add", "-A")
    code, modules, report = _imported(repo, "pre-commit")
    assert code == 1, report
    assert "AH1" in report and ".claude/settings.json:3" in report
    assert "agenthook.engine" in modules
    assert "click" not in modules


def test_other_shapes_still_go_through_the_full_command_line(repo: Repo) -> None:
    _seeded(repo)
    code, modules, report = _imported(repo, "pre-commit", "--help")
    assert code == 0
    assert "Usage:" in report
    assert "click" in modules


def test_server_hook_runs_without_click(tmp_path: Path) -> None:
    """The server hook as `agenthook install --server` writes it: `pre-receive`
    (with or without --config), git's ref lines on standard input."""
    bare = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    policy = tmp_path / "server.toml"
    policy.write_text('threshold = "high"\n')
    for args in (("pre-receive",), ("pre-receive", "--config", str(policy))):
        code, modules, report = _imported(Repo(bare), *args)
        assert code == 0, report
        assert "agenthook.serverpolicy" in modules and "click" not in modules
