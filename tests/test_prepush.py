"""The plain pre-push hook (written by `agenthook install`) in real pushes to a bare
repository: every ref of the push, each judged by what the remote does not have."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import CLEAN_LINE, RISKY_LINE, ROOT, Repo, Run, agenthook, git, run_git

START = "# Project\n\n" + CLEAN_LINE


@pytest.fixture
def client(repo: Repo, tmp_path: Path) -> Repo:
    """A clone with agenthook's hooks whose clean `main` the remote has."""
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    repo.git("remote", "add", "origin", str(tmp_path / "remote.git"))
    repo.write("CLAUDE.md", START)
    repo.commit("start")
    assert agenthook("install", cwd=repo.path).code == 0
    assert push(repo, "main").code == 0
    return repo


def push(repo: Repo, *args: str) -> Run:
    return run_git(repo.path, "push", "origin", *args)


def remote_refs(repo: Repo) -> str:
    return repo.git("ls-remote", "origin")


def risky_commit(repo: Repo, path: str = "CLAUDE.md") -> str:
    """Past the pre-commit hook (--no-verify), as a developer can always do."""
    repo.write(path, START + RISKY_LINE)
    repo.git("add", path)
    repo.git("commit", "-q", "--no-verify", "-m", f"risky {path}")
    return repo.head()


def test_every_ref_of_a_push_is_judged_not_only_the_first(client: Repo) -> None:
    client.write("README.md", "clean\n")
    client.commit("clean on main")
    client.git("checkout", "-q", "-b", "feat")
    commit = risky_commit(client)
    before = remote_refs(client)
    run = push(client, "main", "feat")
    assert run.code == 1
    assert f"{commit[:12]} CLAUDE.md:4:" in run.err and "BLOCKS" in run.err
    assert remote_refs(client) == before


def test_new_branch_is_judged_by_the_commits_the_remote_does_not_have(client: Repo) -> None:
    risky_commit(client)
    assert push(client, "--no-verify", "main").code == 0  # already on the remote, however it got there
    client.git("checkout", "-q", "-b", "topic")
    client.write("README.md", "clean\n")
    client.commit("clean on top")
    run = push(client, "topic")
    assert run.code == 0, run.err
    assert "BLOCKS" not in run.err


def test_deleting_a_remote_branch_is_not_judged(client: Repo) -> None:
    client.git("checkout", "-q", "-b", "old")
    risky_commit(client)
    assert push(client, "--no-verify", "old").code == 0
    run = push(client, ":old")
    assert run.code == 0, run.err
    assert "refs/heads/old" not in remote_refs(client)


def test_annotated_tag_on_a_new_risky_commit_is_blocked(client: Repo) -> None:
    commit = risky_commit(client, ".claude/CLAUDE.md")
    client.git("tag", "-a", "-m", "release", "v1")
    run = push(client, "v1")
    assert run.code == 1
    assert f"{commit[:12]} .claude/CLAUDE.md:4:" in run.err


def test_push_after_the_remote_moved_on_is_judged_by_local_commits(client: Repo, tmp_path: Path) -> None:
    other = Repo(tmp_path / "other")
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), "other")
    other.write("README.md", "elsewhere\n")
    other.commit("the remote moves on")
    assert run_git(other.path, "push", "-q", "origin", "main").code == 0
    commit = risky_commit(client)  # the remote's new tip is unknown here
    run = push(client, "--force", "main")
    assert run.code == 1
    assert f"{commit[:12]} CLAUDE.md:4:" in run.err


@pytest.mark.parametrize("stdin", [b"refs/heads/main 123 refs/heads/main 456\n", b"one two\n"])
def test_malformed_standard_input_is_refused_with_a_message(repo: Repo, stdin: bytes) -> None:
    repo.commit("start")
    run = agenthook("pre-push", "origin", "url", cwd=repo.path, stdin=stdin)
    assert run.code == 2
    assert "line 1 of standard input" in run.err and "Traceback" not in run.err


def test_ready_to_copy_pre_push_script_runs_agenthook(repo: Repo, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    repo.git("remote", "add", "origin", str(tmp_path / "remote.git"))
    hook = repo.path / ".git" / "hooks" / "pre-push"
    shutil.copy(ROOT / "hooks" / "pre-push", hook)
    repo.write("CLAUDE.md", START + RISKY_LINE)
    commit = repo.commit("risky")
    agent = str(Path(sys.executable).parent / "agenthook")
    run = run_git(repo.path, "push", "origin", "main", env={"AGENTHOOK": agent})
    assert run.code == 1
    assert f"{commit[:12]} CLAUDE.md:4:" in run.err
    assert "refs/heads/main" not in remote_refs(repo)
