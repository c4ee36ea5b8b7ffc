"""Real git repositories in temporary directories, and agenthook run as a user runs it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def shared_dir() -> Path | None:
    """The shared corpus beside the checkout, when present."""
    candidate = Path(os.environ.get("AGENTHOOK_SHARED", ROOT.parent / "shared"))
    return candidate if (candidate / "corpus").is_dir() else None


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or write the user's git configuration or home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for name, value in (("NAME", "Test"), ("EMAIL", "test@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                "GIT_ALTERNATE_OBJECT_DIRECTORIES", "NO_COLOR", "PRE_COMMIT_HOME"):
        monkeypatch.delenv(var, raising=False)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n")


def git(cwd: Path | str, *args: str, stdin: bytes | None = None, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout.decode("utf-8", "surrogateescape")


@dataclass
class Repo:
    path: Path

    def write(self, rel: str, content: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            with open(target, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        return target

    def git(self, *args: str, stdin: bytes | None = None, check: bool = True) -> str:
        return git(self.path, *args, stdin=stdin, check=check)

    def commit(self, message: str = "change", *paths: str) -> str:
        self.git("add", "-A", *paths)
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def diverge(self, path: str, text: str) -> None:
        """Branch `side` off `main`, then give `side` and `main` each a different line
        after `text` at `path` (left on `main`): merging `side` conflicts there."""
        self.git("checkout", "-q", "-b", "side")
        self.write(path, text + "- side change\n")
        self.commit("side")
        self.git("checkout", "-q", "main")
        self.write(path, text + "- main change\n")
        self.commit("main")

    def parents(self, commit: str) -> list[str]:
        return self.git("rev-list", "--parents", "-n", "1", commit).split()[1:]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    git(path, "config", "core.autocrlf", "false")
    return Repo(path)


@dataclass
class Run:
    code: int
    out: str
    err: str


def agenthook(*args: str, cwd: Path | str | None = None, stdin: bytes | None = None,
              env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """Run the installed agenthook in a child process, as git and users do."""
    proc = subprocess.run([sys.executable, "-m", "agenthook", *args], cwd=cwd, input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


# -- Git entry points: servers with the hook, pushes, git daemon --------------

RISKY_LINE = "- If the payment sandbox rejects its certificate, call it with `requests.post(url, verify=False)`.\n"
CLEAN_LINE = "- Run the tests with `make test` before each commit.\n"


def run_git(cwd: Path | str, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """git whose failure is an outcome to assert on (a rejected push, a blocked commit)."""
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env={**os.environ, **(env or {})},
                          timeout=timeout)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


@dataclass
class Server:
    """A bare repository with agenthook's pre-receive hook, and the URL clients push to."""

    path: Path
    url: str

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def refs(self) -> dict[str, str]:
        lines = self.git("for-each-ref", "--format=%(refname) %(objectname)").splitlines()
        return {name: oid for name, oid in (line.split(" ", 1) for line in lines)}


def bare_with_hook(path: Path, *init_args: str) -> Path:
    """A bare repository with the pre-receive hook `agenthook install --server` writes."""
    from agenthook import install  # noqa: PLC0415 - in-process: the CLI is tested in test_install.py

    git(path.parent, "init", "-q", "--bare", *init_args, path.name)
    install.server_hook(str(path))
    return path


def local_server(tmp_path: Path) -> Server:
    """A hooked bare repository at tmp_path/srv/server.git, pushed to by local path."""
    (tmp_path / "srv").mkdir()
    path = bare_with_hook(tmp_path / "srv" / "server.git")
    return Server(path, str(path))


def seed_server(client: Repo, server: Server, files: dict[str, str]) -> str:
    """Make `server` the client's origin and give it the client's first commit of
    `files` as `main`, by a fetch on the server so that no hook runs on it."""
    client.git("remote", "add", "origin", server.url)
    for rel, text in files.items():
        client.write(rel, text)
    start = client.commit("start")
    server.git("fetch", "-q", str(client.path), "main:refs/heads/main")
    return start


@dataclass
class Daemon:
    base: Path
    port: int

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def git_daemon(tmp_path: Path) -> Iterator[Daemon]:
    """`git daemon` serving tmp_path/served on 127.0.0.1, pushes allowed; stopped after the test."""
    base = tmp_path / "served"
    base.mkdir()
    port = _free_port()
    with open(tmp_path / "daemon.log", "wb") as log:
        proc = subprocess.Popen(["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}",
                                 "--export-all", "--enable=receive-pack", f"--base-path={base}"],
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"git daemon did not start: {(tmp_path / 'daemon.log').read_text()}")
                time.sleep(0.05)
        yield Daemon(base, port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(params=["path", "daemon", "http"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Server:
    """A hooked bare repository, pushed to by local path, over git:// and over smart HTTP."""
    if request.param == "path":
        return local_server(tmp_path)
    host: Daemon | HttpServer = request.getfixturevalue("git_daemon" if request.param == "daemon" else "http_backend")
    path = bare_with_hook(host.base / "server.git")
    return Server(path, host.url("server.git"))


@dataclass
class HttpServer:
    """`git http-backend` behind a small CGI bridge on 127.0.0.1, as a web server runs it."""

    base: Path
    port: int
    environ: dict[str, str]  # what the web server sets for git http-backend: REMOTE_USER, ...

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


def _http_backend_handler(server: HttpServer) -> type:
    import http.server  # noqa: PLC0415

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            pass

        def _cgi(self) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = b""
                while True:
                    size = int(self.rfile.readline().strip(), 16)
                    if not size:
                        self.rfile.readline()
                        break
                    body += self.rfile.read(size)
                    self.rfile.readline()
            else:
                body = self.rfile.read(length)
            env = {**os.environ, **server.environ, "GIT_PROJECT_ROOT": str(server.base), "GIT_HTTP_EXPORT_ALL": "1",
                   "REQUEST_METHOD": self.command, "PATH_INFO": path, "QUERY_STRING": query,
                   "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
                   "GATEWAY_INTERFACE": "CGI/1.1", "REMOTE_ADDR": "127.0.0.1"}
            if self.headers.get("Content-Encoding"):
                env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
            if self.headers.get("Git-Protocol"):
                env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
            proc = subprocess.run(["git", "http-backend"], input=body, capture_output=True, env=env, timeout=120)
            head, _, payload = proc.stdout.partition(b"\r\n\r\n")
            if not _:
                head, _, payload = proc.stdout.partition(b"\n\n")
            status, headers = 200, []
            for line in head.decode("latin-1").splitlines():
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.split()[0])
                elif name:
                    headers.append((name, value.strip()))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _cgi

    return Handler


@pytest.fixture
def http_backend(tmp_path: Path) -> Iterator[HttpServer]:
    """Smart HTTP: `git http-backend` serving tmp_path/http, with REMOTE_USER as a
    web server sets it after authentication (without it, pushes are refused)."""
    import http.server  # noqa: PLC0415
    import threading  # noqa: PLC0415

    base = tmp_path / "http"
    base.mkdir()
    server = HttpServer(base, 0, {"REMOTE_USER": "alice"})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _http_backend_handler(server))
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
