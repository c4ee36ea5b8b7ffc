"""What a command in agent configuration makes the machine run, and from where.

Hooks, helper commands (`apiKeyHelper`, `statusLine`) and MCP server launches
run without a prompt, on every developer's machine and in CI. Whether one is
dangerous depends on where the code it runs comes from, so a command is
judged by that: code downloaded and run in the same breath, code from a URL
or a git repository at no fixed revision, a registry package at whatever
version the registry serves today, a connection to another host, or a
program that is already on the machine or in the repository.
"""
from __future__ import annotations

import enum
import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from agenthook import context, grants, lazyre
from agenthook.structured import hosts


class Source(enum.IntEnum):
    """Where the code comes from, ordered from harmless to worst."""

    LOCAL = 0  # a program on the machine or a script in the repository
    PINNED = 1  # a registry package at an exact version
    FLOATING = 2  # no fixed version, but from a well-known publisher or a local install first
    INLINE = 3  # program code written inline for an interpreter (`python -c`)
    NETWORK = 4  # talks to a host that is not on this machine or network
    ROOT = 5  # a container with root on the host (`--privileged`, `/` or the Docker socket mounted)
    UNPINNED = 6  # a registry package at whatever version the registry serves today
    REMOTE = 7  # code from a URL or a git repository at no fixed revision
    FETCHED = 8  # downloaded (or decoded) and run at once: nothing reviewed ever sees it


class Launch(NamedTuple):
    source: Source
    what: str  # completes "The command …": what it runs and from where
    token: str = ""  # the word that decided it (a package spec, a URL), to find its line
    package: str = ""  # the registry package, when there is one
    local_first: bool = False  # the runner uses an installed copy when there is one (`npx pkg`)


LOCAL = Launch(Source.LOCAL, "runs a program already on the machine")
_MAX_TEXT = 65536
_MAX_DEPTH = 4

# ---------------------------------------------------------------------------
# Publishers whose packages are trusted more than a stranger's: vendors that
# publish the MCP servers and tools their own documentation tells people to
# run. An unpinned package from them still floats, but a takeover of a vendor
# namespace is a far rarer event than a malicious package name.

_KNOWN_NPM_SCOPES = frozenset({
    "@modelcontextprotocol", "@anthropic-ai", "@playwright", "@microsoft", "@azure", "@github", "@google",
    "@googleapis", "@upstash", "@supabase", "@cloudflare", "@vercel", "@sentry", "@stripe", "@notionhq",
    "@eslint", "@neondatabase", "@prisma", "@mongodb-js", "@heroku", "@netlify", "@shopify", "@browserbasehq",
    "@elastic", "@atlassian", "@figma", "@hubspot", "@datadog", "@grafana", "@aws", "@awslabs", "@redis",
    "@pinecone-database", "@apify", "@angular", "@nestjs", "@nx", "@storybook", "@biomejs", "@astrojs",
    "@tailwindcss", "@vitest", "@swc", "@babel", "@typescript-eslint", "@linear", "@gitlab",
})
_KNOWN_NPM_NAMES = frozenset({
    "chrome-devtools-mcp", "mcp-remote", "firebase-tools", "prettier", "eslint", "typescript", "tsx",
    "vitest", "jest", "biome", "vercel", "netlify-cli", "wrangler", "turbo", "nx",
})
# PyPI has no namespaces, so its entries are exact names: the reference servers
# of modelcontextprotocol, servers vendors publish for their own products, and
# the tools hooks commonly run.
_KNOWN_PYPI = frozenset({
    "mcp-server-fetch", "mcp-server-git", "mcp-server-time", "mcp-server-sqlite",
    "elevenlabs-mcp", "mcp-server-qdrant", "chroma-mcp", "mcp-clickhouse", "markitdown-mcp", "mcp-neo4j-cypher",
    "ruff", "black", "mypy", "pytest", "pre-commit", "semgrep", "pyright", "basedpyright",
})
_KNOWN_PYPI_PREFIXES = ("awslabs.",)
_KNOWN_IMAGE_PREFIXES = ("mcp/", "docker.io/mcp/", "ghcr.io/github/", "ghcr.io/microsoft/", "mcr.microsoft.com/")

# ---------------------------------------------------------------------------
# Programs

_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "busybox"})
_POWERSHELL = frozenset({"powershell", "pwsh"})
# interpreter -> options whose argument is program code
_INLINE_CODE: dict[str, frozenset[str]] = {
    "python": frozenset({"-c"}), "node": frozenset({"-e", "--eval", "-p", "--print"}),
    "perl": frozenset({"-e", "-E"}), "ruby": frozenset({"-e"}), "php": frozenset({"-r"}),
    "osascript": frozenset({"-e"}), "lua": frozenset({"-e"}), "bun": frozenset({"-e", "--eval"}),
    "deno": frozenset({"eval"}),
}
_STDIN_INTERPRETERS = frozenset({*_SHELLS, *_POWERSHELL, "python", "node", "perl", "ruby", "php", "iex",
                                 "invoke-expression", "bun", "deno", "source", "."})
