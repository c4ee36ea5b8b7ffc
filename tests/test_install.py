"""`agenthook install`: the hooks it writes, where, what it refuses, and the plain
pre-commit hook at work in real commits (no pre-commit framework)."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from agenthook import hookcli, policy
from conftest import CLEAN_LINE, RISKY_LINE, Repo, agenthook, git, run_git

START = "# Project\n\n" + CLEAN_LINE


@pytest.fixture
def hooked(repo: Repo) -> Repo:
    """A repository with a first clean commit and agenthook's client hooks."""
    repo.write("CLAUDE.md", START)
    repo.write("README.md", "hello\n")
    repo.commit("start")
    installed = agenthook("install", cwd=repo.path)
    assert installed.code == 0, installed.err
    return repo


def snapshot(repo: Repo) -> tuple[str, str, str, str]:
    """What a blocked commit must leave exactly as it was. The index gets its cache
    tree and, a second after the last write, its stat refresh, so that what `git
    commit` itself writes into it before the hook runs changes nothing."""
    repo.git("write-tree")
    time.sleep(1.1)
    repo.git("update-index", "-q", "--refresh", check=False)
    index = hashlib.sha256((repo.path / ".git" / "index").read_bytes()).hexdigest()
    return repo.git("status", "--porcelain"), repo.git("diff"), repo.git("diff", "--cached"), index


def commit(repo: Repo, *args: str) -> tuple[int, str]:
    run = run_git(repo.path, "commit", "-q", "-m", "change", *args)
    return run.code, run.err


def test_install_writes_executable_pre_commit_and_pre_push_hooks(repo: Repo) -> None:
    run = agenthook("install", cwd=repo.path)
    assert run.code == 0, run.err
    for name in ("pre-commit", "pre-push"):
        hook = repo.path / ".git" / "hooks" / name
        assert f"installed {hook}" in run.out
        assert os.access(hook, os.X_OK)
        assert "# agenthook-managed hook" in hook.read_text()
    assert agenthook("install", cwd=repo.path).code == 0  # its own hooks are simply rewritten


@pytest.mark.parametrize("hooks_path", ["custom-hooks", "ABSOLUTE"])
def test_install_follows_core_hooks_path(repo: Repo, tmp_path: Path, hooks_path: str) -> None:
    target = tmp_path / "shared-hooks" if hooks_path == "ABSOLUTE" else repo.path / hooks_path
    repo.git("config", "core.hooksPath", str(target) if hooks_path == "ABSOLUTE" else hooks_path)
    assert agenthook("install", cwd=repo.path).code == 0
    assert (target / "pre-commit").is_file() and (target / "pre-push").is_file()
    assert not (repo.path / ".git" / "hooks" / "pre-commit").exists()


def test_a_foreign_hook_is_kept_unless_forced(repo: Repo) -> None:
    foreign = repo.path / ".git" / "hooks" / "pre-push"
    foreign.write_text("#!/bin/sh\necho team hook\n")
    run = agenthook("install", cwd=repo.path)
    assert run.code == 2
    assert "was not written by agenthook" in run.err and "--force" in run.err
    assert foreign.read_text() == "#!/bin/sh\necho team hook\n"
    assert not (repo.path / ".git" / "hooks" / "pre-commit").exists()  # nothing half-installed
    assert agenthook("install", "--force", cwd=repo.path).code == 0
    assert "# agenthook-managed hook" in foreign.read_text()
    assert Path(f"{foreign}.agenthook-backup").read_text() == "#!/bin/sh\necho team hook\n"


def test_install_outside_a_repository_says_so(tmp_path: Path) -> None:
    run = agenthook("install", cwd=tmp_path)
    assert run.code == 2
    assert "hooks directory" in run.err and "Traceback" not in run.err


def test_server_install_writes_pre_receive_with_its_policy(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "s.git")
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text('threshold = "high"\n')
    run = agenthook("install", "--server", str(tmp_path / "s.git"), "--config", str(policy_file))
    assert run.code == 0, run.err
    hook = (tmp_path / "s.git" / "hooks" / "pre-receive").read_text()
    assert f"pre-receive --config {policy_file}" in hook
    assert os.access(tmp_path / "s.git" / "hooks" / "pre-receive", os.X_OK)


