"""What a command that runs without a prompt does besides where its code
comes from (`launch` judges that): it runs a program kept outside the
repository, code written inline for an interpreter or a shell, or a process
left running in the background.

Hooks, helpers, MCP server launches and editor tasks all start on their own.
A program in `/tmp`, a home directory or a hidden directory outside the
checkout is code no review of the repository ever sees (CVE-2026-25725 planted
`/bin/sh -c 'nohup /tmp/.cache/agent …'` as a `SessionStart` hook); inline
code is a program that lives only in the settings line; a detached process
outlives the event that started it.
"""
from __future__ import annotations

import re
import shlex
from typing import Any, NamedTuple

from agenthook import grants, lazyre
from agenthook.model import Severity
from agenthook.structured import launch
from agenthook.structured.launch import Launch, Source

# Places outside the checkout that exist on every machine and that no review
# sees: temporary directories, the home directory of whoever runs the agent
# (POSIX, Windows and the variables naming it), root's home (CI containers).
_TEMPORARY = lazyre.compile(
    r"""^(?:\$\{?(?:TMPDIR|TEMP|TMP)\}?|%(?:TEMP|TMP)%|/(?:tmp|var/tmp|dev/shm|private/tmp)(?:/|$)
        |[A-Za-z]:[\\/](?:Windows[\\/])?Temp[\\/])""",
    re.VERBOSE | re.IGNORECASE,
)
_EVERY_HOME = lazyre.compile(
    r"^(?:~|\$\{?HOME\}?|\$\{?USERPROFILE\}?|%(?:USERPROFILE|APPDATA|LOCALAPPDATA|HOMEPATH)%|/root(?:/|$))",
    re.IGNORECASE,
)
# One named user's home directory: the path exists on that developer's machine only.
_NAMED_HOME = lazyre.compile(r"^(?:/home/|/Users/|/mnt/[a-z]/Users/|[A-Za-z]:[\\/]Users[\\/])[^/\\]+",
                             re.IGNORECASE)
# Where version managers, virtual environments and package managers install
# programs: a path through one names an installed tool, as `/usr/bin/x` does.
_INSTALLED = lazyre.compile(
    r"""[\\/](?:\.local[\\/](?:bin|share[\\/]pnpm|pipx)|\.cargo[\\/]bin|\.nvm|\.bun[\\/]bin|\.deno[\\/]bin|\.pyenv
        |\.volta|\.asdf|\.rbenv|\.sdkman|\.venv|venv|\.virtualenvs|go[\\/]bin|\.npm-global|\.rye|\.pixi|\.conda
        |miniconda3|anaconda3|\.dotnet[\\/]tools|\.nix-profile|\.linuxbrew|homebrew
        |AppData[\\/]Roaming[\\/]npm|AppData[\\/]Local[\\/]Programs)(?:[\\/]|$)""",
    re.VERBOSE | re.IGNORECASE,
)
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish", "cmd"})
# Commands are read this far, as `launch` reads them.
_MAX_TEXT = 65536
_MAX_ARGS = 4096
_DETACH = frozenset({"nohup", "setsid", "disown", "daemonize"})
# A lone `&` ends a command that keeps running after the line returns.
_BACKGROUND = lazyre.compile(r"(?<![&>|<0-9])&(?![&>])\s*(?:$|[;)}]|\n)")


class Concern(NamedTuple):
    rule_id: str
    what: str  # completes "… : it …"
    token: str
    severity: Severity = Severity.HIGH


def outside_path(word: str) -> tuple[str, Severity] | None:
    """`word` and how much it matters, when it names a program or script
    outside the repository that is not an installed tool: under a temporary
    directory or the home directory of whoever runs it (high), through a
    hidden directory elsewhere (`/opt/.x/run`, high), or in one named user's
    home (`/Users/dana/tools/x.py`, medium: it exists on that machine only)."""
    word = word.strip("\"'")
    if _TEMPORARY.match(word):
        return word, Severity.HIGH
    if _INSTALLED.search(word) or not word:
        return None
    if _EVERY_HOME.match(word):
        return word, Severity.HIGH
    if _NAMED_HOME.match(word):
        return word, Severity.MEDIUM
    if word.startswith("/") and any(p.startswith(".") and p not in (".", "..") for p in word.split("/")):
        return word, Severity.HIGH
    return None


def _line_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return shlex.join(value)
    return None


def _argv(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return grants.shell_words(value) if isinstance(value, str) else []


def judge(value: Any, program_expected: bool, launched: Launch | None = None) -> list[Concern]:
    """What is wrong with a command that runs unprompted, beyond its source.
    `program_expected`: the setting names a program to start (an MCP server, a
    helper, a task), so a shell given a script there is inline code; a hook's
    command is itself a shell line, so only what it hands on is judged.
    `launched`: `launch`'s verdict on the same command, when the caller has it."""
    line = _line_of(value)
    if line is None or not line.strip():
        return []
    line = line[:_MAX_TEXT]
    found: list[Concern] = []
    argv = _argv(value[:_MAX_ARGS] if isinstance(value, list) else line)
    scripts = launch.scripts(line)
    outside = max((o for o in map(outside_path, [*argv[:1], *scripts]) if o), key=lambda o: o[1], default=None)
    if outside:
        where = ("a program kept outside the repository, which no review of it ever sees" if outside[1] >= Severity.HIGH
                 else "a program in one developer's home directory: elsewhere it is whatever is put at that path")
        found.append(Concern("AH956", f"runs `{outside[0]}`, {where}", outside[0], outside[1]))
    if launched is None:
        launched = launch.judge_line(line) if isinstance(value, str) else launch.judge_argv(argv)
    if launched.source == Source.INLINE:
        found.append(Concern("AH957", "runs program code written inline in the setting, outside any file a "
                                      "review reads as code", launched.token))
    elif program_expected and argv and launch.program(argv[0]) in _SHELLS and not scripts and _takes_script(argv):
        found.append(Concern("AH957", f"is `{launch.program(argv[0])}` given an inline script instead of a program",
                             argv[0]))
    detached = next((w for w in grants.shell_words(line) if launch.program(w) in _DETACH), None)
    if detached or _BACKGROUND.search(line):
        found.append(Concern("AH958", "leaves a process running in the background after the event that started it"
                             + (f" (`{detached}`)" if detached else ""), detached or "&"))
    return found


def _takes_script(argv: list[str]) -> bool:
    """`sh -c CODE`, `bash -lc CODE`, `cmd /c CODE` where CODE is a program of
    its own: control flow, or several commands. (A line that only prepares and
    starts a committed script, `cd "$(git rev-parse --show-toplevel)" && exec
    bash scripts/mcp.sh`, names a script and is left to what it starts, as is
    one program, `npx -y pkg`.)"""
    for index, word in enumerate(argv[1:], 1):
        if re.fullmatch(r"-[A-Za-z]*c[A-Za-z]*", word) or word.lower() in ("/c", "/k"):
            code = " ".join(argv[index + 1:]) if word.startswith("/") else argv[index + 1] if index + 1 < len(
                argv) else ""
            code = code[:_MAX_TEXT]
            return bool(_CONTROL.search(code)) or len(_SEPARATOR.split(code.strip())) > 1
        if not word.startswith("-"):
            return False
    return False


_CONTROL = lazyre.compile(r"(?:^|[;&|(\s])(?:while|for|until|if|case|function|eval|exec\s+\d*[<>])\b")
_SEPARATOR = lazyre.compile(r";|&&|\|\||\||\n")
