"""The host notes of hooks/README.md, followed as written where a host's
behaviour can be reproduced here: Gitea's dispatcher running every hook of
`hooks/pre-receive.d/`, and the `custom_hooks` tarball GitLab's Gitaly unpacks
and runs with its own short PATH. Real pushes into real bare repositories."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from conftest import CLEAN_LINE, RISKY_LINE, ROOT, Repo, Server, agenthook, git, run_git, seed_server

README = ROOT / "hooks" / "README.md"
START = "# Project\n\n" + CLEAN_LINE
AGENTHOOK = str(Path(sys.executable).parent / "agenthook")
# What a server's hook environment has on PATH: no virtual environment.
SHORT_PATH = "/usr/local/bin:/usr/bin:/bin"
# A dispatcher as Gitea writes one (hooks/pre-receive) and as Gitaly runs custom hooks:
# every executable file of the `.d` directory, each with the same refs; any refusal refuses the push.
DISPATCHER = """#!/bin/sh
refs=$(mktemp) || exit 1
trap 'rm -f "$refs"' EXIT
cat >"$refs"
for hook in "{directory}"/*; do
    [ -f "$hook" ] && [ -x "$hook" ] || continue
    env PATH={path} "$hook" <"$refs" || exit 1
done
"""


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else len(text)]


def _blocks(section: str) -> list[str]:
    return [re.sub(r"^ {2}", "", b, flags=re.MULTILINE) for b in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


def _server(tmp_path: Path, directory: str) -> Path:
    git(tmp_path, "init", "-q", "--bare", "s.git")
    bare = tmp_path / "s.git"
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(DISPATCHER.format(directory=bare / directory, path=SHORT_PATH))
    hook.chmod(0o755)
    (bare / directory).mkdir(parents=True, exist_ok=True)
    return bare


def _pushes(repo: Repo, bare: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    """A risky push (refused) and a clean one (accepted); what the pusher read of each."""
    seed_server(repo, Server(bare, str(bare)), {"CLAUDE.md": START})
    repo.write("CLAUDE.md", START + RISKY_LINE)
    repo.commit("risky")
    risky = run_git(repo.path, "push", "origin", "main", env=env)
    assert risky.code != 0, risky.err
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.write("README.md", "hello\n")
    repo.commit("clean")
    clean = run_git(repo.path, "push", "origin", "main", env=env)
    assert clean.code == 0, clean.err
    return risky.err, clean.err


def test_gitea_dispatcher_runs_the_hook_install_writes_beside_its_own(tmp_path: Path, repo: Repo) -> None:
    bare = _server(tmp_path, "hooks/pre-receive.d")
    gitea = bare / "hooks" / "pre-receive.d" / "gitea"
    gitea.write_text("#!/bin/sh\ncat >/dev/null\nexit 0\n")
    gitea.chmod(0o755)
    dispatcher = (bare / "hooks" / "pre-receive").read_text()
    assert agenthook("install", "--server", str(bare)).code == 0
    assert (bare / "hooks" / "pre-receive.d" / "agenthook").exists()
    assert (bare / "hooks" / "pre-receive").read_text() == dispatcher  # Gitea's own entry untouched
    risky, _ = _pushes(repo, bare)
    assert "CLAUDE.md:4" in risky


def test_gitea_template_hook_as_the_notes_write_it(tmp_path: Path, repo: Repo) -> None:
    """The hook Gitea's web interface edits and templates copy, `pre-receive.d/pre-receive`."""
    (block,) = _blocks(_section("Gitea and Forgejo"))
    policy = tmp_path / "policy.toml"
    policy.write_text('threshold = "high"\n')
    bare = _server(tmp_path, "hooks/pre-receive.d")
    hook = bare / "hooks" / "pre-receive.d" / "pre-receive"
    hook.write_text(block.replace("/opt/agenthook/bin/agenthook", AGENTHOOK)
                    .replace("/etc/agenthook/policy.toml", str(policy)))
    hook.chmod(0o755)
    risky, _ = _pushes(repo, bare)
    assert "CLAUDE.md:4" in risky


def test_gitlab_custom_hooks_tarball_as_the_notes_build_it(tmp_path: Path, repo: Repo) -> None:
    """The notes' commands build the tarball; unpacked into the repository as Gitaly
    does and run with a PATH that lacks agenthook, the hook refuses a risky push
    with a GL-HOOK-ERR line naming file, line and rule, and accepts a clean one."""
    build = tmp_path / "build"
    (build / "hooks").mkdir(parents=True)
    (build / "hooks" / "pre-receive").write_text((ROOT / "hooks" / "pre-receive").read_text())
    commands = [line for line in _blocks(_section("GitLab (self-managed)"))[0].splitlines()
                if line and not line.startswith("gitaly ")]
    script = "\n".join(commands).replace("/opt/agenthook/bin/agenthook", AGENTHOOK)
    subprocess.run(["sh", "-e", "-c", script], cwd=build, check=True)
    with tarfile.open(build / "hooks.tar") as tar:
        member = tar.getmember("custom_hooks/pre-receive.d/agenthook")
        assert member.isfile() and member.mode & 0o111
        bare = _server(tmp_path, "custom_hooks/pre-receive.d")
        tar.extractall(bare)  # noqa: S202 - our own tarball
    env = {"GL_ID": "user-1", "GL_USERNAME": "alice", "GL_PROTOCOL": "ssh"}
    risky, _ = _pushes(repo, bare, env)
    assert re.search(r"^remote: GL-HOOK-ERR: agenthook refused the push: CLAUDE\.md:4 AH\d+ ", risky, re.MULTILINE)


def test_the_copied_hook_without_agenthook_on_path_refuses_in_one_line(tmp_path: Path, repo: Repo) -> None:
    bare = _server(tmp_path, "custom_hooks/pre-receive.d")
    hook = bare / "custom_hooks" / "pre-receive.d" / "agenthook"
    hook.write_text((ROOT / "hooks" / "pre-receive").read_text())
    hook.chmod(0o755)
    seed_server(repo, Server(bare, str(bare)), {"CLAUDE.md": START})
    repo.write("README.md", "hello\n")
    repo.commit("clean")
    run = run_git(repo.path, "push", "origin", "main", env={"AGENTHOOK": ""})
    assert run.code != 0
    lines = [line for line in run.err.splitlines() if "agenthook" in line and line.startswith("remote:")]
    assert len(lines) == 1 and "is not on this server's PATH" in lines[0], run.err
