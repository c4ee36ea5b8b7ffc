"""MCP servers in agent configuration: which are new or changed, and what
starting or reaching them means.

A stdio server is a command the agent runs at start-up (in `claude -p` and
CI without asking); a remote server is a URL it sends tool calls to. Agents
remember approval by server name, so a server whose command is swapped after
approval runs the new command unprompted (MCPoison). The same analysis serves
`.mcp.json`, Cursor's and VS Code's `mcp.json`, Gemini's and VS Code's
settings, and Codex's `[mcp_servers.*]`.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any, NamedTuple

from agenthook import grants, lazyre, targets
from agenthook.model import Finding, Severity
from agenthook.structured import agentkeys, hosts, launch, unprompted
from agenthook.structured.delta import MISSING, Path
from agenthook.structured.doc import Doc
from agenthook.structured.hooks import command_findings, concern_findings
from agenthook.structured.launch import Launch, Source

# Keys that hold a map of server name -> server.
CONTAINERS = frozenset({"mcpServers", "servers", "mcp_servers", "context_servers"})
_URL_KEYS = ("url", "httpUrl", "serverUrl")
_LAUNCH_KEYS = frozenset({"command", "args", *_URL_KEYS})
# Keys under which a dict with a `command` is something else than a server.
_NOT_SERVERS = frozenset({"hooks", "env", "headers", "statusLine", "fileSuggestion", "inputs"})
_AUTO_APPROVE = frozenset({"autoApprove", "alwaysAllow"})
_EXEC_TOOL = lazyre.compile(r"exec|shell|bash|command|terminal|run|eval|script|process|spawn|write|delete",
                        re.IGNORECASE)

# What the source of a server's code means for the server: rule and severity.
_LAUNCH_RULES: dict[Source, tuple[str, Severity]] = {
    Source.FETCHED: ("AH952", Severity.CRITICAL),
    Source.REMOTE: ("AH1002", Severity.HIGH),
    Source.UNPINNED: ("AH1002", Severity.HIGH),
    Source.FLOATING: ("AH1002", Severity.MEDIUM),
    Source.NETWORK: ("AH1004", Severity.HIGH),
    Source.INLINE: ("AH1005", Severity.HIGH),
    Source.ROOT: ("AH1008", Severity.HIGH),
}


class Server(NamedTuple):
    name: str
    path: Path
    after: dict[str, Any]
    before: Any  # the old definition; MISSING when new or unknown (patch mode)
    new: bool


def _server_paths(tree: Any, anywhere: bool, doc_kind: str = "") -> Iterator[Path]:
    """Paths of server objects: members of a server map, or (in a partial tree
    of an MCP file, where the map's key may be above the hunk) any object with
    a launch key that is not a hook, environment or header."""
    stack: list[tuple[Path, Any]] = [((), tree)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if path and path[-1] in _NOT_SERVERS:
                continue
            container = bool(path) and (path[-1] in CONTAINERS or path[-1] in agentkeys.mcp_containers()
                                        or (path == ("mcp",) and doc_kind == targets.OPENCODE_CONFIG))
            for key, value in node.items():
                if isinstance(value, dict) and (container or (anywhere and _LAUNCH_KEYS & value.keys())):
                    yield path + (key,)
                elif isinstance(value, (dict, list)):
                    stack.append((path + (key,), value))
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in enumerate(node))
    if anywhere and isinstance(tree, dict) and _LAUNCH_KEYS & tree.keys():
        yield ()


def _changed(doc: Doc, path: Path, after: dict[str, Any]) -> tuple[bool, bool, Any]:
    """(changed, new, before) of the server at `path`."""
    if doc.partial:
        own_line = doc.lines.get(path)
        member_lines = doc.member_lines(path)
        new = own_line in doc.added_lines if own_line is not None else (
            bool(member_lines) and member_lines <= doc.added_lines)
        return bool(member_lines & doc.added_lines) or new, new, MISSING
    before = doc.before(path)
    if not isinstance(before, dict):
        return True, True, MISSING
    return before != after, False, before


def _flat(server: Any) -> Any:
    """Zed's older form keeps the launch in a `command` object (`path`, `args`,
    `env`), OpenCode in a `command` list; each is read as the flat form every
    other agent writes."""
    command = server.get("command") if isinstance(server, dict) else None
    if isinstance(command, list) and command and all(isinstance(c, str) for c in command):
        # OpenCode writes the program and its arguments as one list.
        return {**server, "command": command[0], "args": command[1:]}
    if not isinstance(command, dict):
        return server
    return {**server, "command": command.get("path"), "args": command.get("args", server.get("args")),
            "env": command.get("env", server.get("env"))}


def _mcp_file(doc: Doc) -> bool:
    """An MCP configuration file: by its kind, or (other JSON in an agent's
    directory, such as `.cursor/rules/mcp.json`) by its name."""
    return doc.change.kind == targets.MCP_CONFIG or (doc.change.kind == targets.AGENT_JSON and "mcp" in doc.basename)


def servers(doc: Doc) -> Iterator[Server]:
    """The servers a change adds or modifies."""
    anywhere = doc.partial and _mcp_file(doc)
    seen: set[Path] = set()
    for path in _server_paths(doc.new, anywhere, doc.change.kind):
        after = doc.at(path)
        if path in seen or not isinstance(after, dict):
            continue
        seen.add(path)
        changed, new, before = _changed(doc, path, after)
        if changed:
            name = next((str(p) for p in reversed(path) if isinstance(p, str)), "(unnamed)")
            yield Server(name, path, _flat(after), _flat(before), new)


def argv_of(server: dict[str, Any]) -> list[str]:
    """A stdio server's program and arguments."""
    command = server.get("command")
    args = server.get("args")
    argv = [command] if isinstance(command, str) else []
    if isinstance(args, list):
        argv += [a for a in args if isinstance(a, str)]
    elif isinstance(args, str):
        argv += grants.shell_words(args)
    return argv


