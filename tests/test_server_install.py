"""`agenthook install --server` as an administrator runs it: an existing hook kept
running, a shared hooks directory left alone, the account git runs hooks as
checked before anything is written, and the installed hook's own failures told
apart. Real bare repositories, real pushes."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import RISKY_LINE, Repo, Server, agenthook, git, run_git, seed_server

from agenthook import install

START = "# Project\n\n"
NOBODY = 65534
# A pre-receive hook of the administrator's own: refuses pushes to `frozen`, records what it read.
OWN_HOOK = """#!/bin/sh
tee "$(dirname "$0")/../own-hook-saw" | grep -q ' refs/heads/frozen$' && { echo "own hook: frozen" >&2; exit 1; }
exit 0
"""


def _bare(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "--bare", "s.git")
    return tmp_path / "s.git"




def test_an_existing_pre_receive_hook_keeps_running_and_both_must_pass(tmp_path: Path, repo: Repo) -> None:
    bare = _bare(tmp_path)
    own = bare / "hooks" / "pre-receive"
    own.write_text(OWN_HOOK)
    own.chmod(0o755)
    run = agenthook("install", "--server", str(bare))
    assert run.code == 0, run.err
    assert f"runs first, from {bare / 'hooks' / install.CHAINED}" in run.out
    assert (bare / "hooks" / install.CHAINED).read_text() == OWN_HOOK
    client = repo
    start = seed_server(client, Server(bare, str(bare)), {"CLAUDE.md": START})
    client.write("README.md", "hello\n")
    clean = client.commit("clean")
    assert run_git(client.path, "push", "origin", "main").code == 0
    assert (bare / "own-hook-saw").read_text() == f"{start} {clean} refs/heads/main\n"  # the refs, whole
    frozen = run_git(client.path, "push", "origin", "main:frozen")
    assert frozen.code != 0 and "own hook: frozen" in frozen.err  # the old hook still decides
    client.write("CLAUDE.md", START + RISKY_LINE)
    client.commit("risky")
    risky = run_git(client.path, "push", "origin", "main")
    assert risky.code != 0 and "CLAUDE.md:3" in risky.err  # and so does agenthook
    assert agenthook("install", "--server", str(bare)).code == 0  # again: still chained, not lost
    assert (bare / "hooks" / install.CHAINED).read_text() == OWN_HOOK
    assert install.CHAINED in (bare / "hooks" / "pre-receive").read_text()


def test_a_hook_git_never_ran_is_not_chained(tmp_path: Path) -> None:
    bare = _bare(tmp_path)
    (bare / "hooks" / "pre-receive").write_text("#!/bin/sh\nexit 1\n")  # not executable: inert
    assert agenthook("install", "--server", str(bare)).code == 0
    assert not (bare / "hooks" / install.CHAINED).exists()
    assert (bare / "hooks" / f"pre-receive{install.BACKUP_SUFFIX}").read_text() == "#!/bin/sh\nexit 1\n"


def test_a_hooks_path_shared_by_the_global_configuration_is_left_alone_unless_asked(tmp_path: Path) -> None:
    bare = _bare(tmp_path)
    shared = tmp_path / "all-hooks"
    shared.mkdir()
    git(tmp_path, "config", "--global", "core.hooksPath", str(shared))
    run = agenthook("install", "--server", str(bare))
    assert run.code == 2
    assert "core.hooksPath is set to" in run.err and "global" in run.err and "--shared-hooks" in run.err
    assert not list(shared.iterdir()) and not (bare / "hooks" / "pre-receive").exists()
    assert agenthook("install", "--server", str(bare), "--shared-hooks").code == 0
    assert (shared / "pre-receive").exists()


def test_a_hooks_path_the_repository_sets_itself_is_used(tmp_path: Path) -> None:
    bare = _bare(tmp_path)
    git(bare, "config", "core.hooksPath", "custom-hooks")
    assert agenthook("install", "--server", str(bare)).code == 0
    assert (bare / "custom-hooks" / "pre-receive").exists()


def _hook_output(hook: Path, **switch: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(hook)], cwd=hook.parent.parent, input=b"", capture_output=True, timeout=60,
                          **switch)  # type: ignore[call-overload]


def test_an_interpreter_that_is_gone_and_one_without_agenthook_are_told_apart(tmp_path: Path) -> None:
    """Each refuses with one clear line, never a traceback."""
    bare = _bare(tmp_path)
    hook = bare / "hooks" / "pre-receive"
    venv = tmp_path / "empty-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    hook.write_text(install.server_script("pre-receive", chained=False).replace(
        f"python={sys.executable}", f"python={venv / 'bin' / 'python'}"))
    hook.chmod(0o755)
    bare_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    missing = _hook_output(hook, env=bare_env)
    assert missing.returncode == 3
    assert missing.stderr.decode().count("\n") == 1 and "cannot import agenthook" in missing.stderr.decode()
    shutil.rmtree(venv)
    gone = _hook_output(hook)
    assert gone.returncode == 3 and "is gone" in gone.stderr.decode() and "Traceback" not in gone.stderr.decode()


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A directory every account may enter (pytest's own are closed to others)."""
    path = Path(tempfile.mkdtemp(prefix="agenthook-owner-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _nobody_can_run(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import agenthook.hookcli"], user=NOBODY, group=NOBODY,
                              extra_groups=[], capture_output=True, timeout=60).returncode == 0
    except PermissionError:
        return False


root_only = pytest.mark.skipif(os.geteuid() != 0, reason="switching to the repository's owner needs root")


@root_only
def test_git_refusing_a_repository_of_another_owner_is_reported_as_such(open_dir: Path) -> None:
    bare = _bare(open_dir)
    for path in [bare, *bare.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    run = agenthook("install", "--server", str(bare))
    assert run.code == 2
    assert "safe.directory" in run.err and "belongs to nobody" in run.err and "sudo -u nobody" in run.err
    assert "not a git repository" not in run.err


@root_only
def test_an_interpreter_the_owner_cannot_run_is_found_before_anything_is_written(open_dir: Path) -> None:
    if _nobody_can_run(sys.executable):
        pytest.skip("here the account `nobody` can run this interpreter")
    bare = _bare(open_dir)
    for path in [bare, *bare.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    git(open_dir, "config", "--global", "--add", "safe.directory", str(bare))
    run = agenthook("install", "--server", str(bare))
    assert run.code == 2, run.err
    assert f"the hook would run as nobody, who may not run {sys.executable}" in run.err
    assert not (bare / "hooks" / "pre-receive").exists()
    # The hook written anyway (by hand, as before) says the same to the pusher, not "gone".
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(install.server_script("pre-receive", chained=False))
    hook.chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    refused = _hook_output(hook, user=NOBODY, group=NOBODY, extra_groups=[])
    assert refused.returncode == 3
    assert f"nobody may not run {sys.executable}" in refused.stderr.decode()