_DOWNLOADERS = frozenset({"curl", "wget", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", "fetch",
                          "http", "https", "xh", "aria2c"})
_DECODERS = lazyre.compile(r"^(?:base64|base32|openssl|xxd|certutil)\b[^|]*\s(?:-d|--decode|-D|-r|-decode)\b")
_NETWORK = frozenset({*_DOWNLOADERS, "nc", "ncat", "netcat", "socat", "telnet", "ssh", "scp", "sftp", "rsync",
                      "ftp", "rclone"})
_WRAPPERS = frozenset({"exec", "command", "builtin", "nohup", "time", "nice", "stdbuf", "sudo", "doas", "env",
                       "timeout", "xvfb-run", "caffeinate", "npm-run-all"})
# Options of wrappers that take a separate value.
_WRAPPER_VALUES: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "-C", "--unset", "--chdir"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
}
_SHELL_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "fi", "done",
                             "}", ")", "esac", "function"})
_ALIASES = {"py": "python", "pypy": "python", "nodejs": "node", "podman": "docker", "netcat": "nc"}

_INTERPRETER_VERSION = lazyre.compile(r"^(python|pypy|ruby|perl|php|lua|node)[\d.]*$")


def program(word: str) -> str:
    """The table's name for a program word: `/usr/bin/python3.12` is `python`, `pwsh.exe` is `pwsh`."""
    name = posixpath.basename(word.replace("\\", "/")).lower()
    for suffix in (".exe", ".cmd", ".bat", ".ps1"):
        name = name.removesuffix(suffix)
    match = _INTERPRETER_VERSION.match(name)
    if match:
        name = match.group(1)
    return _ALIASES.get(name, name)


# ---------------------------------------------------------------------------
# Splitting a shell command line


def _parts(text: str) -> list[tuple[str, str]]:
    """Simple commands of a shell line with the operator before each, stripped;
    quotes, `$(…)` and backticks are kept whole."""
    return [(op, part.strip()) for op, part in grants.split_commands(text) if part.strip()]


def _command_words(text: str) -> list[str]:
    """The words of a simple command without shell keywords, redirections and
    leading assignments: what remains starts with the program."""
    found = [w for w in grants.shell_words(text) if not re.match(r"^\d*[<>]", w)]
    while found and (found[0] in _SHELL_KEYWORDS or re.match(r"^[A-Za-z_]\w*=", found[0])):
        found.pop(0)
    return found


# ---------------------------------------------------------------------------
# Package specs


_SEMVER = lazyre.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")
_SHA = lazyre.compile(r"^[0-9a-f]{40}$")
_PEP440_EXACT = lazyre.compile(r"^\d+(?:\.\d+)+(?:(?:a|b|rc|\.post|\.dev)\d+)*$")


class _Spec(NamedTuple):
    name: str
    pinned: bool
    remote: bool = False  # a URL or git repository rather than a registry name
    local: bool = False
    floating_tag: str = ""  # "latest", "^1.2": a version that moves


def _npm_spec(spec: str) -> _Spec:
    if spec.startswith((".", "/", "~", "file:")) or re.match(r"^[A-Za-z]:[\\/]", spec):
        return _Spec(spec, True, local=True)
    if spec.startswith(("http://", "https://", "git+", "git://", "github:", "gitlab:", "bitbucket:", "gist:")) or (
            "/" in spec and not spec.startswith("@")):
        ref = spec.rsplit("#", 1)[1] if "#" in spec else ""
        return _Spec(spec, bool(_SHA.match(ref)), remote=True)
    scope_less = spec[1:] if spec.startswith("@") else spec
    name, at, version = scope_less.partition("@")
    name = ("@" + name) if spec.startswith("@") else name
    if not at:
        return _Spec(name, False)
    return _Spec(name, bool(_SEMVER.match(version)), floating_tag="" if _SEMVER.match(version) else version)


