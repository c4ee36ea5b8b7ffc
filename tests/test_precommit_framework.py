"""agenthook's hooks run by the real pre-commit framework, installed from a commit of
this repository (language: python, pip-installed from PyPI into pre-commit's store,
once for the module)."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from agenthook.targets import DEFAULT
from conftest import CLEAN_LINE, RISKY_LINE, ROOT, Repo, Run, git, run_git

START = "# Project\n\n" + CLEAN_LINE
HOOK = "agenthook (coding-agent configuration)"
MANIFEST = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def _isolated_env(home: Path, store: Path) -> dict[str, str]:
    """The environment the autouse fixture gives each test, for module-scoped setup."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
               PRE_COMMIT_HOME=str(store), GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid")
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    return env


def _checked(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")


def _config(hook_repo: Path, rev: str) -> str:
    return (f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
            "      - id: agenthook\n      - id: agenthook-push\n")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    """This repository's working tree committed into a scratch repository, and a
    pre-commit store holding its installed hook environment."""
    base = tmp_path_factory.mktemp("framework")
    env = _isolated_env(base, base / "store")
    source = base / "agenthook-src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist"))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        _checked(["git", *args], source, env)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, env=env, capture_output=True,
                         check=True).stdout.decode().strip()
    warm = base / "warm"
    _checked(["git", "init", "-q", str(warm)], base, env)
    (warm / ".pre-commit-config.yaml").write_text(_config(source, rev))
    _checked([sys.executable, "-m", "pre_commit", "install-hooks"], warm, env)
    yield source, rev, base / "store"