def judge_launch(server: dict[str, Any]) -> Launch | None:
    """What starting a stdio server runs; None for a remote server."""
    command = server.get("command")
    if isinstance(command, str):
        argv = argv_of(server)
        # A command written as one string ("npx -y pkg") is split as a shell would.
        judged = launch.judge_line(command) if len(argv) == 1 and " " in command.strip() else launch.judge_argv(argv)
        if judged.local_first:
            # A server is started with no terminal to answer npx's prompt, so npx
            # installs a missing package without asking; servers are rarely
            # project dependencies.
            return judged._replace(source=Source.UNPINNED, local_first=False,
                                   what=f"downloads and runs whatever version of `{judged.package}` npm serves today "
                                        "(started without a terminal, npx installs it without asking)")
        return judged
    args = server.get("args")
    if isinstance(args, list):  # the command is above the hunk: judge what the arguments name
        floating = [a for a in args if isinstance(a, str) and re.search(r"@(?:latest|next|canary|beta)$", a)]
        if floating:
            return Launch(Source.UNPINNED, f"runs `{floating[0]}`, a version tag that moves", floating[0],
                          floating[0])
    return None


def _url(server: dict[str, Any]) -> str:
    return next((v for k in _URL_KEYS if isinstance(v := server.get(k), str)), "")


def _identity(server: Any) -> tuple[str, ...]:
    """What a server is, as an approval would remember it: the program and the
    package or script it runs, or the host it reaches. Versions and options
    are not part of it."""
    if not isinstance(server, dict):
        return ()
    url = _url(server)
    if url:
        return ("url", hosts.scheme(url), hosts.url_host(url) or url)
    argv = argv_of(server)
    if not argv:
        return ()
    judged = launch.judge_argv(argv)
    target = judged.package or next((a for a in argv[1:] if not a.startswith("-")), "")
    return ("command", launch.program(argv[0]), target)


def _arg_line(doc: Doc, server: Server, token: str) -> int:
    args = server.after.get("args")
    if token and isinstance(args, list):
        for index, arg in enumerate(args):
            if isinstance(arg, str) and token in arg:
                return doc.line(server.path + ("args", index))
    return doc.line(server.path + ("command",), doc.line(server.path))