def _pypi_spec(spec: str) -> _Spec:
    if spec.startswith((".", "/", "~", "file:")) or re.match(r"^[A-Za-z]:[\\/]", spec):
        return _Spec(spec, True, local=True)
    if spec.startswith(("git+", "http://", "https://")):
        ref = spec.rsplit("@", 1)[1] if spec.count("@") and "://" in spec.rsplit("@", 1)[0] else ""
        return _Spec(spec, bool(_SHA.match(ref.split("#")[0])), remote=True)
    match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$", spec)
    if not match:
        return _Spec(spec, False)
    name, rest = match.group(1), match.group(3).strip()
    for op in ("===", "==", "@"):
        if rest.startswith(op):
            version = rest[len(op):].strip()
            exact = bool(_PEP440_EXACT.match(version)) and "*" not in version
            return _Spec(name, exact, floating_tag="" if exact else version)
    return _Spec(name, False, floating_tag=rest)


def _image_spec(image: str) -> _Spec:
    if "@sha256:" in image:
        return _Spec(image.split("@", 1)[0], True)
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        tag = last.rsplit(":", 1)[1]
        name = image[: len(image) - len(tag) - 1]
        return _Spec(name, tag != "latest", floating_tag="latest" if tag == "latest" else "")
    return _Spec(image, False)


def _known_npm(name: str) -> bool:
    return name.split("/", 1)[0] in _KNOWN_NPM_SCOPES if name.startswith("@") else name in _KNOWN_NPM_NAMES


def _known_pypi(name: str) -> bool:
    lower = name.lower().replace("_", "-")
    return lower in _KNOWN_PYPI or lower.startswith(_KNOWN_PYPI_PREFIXES)


def _known_image(name: str) -> bool:
    return name.lower().startswith(_KNOWN_IMAGE_PREFIXES)


_REGISTRIES = {"npm": (_npm_spec, _known_npm), "PyPI": (_pypi_spec, _known_pypi), "the image registry": (
    _image_spec, _known_image)}


def _package(registry: str, spec: str, shown: str, downloads: bool = True) -> Launch:
    """Judge a package a runner fetches. `downloads` is False when the runner
    first looks for an installed copy (`npx` without `-y`)."""
    parse, known = _REGISTRIES[registry]
    parsed = parse(spec)
    if parsed.local:
        return Launch(Source.LOCAL, f"runs `{shown}` from a local path", spec)
    if parsed.remote:
        if parsed.pinned:
            return Launch(Source.PINNED, f"runs `{spec}` at a fixed commit", spec, spec)
        return Launch(Source.REMOTE, f"runs `{spec}`, code from a repository or URL at no fixed revision", spec,
                      spec)
    if parsed.pinned:
        return Launch(Source.PINNED, f"runs `{parsed.name}` at an exact version from {registry}", spec, parsed.name)
    moving = f"the floating `{parsed.floating_tag}` version of" if parsed.floating_tag else "whatever version of"
    if known(parsed.name):
        return Launch(Source.FLOATING, f"runs {moving} `{parsed.name}` {registry} serves today; the publisher is "
                                       "well known, but no version is fixed", spec, parsed.name)
    if not downloads and not parsed.floating_tag:
        return Launch(Source.FLOATING, f"runs the project's installed `{parsed.name}`, or downloads whatever "
                                       f"version {registry} serves when none is installed", spec, parsed.name,
                      local_first=True)
    return Launch(Source.UNPINNED, f"downloads and runs {moving} `{parsed.name}` {registry} serves today, so "
                                   "whoever controls that package name controls what runs", spec, parsed.name)


# ---------------------------------------------------------------------------
# Package runners: how each one names the package it fetches

_NPX_VALUES = frozenset({"-p", "--package", "-c", "--call", "--registry", "--cache", "--userconfig", "-w",
                         "--workspace", "--node-options", "--shell", "--prefix", "--script-shell"})
_UVX_VALUES = frozenset({"--from", "--with", "--with-editable", "--with-requirements", "-p", "--python", "--index",
                         "--index-url", "--default-index", "--extra-index-url", "-i", "--find-links", "-f",
                         "--directory", "--project", "--config-file", "--cache-dir", "--constraints",
                         "--overrides", "-c", "--env-file", "--python-preference"})
_DOCKER_VALUES = frozenset({"-e", "--env", "-v", "--volume", "-p", "--publish", "--name", "--network", "--net",
                            "--env-file", "-w", "--workdir", "--mount", "--entrypoint", "-u", "--user",
                            "--platform", "--pull", "--cpus", "-m", "--memory", "--label", "-l", "--add-host",
                            "--cap-add", "--cap-drop", "--device", "--hostname", "-h", "--gpus", "--ipc", "--pid",
                            "--restart", "--security-opt", "--shm-size", "--ulimit", "--tmpfs", "--dns",
                            "--log-driver", "--log-opt", "--runtime", "--stop-signal", "--volumes-from"})


