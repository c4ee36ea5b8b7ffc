"""How much agenthook's pre-receive hook adds to a large push.

A history of --commits commits (default 20,000) over 5,000 files in 50
directories is generated with `git fast-import`; about one commit in 60 also
changes an agent file (CLAUDE.md, .claude/settings.json, a nested AGENTS.md,
.github/copilot-instructions.md) in a harmless way, so every push is accepted
and both sides do the same work. It is then pushed, alternately, into a fresh
bare repository without a hook and into one with the hook that `agenthook
install --server` writes:

- initial: the whole history into an empty repository;
- update: the server already has the first 1,000 commits, the rest arrive.

Prints the median wall time of each and the ratio (the goal is at most 1.25),
the median of the ratios of the runs taken side by side (a slow spell of the
machine weighs on both of a pair), and the same for CPU time.

    python benchmarks/push.py [--commits 20000] [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AGENT_FILES = ("CLAUDE.md", ".claude/settings.json", "src/d7/AGENTS.md", ".github/copilot-instructions.md")


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def _agent_content(path: str, i: int) -> str:
    if path.endswith(".json"):
        return '{\n  "permissions": {\n    "allow": ["Bash(npm test)", "Bash(npm run lint)"]\n  },\n' \
               f'  "cleanupPeriodDays": {i % 90 + 1}\n}}\n'
    notes = "".join(f"- Keep handlers small; revision {k}.\n" for k in range(i % 7))
    return f"# Project notes\n\n- Run the tests with `make test` before committing.\n{notes}"


def generate(path: Path, commits: int) -> int:
    """The history, on refs/heads/main; returns how many commits touch an agent file."""
    rnd = random.Random(1)
    files = [f"src/d{d}/f{f}.txt" for d in range(50) for f in range(100)]
    stream: list[bytes] = []
    touched = 0
    for i in range(commits):
        stream.append(b"commit refs/heads/main\ncommitter Bench <bench@example.invalid> %d +0000\n" % (1700000000 + i))
        stream.append(_data(f"commit {i}"))
        changed = files if i == 0 else [files[rnd.randrange(len(files))]]
        for name in changed:
            stream.append(f"M 100644 inline {name}\n".encode() + _data(f"{name} {i}\n"))
        if i % 60 == 0:
            agent = AGENT_FILES[(i // 60) % len(AGENT_FILES)]
            stream.append(f"M 100644 inline {agent}\n".encode() + _data(_agent_content(agent, i)))
            touched += 1
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=path, check=True)
    return touched


def push_once(source: Path, work: Path, hooked: bool, seed: str | None) -> tuple[float, float]:
    """Wall time and CPU time (the push and every process it waited for, hook included)."""
    server = work / ("hooked.git" if hooked else "plain.git")
    shutil.rmtree(server, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", str(server)], check=True)
    if seed is not None:
        subprocess.run(["git", "fetch", "-q", str(source), f"{seed}:refs/heads/main"], cwd=server, check=True)
    if hooked:
        subprocess.run([sys.executable, "-m", "agenthook", "install", "--server", str(server)], check=True,
                       stdout=subprocess.DEVNULL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(["git", "push", "-q", str(server), "main"], cwd=source, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"push failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        os.environ.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"))
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules cached
        start = time.perf_counter()
        touched = generate(work / "source", args.commits)
        print(f"history: {args.commits} commits, {touched} touching agent files, "
              f"generated in {time.perf_counter() - start:.1f} s; {os.cpu_count()} CPUs")
        seed = subprocess.run(["git", "rev-parse", "main~" + str(args.commits - 1000)], cwd=work / "source",
                              capture_output=True, check=True).stdout.decode().strip()
        for name, base in (("initial", None), ("update", seed)):
            push_once(work / "source", work, True, base)  # warm-up
            plain, hooked = [], []
            for _ in range(args.runs):
                plain.append(push_once(work / "source", work, False, base))
                hooked.append(push_once(work / "source", work, True, base))
            for i, measure in enumerate(("wall", "cpu")):
                p, h = statistics.median(r[i] for r in plain), statistics.median(r[i] for r in hooked)
                paired = statistics.median(b[i] / a[i] for a, b in zip(plain, hooked))
                print(f"{name:8s} {measure:4s} without hook {p:6.2f} s   with hook {h:6.2f} s   ratio {h / p:.2f}   "
                      f"per pair {paired:.2f}   (runs: {', '.join(f'{r[i]:.2f}' for r in plain)} / "
                      f"{', '.join(f'{r[i]:.2f}' for r in hooked)})")


if __name__ == "__main__":
    main()