def test_server_install_joins_a_pre_receive_d_chain(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "s.git")
    chain = tmp_path / "s.git" / "hooks" / "pre-receive.d"
    chain.mkdir()
    (chain / "gitea").write_text("#!/bin/sh\n")
    assert agenthook("install", "--server", str(tmp_path / "s.git")).code == 0
    assert "# agenthook-managed hook" in (chain / "agenthook").read_text()
    assert (chain / "gitea").read_text() == "#!/bin/sh\n"
    assert not (tmp_path / "s.git" / "hooks" / "pre-receive").exists()


@pytest.mark.parametrize("args", [["--server", "nowhere.git"], ["--server", "plain-dir"],
                                  ["--server", "s.git", "--config", "missing.toml"], ["--config", "policy.toml"]])
def test_server_install_refuses_what_it_cannot_use(tmp_path: Path, args: list[str]) -> None:
    git(tmp_path, "init", "-q", "--bare", "s.git")
    (tmp_path / "plain-dir").mkdir()
    (tmp_path / "policy.toml").write_text("")
    run = agenthook("install", *args, cwd=tmp_path)
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "s.git" / "hooks" / "pre-receive").exists()


# -- the installed pre-commit hook in real commits ---------------------------

def test_risky_commit_is_blocked_and_index_and_tree_are_untouched(hooked: Repo) -> None:
    hooked.write("CLAUDE.md", START + RISKY_LINE)
    hooked.git("add", "CLAUDE.md")
    hooked.write("README.md", "unstaged edit\n")
    head, before = hooked.head(), snapshot(hooked)
    code, err = commit(hooked)
    index = hashlib.sha256((hooked.path / ".git" / "index").read_bytes()).hexdigest()
    assert code == 1
    assert "CLAUDE.md:4:" in err and "BLOCKS" in err and "why:" in err and "fix:" in err
    assert hooked.head() == head
    assert index == before[3]
    assert snapshot(hooked) == before


def test_clean_commit_and_commit_without_agent_files_pass(hooked: Repo) -> None:
    hooked.write("CLAUDE.md", START + CLEAN_LINE.replace("make test", "make lint"))
    hooked.git("add", "CLAUDE.md")
    assert commit(hooked) == (0, "agenthook: passed: nothing risky in 1 agent file.\n")
    hooked.write("src/app.py", "print('hi')\n")
    hooked.git("add", "src/app.py")
    assert commit(hooked) == (0, "")  # no agent file staged: the hook ends after one git call, silently


def test_commit_of_named_paths_is_judged_on_that_commit_only(hooked: Repo) -> None:
    """`git commit -- path` builds its own index (GIT_INDEX_FILE): the hook sees that one."""
    hooked.write("CLAUDE.md", START + RISKY_LINE)
    hooked.git("add", "CLAUDE.md")
    hooked.write("README.md", "named\n")
    assert commit(hooked, "--", "README.md")[0] == 0
    hooked.git("reset", "-q", "CLAUDE.md")
    hooked.write("AGENTS.md", "# Agents\n")
    hooked.git("add", "AGENTS.md")
    code, err = commit(hooked, "--", "CLAUDE.md")  # staged: only AGENTS.md; committed: the risky CLAUDE.md
    assert code == 1 and "CLAUDE.md:4:" in err


def test_commit_all_is_judged_on_the_tracked_changes_it_adds(hooked: Repo) -> None:
    hooked.write("CLAUDE.md", START + RISKY_LINE)
    code, err = commit(hooked, "-a")
    assert code == 1 and "CLAUDE.md:4:" in err


def test_first_commit_of_a_new_repository_is_judged(repo: Repo) -> None:
    assert agenthook("install", cwd=repo.path).code == 0
    repo.write("CLAUDE.md", START + RISKY_LINE)
    repo.git("add", "CLAUDE.md")
    code, err = commit(repo)
    assert code == 1 and "CLAUDE.md:4:" in err


def test_paths_the_committed_policy_watches_are_judged_too(hooked: Repo) -> None:
    hooked.write(".agenthook.toml", 'paths = ["docs/ai/*.md"]\n')
    hooked.git("add", ".agenthook.toml")
    assert commit(hooked, "--no-verify")[0] == 0
    hooked.write("docs/ai/guide.md", "# Guide\n\n" + RISKY_LINE)
    hooked.git("add", "docs/ai/guide.md")
    code, err = commit(hooked)
    assert code == 1 and "docs/ai/guide.md:3:" in err


def test_the_fast_path_knows_the_policy_file_names() -> None:
    assert hookcli.POLICY_FILES == (policy.POLICY_FILE, policy.PYPROJECT)