def _options(args: Sequence[str], values: frozenset[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Options (with their values) before the first positional argument, and the
    positional argument with everything after it."""
    found: dict[str, list[str]] = {}
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return found, list(args[i + 1:])
        if not word.startswith("-") or word == "-":
            return found, list(args[i:])
        name, eq, value = word.partition("=")
        if eq:
            found.setdefault(name, []).append(value)
        elif name in values and i + 1 < len(args):
            found.setdefault(name, []).append(args[i + 1])
            i += 1
        else:
            found.setdefault(name, []).append("")
        i += 1
    return found, []


def _npx(args: Sequence[str], shown: str, always_downloads: bool) -> Launch:
    opts, rest = _options(args, _NPX_VALUES)
    downloads = always_downloads or "-y" in opts or "--yes" in opts
    specs = opts.get("-p", []) + opts.get("--package", [])
    if "-c" in opts or "--call" in opts:
        inner = [judge_line(code, 1) for code in opts.get("-c", []) + opts.get("--call", [])]
        return _worst([*(_package("npm", s, shown, downloads) for s in specs), *inner])
    if not specs and not rest:
        return LOCAL
    return _worst(_package("npm", s, shown, downloads) for s in (specs or rest[:1]))


def _uvx(args: Sequence[str], shown: str) -> Launch:
    opts, rest = _options(args, _UVX_VALUES)
    specs = opts.get("--from", []) or rest[:1]
    extra = opts.get("--with", [])
    return _worst(_package("PyPI", s, shown) for s in [*specs, *extra] if s)


def _pipx(args: Sequence[str], shown: str) -> Launch:
    opts, rest = _options(args, frozenset({"--spec", "--python", "--pip-args", "--index-url"}))
    specs = opts.get("--spec", []) or rest[:1]
    return _worst(_package("PyPI", s, shown) for s in specs if s)


def _uv_run(args: Sequence[str], shown: str) -> Launch:
    """`uv run` runs the project's own code; `--with` adds packages from PyPI."""
    opts, rest = _options(args, _UVX_VALUES)
    inner = judge_argv(rest, 1) if rest else LOCAL
    extra = [_package("PyPI", s, shown) for s in opts.get("--with", []) if s]
    return _worst([inner, *extra])


def _docker_run(args: Sequence[str], shown: str) -> Launch:
    opts, rest = _options(args, _DOCKER_VALUES)
    if not rest:
        return LOCAL
    mounts = opts.get("-v", []) + opts.get("--volume", []) + opts.get("--mount", [])
    root = next((m for m in mounts if m.split(":", 1)[0] in ("/", "/var/run/docker.sock") or
                 "source=/," in m + "," or "docker.sock" in m), "")
    if "--privileged" in opts or root:
        what = "`--privileged`" if "--privileged" in opts else f"the mount `{root}`"
        return Launch(Source.ROOT, f"runs the container `{rest[0]}` with {what}, which is root on the host",
                      rest[0], rest[0])
    return _package("the image registry", rest[0], shown)


def _deno(args: Sequence[str], shown: str) -> Launch:
    opts, rest = _options(args, frozenset({"--config", "-c", "--import-map", "--lock", "--cert", "--location",
                                           "--v8-flags", "--inspect", "--env-file"}))
    if not rest:
        return LOCAL
    target = rest[0]
    if target.startswith(("http://", "https://")):
        return Launch(Source.REMOTE, f"runs `{target}`, code straight from a URL", target, target)
    if target.startswith("npm:"):
        return _package("npm", target[4:], shown)
    if target.startswith("jsr:"):
        parsed = _npm_spec(target[4:])
        if not parsed.pinned:
            return Launch(Source.UNPINNED, f"runs whatever version of `{parsed.name}` JSR serves today", target,
                          parsed.name)
    return LOCAL


def _go_run(args: Sequence[str], shown: str) -> Launch:
    _, rest = _options(args, frozenset({"-C", "-exec", "-tags", "-ldflags", "-gcflags", "-mod", "-modfile"}))
    if not rest or "." not in rest[0].split("/", 1)[0] or "@" not in rest[0]:
        return LOCAL
    module, version = rest[0].rsplit("@", 1)
    if _SEMVER.match(version):
        return Launch(Source.PINNED, f"runs `{module}` at an exact version", rest[0], module)
    return Launch(Source.UNPINNED, f"downloads and runs `{module}` at `@{version}`, a version that moves", rest[0],
                  module)


def _install(registry: str, args: Sequence[str], shown: str, values: frozenset[str]) -> Launch:
    """`npm install pkg` and `pip install pkg` run the package's install code."""
    opts, rest = _options(args, values)
    specs = [w for w in rest if not w.startswith("-")]
    if "-r" in opts or "--requirement" in opts or "-e" in opts or "--editable" in opts or not specs:
        return LOCAL
    return _worst(_package(registry, s, shown) for s in specs)


_PIP_VALUES = frozenset({"-r", "--requirement", "-e", "--editable", "-c", "--constraint", "-i", "--index-url",
                         "--extra-index-url", "-t", "--target", "--python"})
_NPM_VALUES = frozenset({"--registry", "--prefix", "-w", "--workspace", "--cache"})

# program (and subcommand) -> how it finds the package it runs
_RUNNERS = {
    ("npx",): lambda a, s: _npx(a, s, always_downloads=False),
    ("bunx",): lambda a, s: _npx(a, s, always_downloads=False),
    ("pnpx",): lambda a, s: _npx(a, s, always_downloads=True),
    ("pnpm", "dlx"): lambda a, s: _npx(a, s, always_downloads=True),
    ("yarn", "dlx"): lambda a, s: _npx(a, s, always_downloads=True),
    ("npm", "exec"): lambda a, s: _npx(a, s, always_downloads=False),
    ("npm", "x"): lambda a, s: _npx(a, s, always_downloads=False),
    ("bun", "x"): lambda a, s: _npx(a, s, always_downloads=False),
    ("uvx",): _uvx,
    ("uv", "tool", "run"): _uvx,
    ("uv", "run"): _uv_run,
    ("pipx", "run"): _pipx,
    ("docker", "run"): _docker_run,
    ("docker", "container", "run"): _docker_run,
    ("deno", "run"): _deno,
    ("go", "run"): _go_run,
    ("npm", "install"): lambda a, s: _install("npm", a, s, _NPM_VALUES),
    ("npm", "i"): lambda a, s: _install("npm", a, s, _NPM_VALUES),
    ("pnpm", "add"): lambda a, s: _install("npm", a, s, _NPM_VALUES),
    ("yarn", "add"): lambda a, s: _install("npm", a, s, _NPM_VALUES),
    ("bun", "add"): lambda a, s: _install("npm", a, s, _NPM_VALUES),
    ("pip", "install"): lambda a, s: _install("PyPI", a, s, _PIP_VALUES),
    ("pip3", "install"): lambda a, s: _install("PyPI", a, s, _PIP_VALUES),
    ("uv", "pip", "install"): lambda a, s: _install("PyPI", a, s, _PIP_VALUES),
}
_LONGEST_RUNNER = max(len(k) for k in _RUNNERS)


def _worst(launches: Iterable[Launch]) -> Launch:
    """The launch from the worst source; the first one wins a tie."""
    best: Launch | None = None
    for launch in launches:
        if best is None or launch.source > best.source:
            best = launch
    return best or LOCAL


# ---------------------------------------------------------------------------
# Whole command lines


_POWERSHELL_FETCH = lazyre.compile(
    r"\b(?:iex|invoke-expression)\b[^\n]{0,300}?\b(?:iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring"
    r"|downloadfile|net\.webclient)\b"
    r"|\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n|]{0,300}?\|\s*(?:iex|invoke-expression)\b"
    r"|\.downloadstring\s*\([^\n]{0,300}?\)\s*\|\s*(?:iex|invoke-expression)\b",
    re.IGNORECASE,
)
_SUBSTITUTED_FETCH = lazyre.compile(
    r"(?:\b(?:eval|source|(?:ba|z|da|k)?sh\s+-\w*c|python[\d.]*\s+-c|node\s+-e|perl\s+-e|ruby\s+-e)\s+[\"']?"
    r"|^\s*|[;&|(]\s*)(?:\$\(|`)\s*(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\b"
    r"|\b(?:(?:ba|z|da|k)?sh|source|\.|python[\d.]*|node|perl|ruby)\s+(?:-\S+\s+){0,4}<\(\s*(?:curl|wget)\b",
    re.IGNORECASE,
)
_ENCODED = lazyre.compile(r"(?:^|\s)-(?:e|ec|en|enc|enco|encod|encode|encoded|encodedcommand)\s+[A-Za-z0-9+/=]{16,}",
                      re.IGNORECASE)
_OUTPUT_FILE = lazyre.compile(r"(?:^|\s)(?:-[A-Za-z]*[oO]|--output|--output-document)(?:=|\s+)[\"']?([^\s\"']+)")


def _downloaded_files(part: str, argv: list[str]) -> set[str]:
    """Files a downloader command writes, by name."""
    found = {posixpath.basename(m.group(1)) for m in _OUTPUT_FILE.finditer(part) if m.group(1) != "-"}
    if argv and program(argv[0]) == "wget" and not found:
        found |= {posixpath.basename(w.split("?", 1)[0]) for w in argv[1:] if "://" in w}
    return {f for f in found if f}


def _reads_program_from_stdin(argv: list[str]) -> bool:
    """An interpreter given no script, module or code runs what comes in on stdin."""
    argv = _unwrapped(argv)
    if not argv:
        return False
    name = program(argv[0])
    if name not in _STDIN_INTERPRETERS:
        return False
    code = _INLINE_CODE.get(name, frozenset()) | {"-m", "-c", "-File", "-file", "-Command", "-command"}
    rest = argv[1:]
    return all(w.startswith("-") and w not in code for w in rest) or rest[:1] == ["-"] or (
        name in _SHELLS and rest[:1] == ["-s"])


def _fetched(text: str, parts: list[tuple[str, str]]) -> Launch | None:
    """Download-and-run shapes: a download piped into an interpreter, run from a
    command or process substitution, or saved and then run; decoded blobs run
    the same way."""
    if _SUBSTITUTED_FETCH.search(text) or _POWERSHELL_FETCH.search(text):
        return Launch(Source.FETCHED, "downloads code and runs it at once, so what runs is whatever the server "
                                      "sends that day", text[:120])
    feeding = ""
    saved: set[str] = set()
    for op, part in parts:
        argv = _command_words(part)
        if not argv:
            continue
        name = program(argv[0])
        if op in ("|", "|&") and feeding and _reads_program_from_stdin(argv):
            return Launch(Source.FETCHED, f"pipes `{feeding}` into `{argv[0]}`, so it runs whatever the download "
                                          "or decoder produces", part)
        if op not in ("|", "|&"):
            feeding = ""
        if name in _DOWNLOADERS or _DECODERS.match(part):
            feeding = part[:80]
            saved |= _downloaded_files(part, argv)
        elif saved and (name in _STDIN_INTERPRETERS or name == "chmod" or posixpath.basename(argv[0]) in saved):
            if any(posixpath.basename(w) in saved for w in argv):
                return Launch(Source.FETCHED, "downloads a file and then runs it", part)
    if _ENCODED.search(text) and re.search(r"\b(?:powershell|pwsh)\b", text, re.IGNORECASE):
        return Launch(Source.FETCHED, "runs base64-encoded PowerShell, which no reviewer can read", text[:120])
    return None


def _cloned_and_run(parts: list[tuple[str, str]]) -> Launch | None:
    """`git clone URL && make install` runs a repository's current code."""
    for index, (_, part) in enumerate(parts):
        argv = _command_words(part)
        if len(argv) > 2 and program(argv[0]) == "git" and argv[1] == "clone":
            url = next((w for w in argv[2:] if "://" in w or w.startswith("git@")), "")
            later = [program(w[0]) for _, p in parts[index + 1:] if (w := _command_words(p))]
            if url and any(n in ("make", "npm", "pnpm", "yarn", "pip", "pip3", "python", "node", "go", "cargo",
                                 *_SHELLS) or n.startswith("./") for n in later):
                return Launch(Source.REMOTE, f"clones `{url}` and runs code from it at whatever revision it has",
                              url, url)
    return None


def _network(argv: list[str], part: str) -> Launch | None:
    name = program(argv[0])
    if name not in _NETWORK and not (name == "git" and len(argv) > 1 and argv[1] in ("clone", "fetch", "pull",
                                                                                    "ls-remote", "push")):
        return None
    outside = [h for h in context.hosts(part) if not hosts.is_internal(h)]
    if not outside:
        return None
    return Launch(Source.NETWORK, f"connects to `{outside[0]}` (`{argv[0]}`)", outside[0])


def judge_argv(argv: Sequence[str], depth: int = 0) -> Launch:
    """Judge a program and its arguments, as an exec-form launch (no shell)."""
    args = [a for a in argv if isinstance(a, str)]
    while args and (re.match(r"^[A-Za-z_]\w*=", args[0]) or args[0] in ("--",)):
        args.pop(0)
    if not args or depth > _MAX_DEPTH:
        return LOCAL
    if program(args[0]) in _WRAPPERS:
        return judge_argv(_unwrapped(args), depth + 1)
    name = program(args[0])
    shown = " ".join(args[:4])
    if name in _SHELLS or name == "cmd":
        code = _shell_code(name, args[1:])
        if code is not None:
            return judge_line(code, depth + 1)
    if name in _POWERSHELL:
        return _powershell(args[1:], depth)
    inline = _inline(name, args[1:])
    if inline is not None:
        return inline
    key = (name, *(w.lower() for w in args[1:_LONGEST_RUNNER]))
    for n in range(min(len(key), _LONGEST_RUNNER), 0, -1):
        runner = _RUNNERS.get(key[:n])
        if runner:
            return runner(args[n:], shown)
    found = _network(args, " ".join(args))
    if found:
        return found
    return Launch(Source.LOCAL, f"runs `{shown}`", args[0])


def _unwrapped(args: Sequence[str]) -> list[str]:
    """The command a wrapper runs: `sudo -u x cmd`, `env A=1 cmd`, `timeout 30 cmd` -> `cmd`."""
    rest = list(args)
    while rest and program(rest[0]) in _WRAPPERS:
        name, rest = program(rest[0]), rest[1:]
        values = _WRAPPER_VALUES.get(name, frozenset())
        while rest and (rest[0].startswith("-") or re.match(r"^[A-Za-z_]\w*=", rest[0]) or
                        (name == "timeout" and re.match(r"^\d", rest[0]))):
            if name == "env" and rest[0] in ("-S", "--split-string") and len(rest) > 1:
                rest = grants.shell_words(rest[1]) + rest[2:]
                break
            rest = rest[2:] if rest[0] in values else rest[1:]
    return rest


def _shell_code(name: str, args: Sequence[str]) -> str | None:
    """The command line given to `sh -c`, `bash -lc` or `cmd /c`."""
    for index, word in enumerate(args):
        if name == "cmd" and word.lower() in ("/c", "/k"):
            return " ".join(args[index + 1:])
        if re.fullmatch(r"-[A-Za-z]*c[A-Za-z]*", word) and index + 1 < len(args):
            return args[index + 1]
        if not word.startswith("-"):
            return None
    return None


def _powershell(args: Sequence[str], depth: int) -> Launch:
    text = " ".join(args)
    if _ENCODED.search(" " + text):
        return Launch(Source.FETCHED, "runs base64-encoded PowerShell, which no reviewer can read", text[:120])
    for index, word in enumerate(args):
        if word.lower() in ("-command", "-c") and index + 1 < len(args):
            return judge_line(" ".join(args[index + 1:]), depth + 1)
    return Launch(Source.LOCAL, f"runs `powershell {' '.join(args[:3])}`".rstrip(), "powershell")


def _inline(name: str, args: Sequence[str]) -> Launch | None:
    """`python -c CODE`: judged by what the code fetches or contacts, else inline code."""
    flags = _INLINE_CODE.get(name)
    if not flags:
        return None
    for index, word in enumerate(args):
        if word in flags and index + 1 < len(args):
            code = args[index + 1]
            fetched = _fetched(code, _parts(code))
            if fetched:
                return fetched
            outside = [h for h in context.hosts(code) if not hosts.is_internal(h)]
            if outside:
                return Launch(Source.NETWORK, f"runs inline {name} code that connects to `{outside[0]}`", outside[0])
            return Launch(Source.INLINE, f"runs inline {name} code given on the command line", word)
        if not word.startswith("-"):
            return None
    return None


# Interpreters whose first argument that is not an option names the script they run.
_SCRIPT_RUNNERS = frozenset({*_SHELLS, *_POWERSHELL, *_INLINE_CODE, "tsx", "ts-node", "source", "."})
# Options after which no script file follows: a module, inline code, or standard input.
_NOT_A_FILE: dict[str, frozenset[str]] = {
    **{name: frozenset({*flags, "-"}) for name, flags in _INLINE_CODE.items()},
    "python": frozenset({"-c", "-m", "-"}),
    **dict.fromkeys(_SHELLS, frozenset({"-s", "-"})),
    **dict.fromkeys(_POWERSHELL, frozenset({"-command", "-c", "-encodedcommand", "-e", "-ec", "-"})),
}
# Options whose value is the script itself (PowerShell's in lower case).
_SCRIPT_OPTIONS: dict[str, frozenset[str]] = {**dict.fromkeys(_POWERSHELL, frozenset({"-file", "-f"})),
                                              "php": frozenset({"-f"})}
# Options whose value is code run before the script (`node -r ./setup.js x.js`): followed too.
_RUN_FIRST = frozenset({"-r", "--require", "--import", "--preload"})
_RUN_FIRST_RUNNERS = frozenset({"node", "bun", "tsx", "ts-node"})
# Options of the script runners that take the next word as their value.
_OPTION_VALUES: dict[str, frozenset[str]] = {
    **dict.fromkeys(_SHELLS, frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})),
    "python": frozenset({"-W", "-X", "--check-hash-based-pycs"}),
    "node": frozenset({"-C", "--conditions", "--loader", "--experimental-loader", "--input-type", "--env-file",
                       "--title", "--inspect-port"}),
    "ruby": frozenset({"-I", "-E", "-C", "-r"}), "perl": frozenset({"-I", "-M", "-m"}), "php": frozenset({"-c", "-d"}),
    **dict.fromkeys(_POWERSHELL, frozenset({"-executionpolicy", "-ex", "-ep", "-windowstyle", "-w",
                                            "-workingdirectory", "-wd", "-configurationname", "-outputformat",
                                            "-of", "-inputformat", "-if", "-version", "-v", "-psconsolefile",
                                            "-custompipename", "-settingsfile"})),
    "deno": frozenset({"-c", "--config", "--import-map", "--lock", "--cert", "--env-file", "--location", "--seed",
                       "--v8-flags"}),
    "bun": frozenset({"--cwd", "--env-file", "--tsconfig-override"}),
    "tsx": frozenset({"--tsconfig"}),
    "ts-node": frozenset({"-P", "--project", "-O", "--compiler-options", "--compiler"}),
}


