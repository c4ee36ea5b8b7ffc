"""How long `agenthook pre-commit` takes, against the bare start of the same interpreter.

In a scratch repository with some history, three commits are prepared and the
hook command is run on each, many times:

- agent: a staged change to CLAUDE.md and .claude/settings.json (goal: at most
  8x `python -c pass`);
- none: a staged change to no agent file (goal: at most 4x);

each through the console script (`agenthook pre-commit`) and through the entry
the hooks written by `agenthook install` run (`python -m agenthook.hookcli
pre-commit`), which answers a commit without agent files before click and the
rules are imported. Prints medians in milliseconds and the ratios.

    python benchmarks/startup.py [--runs 30]
"""
from __future__ import annotations

import argparse
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


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _median_ms(command: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds (the command and every process it waited for)."""
    walls, cpus = [], []
    code = subprocess.run(command, cwd=cwd, capture_output=True).returncode  # warm-up
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        code = subprocess.run(command, cwd=cwd, capture_output=True).returncode
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, code


def _repository(path: Path, agent: bool) -> Path:
    _git(path.parent, "init", "-q", path.name)
    (path / ".claude").mkdir()
    (path / "src").mkdir()
    for i in range(200):
        (path / "src" / f"m{i}.py").write_text(f"VALUE = {i}\n")
    (path / "CLAUDE.md").write_text(CLAUDE)
    (path / ".claude" / "settings.json").write_text(SETTINGS)
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "start")
    if agent:
        (path / "CLAUDE.md").write_text(CLAUDE + "- Keep handlers small.\n")
        (path / ".claude" / "settings.json").write_text(SETTINGS.replace('"Bash(make test)"',
                                                                         '"Bash(make test)", "Bash(make lint)"'))
    else:
        (path / "src" / "m0.py").write_text("VALUE = -1\n")
    _git(path, "add", "-A")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "agenthook"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.update(HOME=str(work), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(work / ".gitconfig"),
                          GIT_AUTHOR_NAME="B", GIT_AUTHOR_EMAIL="b@example.invalid",
                          GIT_COMMITTER_NAME="B", GIT_COMMITTER_EMAIL="b@example.invalid")
        # As installed, with compiled modules cached (a warm-up run writes them).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        bare, bare_cpu, _ = _median_ms([sys.executable, "-c", "pass"], work, args.runs)
        print(f"python -c pass: {bare:.1f} ms, cpu {bare_cpu:.1f} ms ({os.cpu_count()} CPUs)")
        for name, agent, goal in (("agent", True, 8), ("none", False, 4)):
            repo = _repository(work / name, agent)
            for label, command in (("agenthook pre-commit", [str(script), "pre-commit"]),
                                   ("python -m agenthook.hookcli pre-commit",
                                    [sys.executable, "-m", "agenthook.hookcli", "pre-commit"])):
                ms, cpu, code = _median_ms(command, repo, args.runs)
                print(f"{name:5s} {label:40s} {ms:7.1f} ms {ms / bare:5.1f}x   cpu {cpu:6.1f} ms "
                      f"{cpu / bare_cpu:5.1f}x   (goal {goal}x, exit {code})")


if __name__ == "__main__":
    main()
