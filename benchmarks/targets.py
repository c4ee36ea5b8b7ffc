"""How long `targets.DEFAULT.kind_of` takes per path, for the paths a large
push lists: ordinary source files, most of them not agent configuration.

A server hook classifies every path of a push before it reads anything, so
this cost grows with the size of the push, not of its agent-config part.
Prints microseconds per path for unwatched paths, for watched paths, and for
a realistic mix (one watched path in a thousand).

    python benchmarks/targets.py [--paths 100000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import random
import time

from agenthook.targets import DEFAULT

_DIRS = ("src", "lib", "app", "pkg", "internal", "tests", "docs", "web/components", "services/api", "tools/scripts",
         "vendor/github.com/org/mod", "packages/ui/src", "cmd/server", "config", ".github/workflows")
_NAMES = ("main", "index", "utils", "handler", "model", "test_api", "README", "settings", "config", "routes",
          "Makefile", "Dockerfile", "schema", "client", "server", "types", "helpers", "package")
_EXTS = (".py", ".ts", ".tsx", ".go", ".rs", ".java", ".md", ".json", ".yml", ".toml", ".txt", ".js", ".css", "")
_WATCHED = ("CLAUDE.md", ".claude/settings.json", ".mcp.json", "docs/AGENTS.md", ".cursor/rules/style.mdc",
            ".vscode/settings.json", ".github/copilot-instructions.md", ".claude/hooks/format.sh")


def source_paths(count: int, seed: int = 7) -> list[str]:
    """Typical paths of a repository's files (deterministic)."""
    rng = random.Random(seed)
    return [f"{rng.choice(_DIRS)}/{rng.choice(_DIRS).rsplit('/', 1)[-1]}/{rng.choice(_NAMES)}{rng.randrange(500)}"
            f"{rng.choice(_EXTS)}" for _ in range(count)]


def per_path_us(paths: list[str], repeat: int) -> float:
    """Best of `repeat` passes, in microseconds per path."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for path in paths:
            DEFAULT.kind_of(path)
        best = min(best, time.perf_counter() - start)
    return best / len(paths) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plain = source_paths(args.paths)
    watched = [w if i % 2 else f"sub/dir/{w}" for i, w in enumerate(_WATCHED * (args.paths // 100 // len(_WATCHED)))]
    mixed = [watched[i // 1000 % len(watched)] if i % 1000 == 0 else p for i, p in enumerate(plain)]
    print(f"unwatched: {per_path_us(plain, args.repeat):.2f} us/path ({len(plain)} paths)")
    print(f"watched:   {per_path_us(watched, args.repeat):.2f} us/path ({len(watched)} paths)")
    print(f"mixed:     {per_path_us(mixed, args.repeat):.2f} us/path (1 in 1000 watched)")


if __name__ == "__main__":
    main()