def _interpreted(name: str, args: Sequence[str]) -> list[str]:
    """The files an interpreter runs: its script, and code it loads before it."""
    found: list[str] = []
    powershell = name in _POWERSHELL
    rest = list(args[1:] if name in ("deno", "bun") and args[:1] == ["run"] else args)
    while rest:
        word = rest.pop(0)
        option = word.lower() if powershell else word
        if option in _NOT_A_FILE.get(name, ()):
            break
        if option in _SCRIPT_OPTIONS.get(name, ()) and rest:
            return [*found, rest[0]]
        if option in _RUN_FIRST and name in _RUN_FIRST_RUNNERS and rest:
            found.append(rest.pop(0))
        elif option in _OPTION_VALUES.get(name, ()) and rest:
            rest.pop(0)
        elif not word.startswith(("-", "+")):
            return [*found, word]
    return found


def scripts(text: str, depth: int = 0) -> list[str]:
    """The files a shell command line runs as programs, as written: a program
    named by its path (`./run.sh`, `$CLAUDE_PROJECT_DIR/.claude/hooks/x.sh`)
    and the script handed to an interpreter (`bash -o pipefail tools/x.sh`,
    `python3 scripts/notify.py`, `pwsh -File x.ps1`, `deno run x.ts`), through
    wrappers and `sh -c`."""
    found: list[str] = []
    if depth > _MAX_DEPTH:
        return found
    parts = _parts(text[:_MAX_TEXT])
    runners = [_unwrapped(_words_without_redirections(part)) for _, part in parts]
    for index, ((_, part), args) in enumerate(zip(parts, runners)):
        if not args:
            continue
        name = program(args[0])
        code = _shell_code(name, args[1:]) if name in _SHELLS else None
        if code is not None:
            found += scripts(code, depth + 1)
        elif name in _SCRIPT_RUNNERS:
            found += _interpreted(name, args[1:]) or _redirected(part)
        elif "/" in args[0] or args[0].startswith("."):
            found.append(args[0])
        following = runners[index + 1] if index + 1 < len(runners) and parts[index + 1][0] == "|" else []
        if name == "cat" and following and program(following[0]) in _SCRIPT_RUNNERS:
            found += [w for w in args[1:] if not w.startswith("-")]  # `cat x.sh | bash`
    return found


