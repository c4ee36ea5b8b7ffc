"""Who pushed, as the break-glass log names them: from what each kind of server
tells the hook, over real pushes where the server can run in the test."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import RISKY_LINE, HttpServer, Repo, Server, bare_with_hook, run_git, seed_server

from agenthook import serverpolicy

START = "# Project\n\n"


def test_pusher_is_taken_from_the_hosts_variables_in_order() -> None:
    env = {"USER": "git", "GITHUB_USER_LOGIN": "gh", "GITEA_PUSHER_NAME": "tea", "GL_USER": "gitolite-key",
           "GL_USERNAME": "gitlab", "REMOTE_USER": "web"}
    order = ["REMOTE_USER", "GL_USERNAME", "GL_USER", "GITEA_PUSHER_NAME", "GITHUB_USER_LOGIN", "USER"]
    for name in order:
        assert serverpolicy.pusher(env) == env[name]
        del env[name]
    assert serverpolicy.pusher(env) == "unknown"


def test_an_ssh_key_named_by_the_ssh_server_tells_keys_of_one_account_apart(tmp_path: Path) -> None:
    """OpenSSH's ExposeAuthInfo file: the key's fingerprint is the one ssh-keygen shows."""
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    public = key.with_suffix(".pub").read_text().split()
    shown = subprocess.run(["ssh-keygen", "-l", "-f", str(key.with_suffix(".pub"))], capture_output=True, text=True,
                           check=True).stdout.split()[1]
    auth = tmp_path / "auth"
    auth.write_text(f"publickey {public[0]} {public[1]}\n")
    assert serverpolicy.pusher({"USER": "git", "SSH_USER_AUTH": str(auth)}) == f"git (ssh key {shown})"
    assert serverpolicy.pusher({"USER": "git", "REMOTE_USER": "bob", "SSH_USER_AUTH": str(auth)}) == "bob"


@pytest.mark.parametrize("content", ["", "password\n", "publickey ssh-ed25519 not*base64\n"])
def test_an_ssh_auth_file_without_a_key_leaves_the_account(tmp_path: Path, content: str) -> None:
    auth = tmp_path / "auth"
    auth.write_text(content)
    assert serverpolicy.pusher({"USER": "git", "SSH_USER_AUTH": str(auth)}) == "git"
    assert serverpolicy.pusher({"USER": "git", "SSH_USER_AUTH": str(tmp_path / "missing")}) == "git"


@pytest.fixture
def http_server(repo: Repo, http_backend: HttpServer, tmp_path: Path) -> Server:
    """A hooked server behind git http-backend, whose web server authenticated `alice`,
    and a client one risky commit ahead of it."""
    path = bare_with_hook(http_backend.base / "server.git")
    server = Server(path, http_backend.url("server.git"))
    seed_server(repo, server, {"CLAUDE.md": START})
    repo.write("CLAUDE.md", START + RISKY_LINE)
    repo.commit("risky")
    return server


def test_a_risky_push_over_smart_http_is_refused(repo: Repo, http_server: Server) -> None:
    run = run_git(repo.path, "push", "origin", "main")
    assert run.code != 0
    assert "pre-receive hook declined" in run.err
    assert "CLAUDE.md:3" in run.err


def test_break_glass_over_smart_http_logs_the_user_the_web_server_authenticated(
        repo: Repo, http_server: Server, tmp_path: Path) -> None:
    log = tmp_path / "break-glass.log"
    policy = tmp_path / "policy.toml"
    policy.write_text("[server]\nbreak_glass = true\n")
    for key, value in (("receive.advertisePushOptions", "true"), ("agenthook.config", str(policy)),
                       ("agenthook.breakGlassLog", str(log))):
        http_server.git("config", key, value)
    run = run_git(repo.path, "push", "--push-option=agenthook.break-glass=INC-7 outage", "origin", "main",
                  env={"USER": "www-data"})
    assert run.code == 0, run.err
    assert "pusher='alice'" in log.read_text()
    assert "reason='INC-7 outage'" in log.read_text()
