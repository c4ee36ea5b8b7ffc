"""How long `agenthook guard` takes per tool call, against the bare start of
the same interpreter and against the pre-commit check of the same change.

The guard runs before every edit a coding agent makes. In a scratch
repository, Claude Code PreToolUse events are fed to the console script
(`agenthook guard`), as the agent runs it:

- ordinary: an Edit of src/app.py (goal: at most 3x `python -c pass`);
- shell: a Bash call that writes no agent file (same goal);
- agent: an Edit of CLAUDE.md adding a line (goal: at most what
  `agenthook pre-commit` costs for the same change staged);
- settings: a Write of .claude/settings.json adding an allow rule.

Each round runs the baseline and every case once, so a slow spell of the
machine weighs on both sides of a ratio alike. Prints medians of wall and
CPU milliseconds (CPU time varies less on a loaded machine) and their ratios.

    python benchmarks/guard.py [--runs 15]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLAUDE = "# Project\n\n- Run the tests with `make test` before committing.\n"
SETTINGS = '{\n  "permissions": {\n    "allow": ["Bash(make test)"]\n  }\n}\n'
SCRIPT = str(Path(sys.executable).parent / "agenthook")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _timed(command: list[str], cwd: Path, stdin: bytes = b"") -> tuple[float, float, int]:
    """Wall and CPU milliseconds of one run (the command and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall * 1000, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000, code


def _event(repo: Path, tool: str, tool_input: dict[str, object]) -> bytes:
    return json.dumps({"session_id": "bench", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
                       "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": tool,
                       "tool_input": tool_input}).encode()


def _repository(path: Path) -> Path:
    _git(path.parent, "init", "-q", path.name)
    (path / ".claude").mkdir()
    (path / "src").mkdir()
    for i in range(200):
        (path / "src" / f"m{i}.py").write_text(f"VALUE = {i}\n")
    (path / "src" / "app.py").write_text("VALUE = 1\n")
    (path / "CLAUDE.md").write_text(CLAUDE)
    (path / ".claude" / "settings.json").write_text(SETTINGS)
    _git(path, "add", "-A")
    _git(path, "-c", "user.name=b", "-c", "user.email=b@example.invalid", "commit", "-q", "-m", "start")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        repo = _repository(Path(tmp) / "repo")
        staged = _repository(Path(tmp) / "staged")
        (staged / "CLAUDE.md").write_text(CLAUDE + "- Keep handlers small.\n")
        _git(staged, "add", "-A")
        cases = {
            "baseline (python -c pass)": ([sys.executable, "-c", "pass"], repo, b""),
            "guard: edit of an ordinary file": ([SCRIPT, "guard"], repo, _event(repo, "Edit", {
                "file_path": str(repo / "src/app.py"), "old_string": "VALUE = 1", "new_string": "VALUE = 2"})),
            "guard: shell command, no agent file": ([SCRIPT, "guard"], repo, _event(repo, "Bash", {
                "command": "make test && git status --short > /tmp/status.txt"})),
            "guard: edit of CLAUDE.md": ([SCRIPT, "guard"], repo, _event(repo, "Edit", {
                "file_path": str(repo / "CLAUDE.md"), "old_string": "committing.\n",
                "new_string": "committing.\n- Keep handlers small.\n"})),
            "guard: write of .claude/settings.json": ([SCRIPT, "guard"], repo, _event(repo, "Write", {
                "file_path": str(repo / ".claude/settings.json"),
                "content": SETTINGS.replace('"Bash(make test)"', '"Bash(make test)", "Bash(make lint)"')})),
            "pre-commit: the CLAUDE.md change staged": ([SCRIPT, "pre-commit"], staged, b""),
        }
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, (command, cwd, stdin) in cases.items():
                wall, cpu, code = _timed(command, cwd, stdin)
                if code != 0:
                    raise SystemExit(f"{name}: exit code {code}")
                walls[name].append(wall)
                cpus[name].append(cpu)
    print(f"median of {runs} runs, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for label, times in (("wall", walls), ("cpu", cpus)):
        medians = {name: statistics.median(values) for name, values in times.items()}
        base = medians["baseline (python -c pass)"]
        commit = medians["pre-commit: the CLAUDE.md change staged"]
        for name, value in medians.items():
            print(f"  {label:4s} {name:42s} {value:7.1f} ms  {value / base:4.1f}x baseline  "
                  f"{value / commit:4.2f}x pre-commit")
    print("goals: ordinary file and shell command <= 3.0x baseline; agent file <= 1.00x pre-commit")


if __name__ == "__main__":
    main()