def _words_without_redirections(part: str) -> list[str]:
    """`_command_words`, with each redirection's file gone as well as its
    operator: in `bash x.sh < input.txt` the input is no script."""
    kept: list[str] = []
    words = iter(grants.shell_words(part))
    for word in words:
        if re.fullmatch(r"\d*(?:<|>|>>|<>|>\||&>|&>>)", word):
            next(words, None)  # the operator stands alone: its file is the next word
        elif not re.match(r"^\d*[<>]|^&>", word):
            kept.append(word)
    while kept and (kept[0] in _SHELL_KEYWORDS or re.match(r"^[A-Za-z_]\w*=", kept[0])):
        kept.pop(0)
    return kept


def _redirected(part: str) -> list[str]:
    """The file a command reads as its standard input (`bash < x.sh`)."""
    words = grants.shell_words(part)
    for index, word in enumerate(words):
        if word in ("<", "0<") and index + 1 < len(words):
            return [words[index + 1]]
        if word.startswith("<") and not word.startswith("<<") and len(word) > 1:
            return [word[1:]]
    return []


def judge_line(text: str, depth: int = 0) -> Launch:
    """Judge a shell command line: the worst of its simple commands and of the
    download-and-run shapes that span several of them."""
    text = text[:_MAX_TEXT]
    if depth > _MAX_DEPTH or not text.strip():
        return LOCAL
    parts = _parts(text)
    found = _fetched(text, parts) or _cloned_and_run(parts)
    launches = [found] if found else []
    for _, part in parts:
        argv = _command_words(part)
        if argv:
            launches.append(judge_argv(argv, depth))
    return _worst(launches)
