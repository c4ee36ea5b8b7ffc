"""Which files a shell command line would write, read before it runs.

What a command writes is known only once it has run, so the guard cannot
judge the change; it can see that the command aims at an agent file and ask
the user first. This reader finds the places a command line names as a
target: redirections (`>`, `>>`, `&>`), and the file arguments of programs
that write, copy, move, link or delete files (data/shellwrites.toml). It
follows `sh -c`, `eval` and the usual wrappers; a file name assembled at run
time (a variable, a substitution) is beyond it: the commit and push hooks
still judge whatever such a command wrote.
"""
from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Iterator

from agenthook import tomlcache

_DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "shellwrites.toml")
_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", ">&"})
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "|&", "(", ")", ";;"})
_WORDS = re.compile(r"[^\s;|&<>()`'\"]+")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_DEPTH = 4  # sh -c inside sh -c ...: deeper than this is not followed
MAX_COMMAND = 256 * 1024  # characters read as shell; past that, every named agent path counts as written


def _table() -> dict[str, dict[str, object]]:
    return tomlcache.load([_DATA], "shellwrites")[0]["program"]


def targets(command: str, is_agent: Callable[[str], bool], is_dir: Callable[[str], bool]) -> list[str]:
    """The agent files `command` would write (as the command names them);
    `is_dir` tells a destination directory (cp x .claude/) from a file."""
    if len(command) > MAX_COMMAND:
        return sorted({w for w in _WORDS.findall(command) if is_agent(w)})
    return sorted({t for t in _written(command, _table(), 0, is_dir) if is_agent(t)})


def _tokens(command: str) -> list[str]:
    lexer = shlex.shlex(command.replace("\n", " ; "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote: read the words as they stand
        return command.replace("\n", " ; ").split()


def _simple_commands(tokens: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    """(words, redirection targets) of each simple command."""
    words: list[str] = []
    redirected: list[str] = []
    pending = False
    for token in tokens:
        if pending:
            redirected.append(token)
            pending = False
        elif token in _REDIRECTS:
            pending = True
        elif token in _SEPARATORS:
            yield words, redirected
            words, redirected = [], []
        elif token and set(token) <= set("<>&|;()"):
            continue  # another operator (<, <<, <<<): nothing written
        else:
            words.append(token)
    yield words, redirected


def _program(words: list[str], table: dict[str, dict[str, object]]) -> tuple[str, list[str]]:
    """The program a simple command runs and its arguments, past assignments and wrappers."""
    i = 0
    while i < len(words):
        word = words[i]
        if _ASSIGNMENT.match(word):
            i += 1
            continue
        name = word.rsplit("/", 1)[-1]
        spec = table.get(name)
        if spec is not None and spec.get("how") == "wrapper":
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 1
            continue
        return name, words[i + 1:]
    return "", []


def _written(command: str, table: dict[str, dict[str, object]], depth: int,
             is_dir: Callable[[str], bool]) -> Iterator[str]:
    for words, redirected in _simple_commands(_tokens(command)):
        yield from redirected
        name, args = _program(words, table)
        spec = table.get(name)
        if spec is None:
            continue
        how = spec.get("how")
        files = [a for a in args if not a.startswith("-")]
        if how == "shell" and depth < _DEPTH:
            if "-c" in args[:-1]:
                yield from _written(args[args.index("-c") + 1], table, depth + 1, is_dir)
        elif how == "eval" and depth < _DEPTH:
            yield from _written(" ".join(args), table, depth + 1, is_dir)
        elif how == "args":
            yield from files
        elif how == "last" and files:
            yield from _last(args, files, is_dir)
        elif how == "in-place" and any(_in_place(a) for a in args):
            yield from files  # the script among them names no agent file
        elif how == "of":
            yield from (a[3:] for a in args if a.startswith("of="))
        elif how == "subcommands":
            sub = files[0] if files else ""
            if sub in spec.get("writes", ()):  # type: ignore[operator]
                yield from files[1:]


def _in_place(arg: str) -> bool:
    """-i, -i.bak, --in-place, or -i within short options (-pi, -ni)."""
    return arg.startswith("--in-place") or (arg.startswith("-") and not arg.startswith("--") and "i" in arg[1:])


def _last(args: list[str], files: list[str], is_dir: Callable[[str], bool]) -> Iterator[str]:
    """cp, mv, ln, install: the destination, or each source when a target
    directory is named with -t (its files land there under their own names)."""
    for i, a in enumerate(args):
        if a in ("-t", "--target-directory") and i + 1 < len(args):
            yield from (os.path.join(args[i + 1], os.path.basename(f)) for f in files if f != args[i + 1])
            return
        if a.startswith("--target-directory="):
            yield from (os.path.join(a.split("=", 1)[1], os.path.basename(f)) for f in files)
            return
    destination = files[-1]
    if len(files) > 2 or destination.endswith("/") or is_dir(destination):
        # into a directory: each file keeps its name
        yield from (os.path.join(destination, os.path.basename(s.rstrip("/"))) for s in files[:-1])
    else:
        yield destination