def _remote(doc: Doc, server: Server) -> Iterator[Finding]:
    url = _url(server.after)
    host = hosts.url_host(url) if url else None
    if not host:
        return
    line = doc.line(server.path + (next(k for k in _URL_KEYS if k in server.after),))
    scheme = hosts.scheme(url)
    if hosts.is_relay(host):
        yield doc.finding("AH1004", line, f"The server `{server.name}` is reached through `{host}`, a tunnel or "
                                          "capture service: whoever runs it sees every tool call and answers them.",
                          Severity.HIGH, url)
    elif hosts.is_internal(host):
        return
    elif scheme in ("http", "ws"):
        yield doc.finding("AH1004", line, f"The server `{server.name}` is reached over plain `{scheme}://` at "
                                          f"`{host}`: anyone on the network path can read its credentials and "
                                          "rewrite the tool results the agent acts on.", Severity.HIGH, url)
    elif hosts.is_ip_literal(host):
        yield doc.finding("AH1004", line, f"The server `{server.name}` is reached at the bare address `{host}`, "
                                          "which no certificate name vouches for.", Severity.HIGH, url)


_WHOLE_MACHINE = frozenset({"", "~", "$HOME", "${HOME}", "%USERPROFILE%", "C:", "/Users", "/home", "/root"})


def _filesystem_root(server: dict[str, Any]) -> str:
    """A server rooted at the whole disk or the home directory: an argument, or
    an option's `=value`, that names one (`/`, `~`, `--root=/`)."""
    for arg in argv_of(server)[1:]:
        value = arg.split("=", 1)[1] if arg.startswith("-") and "=" in arg else None if arg.startswith("-") else arg
        if value is not None and value.strip() and value.rstrip("/\\") in _WHOLE_MACHINE:
            return arg
    return ""


def judge_server(doc: Doc, server: Server) -> Iterator[Finding]:
    judged = judge_launch(server.after)
    url = _url(server.after)
    line = doc.line(server.path)
    if judged is not None and judged.source in _LAUNCH_RULES:
        rule_id, severity = _LAUNCH_RULES[judged.source]
        yield doc.finding(rule_id, _arg_line(doc, server, judged.token),
                          f"Starting the MCP server `{server.name}` {judged.what}.", severity,
                          judged.token)
    yield from _remote(doc, server)
    yield from _unprompted(doc, server, judged)
    what = f"connects to `{url}`" if url else judged.what if judged else "is defined"
    if server.new:
        quiet = judged is not None and judged.source == Source.PINNED
        yield doc.finding("AH1001", line, f"New MCP server `{server.name}`: it {what}. Agents start project "
                                          "servers without asking in headless runs.",
                          Severity.LOW if quiet else Severity.MEDIUM, server.name)
    elif _launch_changed(doc, server):
        swapped = _identity(server.before) != _identity(server.after) if server.before is not MISSING else (
            _swapped_in_patch(doc, server))
        yield doc.finding("AH1003", doc.line(server.path + ("command",), line),
                          f"The MCP server `{server.name}` now {what}"
                          + ("; it was approved as something else, and the approval carries over."
                             if swapped else "; same program, other version or options."),
                          Severity.HIGH if swapped else Severity.MEDIUM, server.name)
    root = _filesystem_root(server.after)
    if root:
        yield doc.finding("AH1008", _arg_line(doc, server, root),
                          f"The server `{server.name}` is given `{root}`: every file of the user, keys and "
                          "credentials included, is within reach of its tools.", Severity.HIGH, root)


def _unprompted(doc: Doc, server: Server, judged: Launch | None) -> Iterator[Finding]:
    """A launch that runs a program from outside the repository, a shell given
    an inline script, or a detached process; inline interpreter code is
    AH1005's already."""
    command = server.after.get("command")
    if not isinstance(command, str):
        return
    argv = argv_of(server.after)
    value: Any = command if len(argv) == 1 and " " in command.strip() else argv
    concerns = [c for c in unprompted.judge(value, True, judged)
                if not (c.rule_id == "AH957" and judged is not None and judged.source == Source.INLINE)]
    yield from concern_findings(doc, _arg_line(doc, server, concerns[0].token) if concerns else 0,
                                f"The MCP server `{server.name}` starts as", shlex.join(argv), concerns)


