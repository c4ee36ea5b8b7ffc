"""How long `agenthook pre-commit` takes, against the bare start of the same interpreter.

In scratch repositories with some history, two commits are staged and the
hook command is run on each, many times:

- agent: a staged change to CLAUDE.md and .claude/settings.json (goal: at most
  8x `python -c pass`);
- none: a staged change to no agent file (goal: at most 4x);

each through the console script (`agenthook pre-commit`) and through the entry
the hooks written by `agenthook install` run (`python -m agenthook.hookcli
pre-commit`), which answers a commit without agent files before click and the
rules are imported. Each round runs the baseline and every case once, so a
slow spell of the machine weighs on both sides of a ratio alike. Prints
medians in milliseconds, their ratios, and the median of the ratios per round.

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


def _timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall and CPU milliseconds of one run (the command and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, cwd=cwd, capture_output=True).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall * 1000, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000, code


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
        bare = ([sys.executable, "-c", "pass"], work)
        cases = []
        for name, agent, goal in (("agent", True, 8), ("none", False, 4)):
            repo = _repository(work / name, agent)
            cases += [(name, label, goal, (command, repo)) for label, command in (
                ("agenthook pre-commit", [str(script), "pre-commit"]),
                ("python -m agenthook.hookcli pre-commit", [sys.executable, "-m", "agenthook.hookcli", "pre-commit"]))]
        # Rounds interleave the baseline with every case, so that a slow spell of
        # the machine weighs on both sides of a ratio alike.
        runs: list[list[tuple[float, float, int]]] = [[] for _ in range(len(cases) + 1)]
        for round_ in range(args.runs + 1):
            for i, (command, cwd) in enumerate([bare, *(c[3] for c in cases)]):
                timed = _timed(command, cwd)
                if round_:  # the first round warms the caches up
                    runs[i].append(timed)
        bare_ms = statistics.median(r[0] for r in runs[0])
        bare_cpu = statistics.median(r[1] for r in runs[0])
        print(f"python -c pass: {bare_ms:.1f} ms, cpu {bare_cpu:.1f} ms ({os.cpu_count()} CPUs, {args.runs} rounds)")
        for (name, label, goal, _), timed in zip(cases, runs[1:]):
            ms, cpu = statistics.median(r[0] for r in timed), statistics.median(r[1] for r in timed)
            per_round = statistics.median(r[0] / b[0] for r, b in zip(timed, runs[0]))
            print(f"{name:5s} {label:40s} {ms:7.1f} ms {ms / bare_ms:5.1f}x   cpu {cpu:6.1f} ms "
                  f"{cpu / bare_cpu:5.1f}x   per round {per_round:4.1f}x   (goal {goal}x, exit {timed[-1][2]})")


if __name__ == "__main__":
    main()