@pytest.fixture
def consumer(repo: Repo, hook_repo: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A repository using agenthook through pre-commit, hooks installed, first commit clean."""
    source, rev, store = hook_repo
    monkeypatch.setenv("PRE_COMMIT_HOME", str(store))
    repo.write(".pre-commit-config.yaml", _config(source, rev))
    repo.write("CLAUDE.md", START)
    repo.write("README.md", "hello\n")
    run = pre_commit(repo, "install", "-t", "pre-commit", "-t", "pre-push")
    assert run.code == 0, run.out + run.err
    repo.git("add", "-A")
    repo.git("commit", "-q", "--no-verify", "-m", "start")
    return repo


def pre_commit(repo: Repo, *args: str) -> Run:
    proc = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo.path, capture_output=True,
                          timeout=300)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def commit(repo: Repo, *args: str) -> Run:
    return run_git(repo.path, "commit", "-m", "change", *args)


def state(repo: Repo) -> tuple[str, str, str]:
    """Working tree and index as they stand; the index gets its cache tree and, a
    second after the last write, its stat refresh, so `git commit` itself leaves it alone."""
    repo.git("write-tree")
    time.sleep(1.1)
    repo.git("update-index", "-q", "--refresh", check=False)
    index = hashlib.sha256((repo.path / ".git" / "index").read_bytes()).hexdigest()
    return repo.git("status", "--porcelain"), repo.git("diff", "--binary"), index


def test_manifest_files_filter_is_the_watched_path_table() -> None:
    """The `files` regex selects exactly the paths targets.py watches, in any case."""
    watched = re.compile(MANIFEST[0]["files"])
    assert MANIFEST[1]["files"] == MANIFEST[0]["files"]
    paths = ["src/main.py", "README.md", "docs/claude.md.bak", ".claude/notes.txt", "x.code-workspace/y",
             "nl\nin/CLAUDE.md", "tab\tdir/AGENTS.md"]
    for glob, _ in DEFAULT.patterns:
        for prefix in ("", "a/", "deep/er/"):
            sample = prefix + glob.removeprefix("**/").replace("**", "x/y").replace("*", "w")
            paths += [sample, sample.upper(), sample + "x", "x" + sample, sample + "/z"]
    mismatched = [p for p in paths if bool(watched.search(p)) != (DEFAULT.kind_of(p) is not None)]
    assert mismatched == []


def test_manifest_runs_once_per_change_on_watched_files_and_symlinks() -> None:
    for hook in MANIFEST:
        assert hook["pass_filenames"] is False and hook["require_serial"] is True
        assert hook["types"] == [] and hook["types_or"] == ["file", "symlink"]
        assert hook["minimum_pre_commit_version"] == "3.2.0"
    assert {h["id"]: h["stages"] for h in MANIFEST} == {"agenthook": ["pre-commit", "manual"],
                                                        "agenthook-push": ["pre-push"]}


def test_risky_commit_is_blocked_with_its_explanation_and_nothing_is_touched(consumer: Repo) -> None:
    consumer.write("CLAUDE.md", START + RISKY_LINE)
    consumer.git("add", "CLAUDE.md")
    consumer.write("notes.txt", "untracked\n")
    head, before = consumer.head(), state(consumer)
    run = commit(consumer)
    assert run.code == 1
    output = run.out + run.err
    assert re.search(rf"{re.escape(HOOK)}\.+Failed", output), output
    assert "CLAUDE.md:4: AH" in output and "why:" in output and "fix:" in output
    assert consumer.head() == head
    assert state(consumer) == before


def test_blocked_commit_with_unstaged_edits_gives_them_back(consumer: Repo) -> None:
    """pre-commit stashes unstaged edits around the hooks; its restore rewrites the
    files, so only the index entries' stat data may differ afterwards."""
    consumer.write("CLAUDE.md", START + RISKY_LINE)
    consumer.git("add", "CLAUDE.md")
    consumer.write("README.md", "an unstaged edit\n")
    before = state(consumer)[:2], consumer.git("ls-files", "--stage")
    run = commit(consumer)
    assert run.code == 1 and "CLAUDE.md:4: AH" in run.out + run.err
    assert (state(consumer)[:2], consumer.git("ls-files", "--stage")) == before


def test_clean_commit_passes(consumer: Repo) -> None:
    consumer.write("CLAUDE.md", START + CLEAN_LINE.replace("make test", "make lint"))
    consumer.git("add", "CLAUDE.md")
    run = commit(consumer)
    assert run.code == 0, run.out + run.err
    assert re.search(rf"{re.escape(HOOK)}\.+Passed", run.out + run.err)


def test_commit_without_agent_files_does_not_run_the_hook(consumer: Repo) -> None:
    consumer.write("src/app.py", "print('hi')\n")
    consumer.git("add", "src/app.py")
    run = commit(consumer)
    assert run.code == 0
    assert re.search(rf"{re.escape(HOOK)}\.+\(no files to check\)Skipped", run.out + run.err)


def test_symlink_swapped_onto_claude_md_reaches_the_hook(consumer: Repo) -> None:
    (consumer.path / "CLAUDE.md").unlink()
    (consumer.path / "CLAUDE.md").symlink_to("../../outside/instructions.md")
    consumer.git("add", "-A")
    run = commit(consumer)
    assert run.code == 1
    assert re.search(rf"{re.escape(HOOK)}\.+Failed", run.out + run.err)
    assert "CLAUDE.md:1: AH" in run.out + run.err and "outside the repository" in run.out + run.err


@pytest.mark.parametrize("args", [["run", "--all-files"], ["run", "--hook-stage", "manual", "agenthook", "--all-files"]])
def test_all_files_with_nothing_staged_judges_the_watched_files_whole(consumer: Repo, args: list[str]) -> None:
    consumer.write(".github/copilot-instructions.md", "# Copilot\n\n" + RISKY_LINE)
    consumer.git("add", "-A")
    consumer.git("commit", "-q", "--no-verify", "-m", "risky, past the hook")
    run = pre_commit(consumer, *args)
    assert run.code == 1
    assert ".github/copilot-instructions.md:3: AH" in run.out
    consumer.git("rm", "-q", ".github/copilot-instructions.md")
    consumer.git("commit", "-q", "--no-verify", "-m", "gone")
    assert pre_commit(consumer, *args).code == 0


def test_from_ref_to_ref_judges_each_commit_of_the_range(consumer: Repo) -> None:
    base = consumer.head()
    consumer.write("CLAUDE.md", START + RISKY_LINE)
    consumer.git("commit", "-q", "--no-verify", "-am", "risky")
    risky = consumer.head()
    consumer.write("CLAUDE.md", START + CLEAN_LINE.replace("make test", "make lint"))
    consumer.git("commit", "-q", "--no-verify", "-am", "gone again; the range's net diff is clean")
    run = pre_commit(consumer, "run", "agenthook", "--from-ref", base, "--to-ref", "HEAD")
    assert run.code == 1
    assert f"{risky[:12]} CLAUDE.md:4: AH" in run.out


def test_pre_push_through_the_framework(consumer: Repo, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    consumer.git("remote", "add", "origin", str(tmp_path / "remote.git"))
    first = run_git(consumer.path, "push", "origin", "main")  # a first push: no FROM/TO, the branch is judged
    assert first.code == 0, first.out + first.err
    consumer.write("CLAUDE.md", START + RISKY_LINE)
    consumer.git("commit", "-q", "--no-verify", "-am", "risky, past the commit hook")
    risky = consumer.head()
    blocked = run_git(consumer.path, "push", "origin", "main")
    assert blocked.code == 1
    assert f"{risky[:12]} CLAUDE.md:4: AH" in blocked.out + blocked.err
    consumer.git("reset", "-q", "--hard", "HEAD~1")
    consumer.git("checkout", "-q", "-b", "feat")
    consumer.write("CLAUDE.md", START + CLEAN_LINE.replace("make test", "make lint"))
    consumer.git("commit", "-q", "--no-verify", "-am", "clean on a new branch")
    clean = run_git(consumer.path, "push", "origin", "feat")
    assert clean.code == 0, clean.out + clean.err


def test_first_push_of_a_risky_branch_is_blocked_through_the_framework(consumer: Repo, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    consumer.git("remote", "add", "origin", str(tmp_path / "remote.git"))
    consumer.write("CLAUDE.md", START + RISKY_LINE)
    consumer.git("commit", "-q", "--no-verify", "-am", "risky")
    run = run_git(consumer.path, "push", "origin", "main")
    assert run.code == 1
    assert f"{consumer.head()[:12]} CLAUDE.md:4: AH" in run.out + run.err