def _launch_changed(doc: Doc, server: Server) -> bool:
    if server.before is not MISSING:
        return any(server.before.get(k) != server.after.get(k) for k in _LAUNCH_KEYS)
    return any(doc.member_lines(server.path + (key,)) & doc.added_lines or doc.is_added(server.path + (key,))
               for key in _LAUNCH_KEYS)


def _swapped_in_patch(doc: Doc, server: Server) -> bool:
    """In a patch the old definition is only known from its removed lines: a
    change that only moves a package to another exact version, or only adds
    options, keeps the server what it was."""
    added = [v for p, v in _launch_values(doc, server) if doc.is_added(p)]
    removed = [r.strip().rstrip(",").strip().strip('"') for r in doc.change.removed]
    for value in added:
        if value.startswith("-") or value in removed:  # an option, or the same line re-punctuated
            continue
        name = _unversioned(value)
        if not any(_unversioned(r) == name for r in removed):
            return True
    return False


def _unversioned(spec: str) -> str:
    """`pkg@1.2.3`, `pkg==1.2` -> `pkg`."""
    return re.sub(r"(?<=.)@[^@/]*$|[=<>~!].*$", "", spec)


def _launch_values(doc: Doc, server: Server) -> Iterator[tuple[Path, str]]:
    for key in ("command", *_URL_KEYS):
        if isinstance(server.after.get(key), str):
            yield server.path + (key,), server.after[key]
    args = server.after.get("args")
    if isinstance(args, list):
        for index, arg in enumerate(args):
            if isinstance(arg, str):
                yield server.path + ("args", index), arg


def approvals(doc: Doc) -> Iterator[Finding]:
    """Per-server settings that skip the agent's confirmation for its tools."""
    for d in doc.deltas:
        if not d.added:
            continue
        if d.key == "trust" and d.new is True:
            yield doc.finding("AH1006", d.line, "`trust: true` runs every tool of this server without asking, "
                                                "whatever its arguments.", Severity.CRITICAL, "trust")
        elif d.parent[-1:] and d.parent[-1] in _AUTO_APPROVE and isinstance(d.new, str):
            tool = d.new
            broad = tool.strip() in ("*", "all") or bool(_EXEC_TOOL.search(tool))
            yield doc.finding("AH1006", d.line, f"`{d.parent[-1]}` runs the tool `{tool}` without asking"
                                                + ("; it can run commands or change files." if broad else "."),
                              Severity.HIGH if broad else Severity.MEDIUM, tool)


_FLOATING_SPEC = lazyre.compile(r"^(?:@[\w.-]+/)?[\w.-]+@(?:latest|next|canary|beta|alpha)$")


def _stray_floating_specs(doc: Doc, judged: set[Path]) -> Iterator[Finding]:
    """A patch with little context may show a changed argument and nothing of
    its server: in an MCP file a package at a floating tag is a launch all the
    same."""
    for d in doc.deltas:
        if d.added and isinstance(d.new, str) and _FLOATING_SPEC.match(d.new.strip()) and not any(
                d.path[:len(p)] == p for p in judged):
            yield doc.finding("AH1002", d.line, f"A server argument names `{d.new}`, a version tag that moves: "
                                                "whoever publishes the next release decides what the server runs.",
                              Severity.HIGH, d.new)


def analyze(doc: Doc) -> Iterator[Finding]:
    judged: set[Path] = set()
    for server in servers(doc):
        judged.add(server.path)
        yield from judge_server(doc, server)
    if doc.partial and _mcp_file(doc):
        yield from _stray_floating_specs(doc, judged)
    yield from approvals(doc)
    yield from _headers_helpers(doc)


def _headers_helpers(doc: Doc) -> Iterator[Finding]:
    """`headersHelper` runs a command to produce an MCP server's credentials."""
    for d in doc.deltas:
        if d.added and d.key == "headersHelper" and isinstance(d.new, str):
            yield from command_findings(doc, d.line, launch.judge_line(d.new), "AH851", Severity.MEDIUM,
                                         "`headersHelper` makes the server's credentials; it runs", d.new)
