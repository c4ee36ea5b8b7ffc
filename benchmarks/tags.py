"""How much agenthook's pre-receive hook adds to a push of many new refs.

A history of --commits commits (default 3,000; agent files touched now and
then, as in push.py) is generated, and the server already has its `main`.
The client then creates --tags tags (default 2,000; lightweight, or annotated
with --annotated) on commits of that history and pushes them all at once,
alternately into a copy of the server without a hook and into one with the
hook that `agenthook install --server` writes. Every push must be accepted.

Prints the median wall time of each, the ratio (the goals: at most 2x a push
without the hook, and at most 5 s, GitHub Enterprise's budget for all
pre-receive hooks), and the median of the ratios of the runs taken side by side.

    python benchmarks/tags.py [--commits 3000] [--tags 2000] [--runs 5] [--annotated]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from push import generate  # noqa: E402 - the same history generator as the commit benchmark


def make_tags(source: Path, count: int, annotated: bool) -> None:
    """`count` tags on the commits of main, spread over its history."""
    ids = subprocess.run(["git", "rev-list", "main"], cwd=source, capture_output=True, check=True,
                         text=True).stdout.split()
    if annotated:
        for i in range(count):
            subprocess.run(["git", "tag", "-a", "-m", f"release {i}", f"v{i}", ids[i % len(ids)]], cwd=source,
                           check=True)
        return
    stream = "".join(f"create refs/tags/v{i} {ids[i % len(ids)]}\n" for i in range(count))
    subprocess.run(["git", "update-ref", "--stdin"], cwd=source, input=stream.encode(), check=True)


def push_once(source: Path, seeded: Path, work: Path, hooked: bool) -> float:
    server = work / ("hooked.git" if hooked else "plain.git")
    shutil.rmtree(server, ignore_errors=True)
    shutil.copytree(seeded, server, symlinks=True)
    if hooked:
        subprocess.run([sys.executable, "-m", "agenthook", "install", "--server", str(server)], check=True,
                       stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    proc = subprocess.run(["git", "push", "-q", str(server), "--tags"], cwd=source, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"push failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--tags", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--annotated", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        os.environ.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
                          GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules cached
        source = work / "source"
        generate(source, args.commits)
        seeded = work / "seeded.git"
        subprocess.run(["git", "init", "-q", "--bare", str(seeded)], check=True)
        subprocess.run(["git", "fetch", "-q", str(source), "main:refs/heads/main"], cwd=seeded, check=True)
        make_tags(source, args.tags, args.annotated)
        kind = "annotated" if args.annotated else "lightweight"
        print(f"{args.tags} new {kind} tags on a history of {args.commits} commits the server has; "
              f"{os.cpu_count()} CPUs")
        push_once(source, seeded, work, True)  # warm-up
        plain, hooked = [], []
        for _ in range(args.runs):
            plain.append(push_once(source, seeded, work, False))
            hooked.append(push_once(source, seeded, work, True))
        p, h = statistics.median(plain), statistics.median(hooked)
        paired = statistics.median(b / a for a, b in zip(plain, hooked))
        print(f"without hook {p:6.2f} s   with hook {h:6.2f} s   ratio {h / p:.2f}   per pair {paired:.2f}   "
              f"(runs: {', '.join(f'{r:.2f}' for r in plain)} / {', '.join(f'{r:.2f}' for r in hooked)})")
        print(f"goals: ratio <= 2.00 ({'met' if h / p <= 2 else 'NOT met'}), "
              f"with hook <= 5 s ({'met' if h <= 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
