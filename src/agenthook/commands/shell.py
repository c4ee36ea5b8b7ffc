"""One reading of shell: text to simple commands, as a shell would split it.

A command reaches an agent in a code span, a fenced block, a hook or a
launcher, and it runs as the shell reads it: `c'u'rl`, `$'\\x63url'`,
`"$URL"` after `URL=…`, a command inside `$(…)`, a pipeline. Reading it
once, here, lets every rule judge what runs rather than how it is spelled.

Everything is bounded: the text read per call, the depth of nested
substitutions, the number of commands; beyond a bound the rest is read flat
(a substitution nested too deep is kept as a word), never recursed into, so
hostile input costs time in proportion to its length.
"""
from __future__ import annotations

import re
from typing import NamedTuple

MAX_TEXT = 65536  # characters of one call read as shell; callers window longer text
MAX_DEPTH = 6  # nested $( ), backticks and <( ) read as commands
MAX_COMMANDS = 2000  # simple commands kept from one call

# A run of characters that mean nothing special to the shell, taken in one step.
_PLAIN_RUN = re.compile(r"[^\s\\'\"$`|&;<>(){}#]+")
_OPERATORS = ("&&", "||", "|&", ";;", "|", ";", "&", "\n")
_REDIRECTS = ("<<<", "<<-", "<<", "&>>", "&>", ">>", ">|", "<>", "<", ">")
_OPERATOR = re.compile("|".join(re.escape(o) for o in _OPERATORS))
_REDIRECT = re.compile("|".join(re.escape(r) for r in _REDIRECTS))
_CLOSING_SPECIAL = re.compile(r"[()'\"\\]")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
                   "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


class Word(NamedTuple):
    """One shell word: its value with quoting undone (substitutions kept as
    written, `$(…)`), and whether any part of it is computed at run time."""

    value: str
    computed: bool = False


class Command(NamedTuple):
    """A simple command: its words (assignments before it removed), its
    redirections, the assignments it runs with, the commands inside its
    substitutions, and its place in a pipeline."""

    argv: tuple[Word, ...]
    redirects: tuple[tuple[str, str], ...] = ()
    assigns: tuple[tuple[str, str], ...] = ()
    inner: tuple[Command, ...] = ()  # commands of $( ), backticks, <( ) in its words
    piped_in: bool = False  # reads the output of the command before it
    piped_out: bool = False  # its output goes to the command after it
    upstream: tuple[Command, ...] = ()  # the commands feeding its standard input, nearest first
    captured: bool = False  # inside $( ) or backticks: its output becomes part of another command

    @property
    def words(self) -> list[str]:
        return [w.value for w in self.argv]


class Env:
    """What earlier lines of the same file defined: variables, aliases, and
    whether /etc/hosts was written (every name may then point anywhere)."""

    __slots__ = ("variables", "aliases", "hosts_rewritten")

    def __init__(self) -> None:
        self.variables: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.hosts_rewritten = False


def _ansi_c(text: str, i: int) -> tuple[str, int]:
    """Decode `$'…'` starting after the opening quote; returns value and index after the closing quote."""
    out: list[str] = []
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[nxt]
                j = i + 2
                while j < n and j < i + 2 + width and text[j] in "0123456789abcdefABCDEF":
                    j += 1
                if j > i + 2:
                    code = int(text[i + 2:j], 16)
                    out.append(chr(code) if code < 0x110000 else "?")
                    i = j
                    continue
            if nxt in "01234567":
                j = i + 1
                while j < n and j < i + 4 and text[j] in "01234567":
                    j += 1
                out.append(chr(int(text[i + 1:j], 8) & 0xFF))
                i = j
                continue
            if nxt == "c" and i + 2 < n:
                out.append(chr(ord(text[i + 2]) & 0x1F))
                i += 3
                continue
            out.append(ch)
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out), n


def _closing(text: str, i: int, opener: str) -> int:
    """Index of the `)` (or backtick) closing a substitution whose body starts
    at `i`, skipping quotes and nested parentheses; len(text) when unclosed.
    Iterative, so deep nesting costs one pass."""
    n = len(text)
    if opener == "`":
        while i < n:
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "`":
                return i
            i += 1
        return n
    depth, quote = 1, ""
    special = _CLOSING_SPECIAL.search
    while i < n:
        found = special(text, i)  # jump over the characters that change nothing here, in one step
        if found is None:
            return n
        i = found.start()
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch == "\\":
            i += 2
            continue
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if not depth:
                return i
        i += 1
    return n


class _Parser:
    def __init__(self, env: Env | None, depth: int, budget: list[int]) -> None:
        self.env = env or Env()
        self.depth = depth
        self.budget = budget  # commands left, shared by nested parsers

    def _variable(self, name: str) -> str | None:
        return self.env.variables.get(name)

    def parse(self, text: str) -> list[Command]:
        text = text[:MAX_TEXT]
        commands: list[Command] = []
        words: list[Word] = []
        redirects: list[tuple[str, str]] = []
        inner: list[Command] = []
        pending_redirect = ""
        pipeline: list[Command] = []
        piped_in = False
        buf: list[str] = []
        computed = False
        in_word = False
        n = len(text)
        i = 0

        def end_word() -> None:
            nonlocal buf, computed, in_word, pending_redirect
            if not in_word:
                return
            word = Word("".join(buf), computed)
            if pending_redirect:
                redirects.append((pending_redirect, word.value))
                pending_redirect = ""
            else:
                words.append(word)
            buf, computed, in_word = [], False, False

        def end_command(op: str) -> None:
            nonlocal words, redirects, inner, piped_in, pipeline
            end_word()
            assigns: list[tuple[str, str]] = []
            while words and _is_assignment(words[0].value):
                name, _, value = words[0].value.partition("=")
                assigns.append((name, value))
                words = words[1:]
            if not words and assigns:
                for name, value in assigns:
                    self.env.variables[name] = value
            piped_out = op in ("|", "|&")
            if (words or redirects or inner) and self.budget[0] > 0:
                self.budget[0] -= 1
                argv = self._aliased(tuple(words))
                command = Command(argv, tuple(redirects), tuple(assigns), tuple(inner), piped_in, piped_out,
                                  tuple(reversed(pipeline[-4:])) if piped_in else (), self.depth > 0)
                commands.append(command)
                commands.extend(inner)
                pipeline = (pipeline[-3:] + [command]) if piped_out else []  # upstream keeps 4
            else:
                pipeline = [] if not piped_out else pipeline
            piped_in = piped_out
            words, redirects, inner = [], [], []

        plain = _PLAIN_RUN.match
        while i < n:
            run = plain(text, i)
            if run:
                buf.append(run.group())
                in_word = True
                i = run.end()
                continue
            ch = text[i]
            if ch == "\\":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 2
                    continue
                if i + 1 < n:
                    buf.append(text[i + 1])
                in_word = True
                i += 2
                continue
            if ch == "'":
                j = text.find("'", i + 1)
                j = n if j < 0 else j
                buf.append(text[i + 1:j])
                in_word = True
                i = j + 1
                continue
            if ch == "$" and text.startswith("$'", i):
                value, i = _ansi_c(text, i + 2)
                buf.append(value)
                in_word = True
                continue
            if ch == '"':
                i = self._double(text, i + 1, buf, inner)
                computed = computed or self._last_computed
                in_word = True
                continue
            if ch == "$" or ch == "`" or (ch in "<>" and text.startswith("(", i + 1) and not in_word):
                i, value, was_computed = self._dollar(text, i, inner)
                if value is not None:
                    buf.append(value)
                    computed = computed or was_computed
                    in_word = True
                    continue
                buf.append(ch)
                in_word = True
                i += 1
                continue
            if ch in " \t\r":
                end_word()
                i += 1
                continue
            if ch == "#" and not in_word:
                j = text.find("\n", i)
                i = n if j < 0 else j
                continue
            found_op = _OPERATOR.match(text, i)
            op = found_op.group() if found_op else ""
            if op and not (op == "&" and i and text[i - 1] in "<>") and not (op.startswith("&") and
                                                                              text.startswith("&>", i)):
                end_command(op)
                i += len(op)
                continue
            if ch == "(" and in_word and text.startswith(")", i + 1):
                # `name() { …; }` defines a function: the name runs nothing, its body is read as it comes
                buf, in_word, computed, words = [], False, False, []
                i += 2
                continue
            if ch in "()" or (ch in "{}" and not in_word and (i + 1 >= n or text[i + 1] in " \t\n;")):
                end_command(";")
                i += 1
                continue
            found_red = _REDIRECT.match(text, i) if ch in "<>&" else None
            red = found_red.group() if found_red else ""
            if red:
                fd = "".join(buf) if in_word and "".join(buf).isdigit() else ""
                if in_word and not fd:
                    end_word()
                buf, in_word, computed = [], False, False
                i += len(red)
                if text.startswith("&", i) and red in (">", "<"):  # 2>&1, >&2
                    j = i + 1
                    while j < n and (text[j].isdigit() or text[j] == "-"):
                        j += 1
                    i = j
                    continue
                pending_redirect = red
                continue
            buf.append(ch)
            in_word = True
            i += 1
        end_command(";")
        return commands

    _last_computed = False

    def _double(self, text: str, i: int, buf: list[str], inner: list[Command]) -> int:
        """Read a double-quoted string from `i` (after the quote) into `buf`."""
        n = len(text)
        self._last_computed = False
        computed = False
        while i < n:
            ch = text[i]
            if ch == '"':
                self._last_computed = computed
                return i + 1
            if ch == "\\" and i + 1 < n and text[i + 1] in '"\\$`\n':
                if text[i + 1] != "\n":
                    buf.append(text[i + 1])
                i += 2
                continue
            if ch in "$`":
                j, value, was_computed = self._dollar(text, i, inner)
                if value is not None:
                    buf.append(value)
                    computed = computed or was_computed
                    i = j
                    continue
            buf.append(ch)
            i += 1
        self._last_computed = computed
        return n

    def _dollar(self, text: str, i: int, inner: list[Command]) -> tuple[int, str | None, bool]:
        """A substitution or variable at `i`: the index after it, its value
        (substitutions kept as written; known variables expanded) and whether
        it is computed at run time. None when `$` stands for itself."""
        n = len(text)
        if text.startswith("$((", i):
            end = _closing(text, i + 2, "(")
            end = _closing(text, end + 1, "(") if end < n else n
            return min(n, end + 1), text[i:end + 1], True
        if text.startswith("$(", i) or text[i] in "<>" or text[i] == "`":
            opener = "`" if text[i] == "`" else "("
            body_start = i + 1 if opener == "`" else i + 2
            end = _closing(text, body_start, opener)
            body = text[body_start:end]
            if self.depth < MAX_DEPTH and self.budget[0] > 0:
                nested = _Parser(self.env, self.depth + 1, self.budget).parse(body)
                inner.extend(nested)
            shown = text[i:end + 1]
            return min(n, end + 1), shown, True
        if text.startswith("${", i):
            end = text.find("}", i)
            end = n if end < 0 else end
            name = text[i + 2:end].split(":", 1)[0].split("-", 1)[0].lstrip("#!")
            known = self._variable(name)
            return min(n, end + 1), known if known is not None else text[i:end + 1], known is None
        j = i + 1
        while j < n and (text[j].isalnum() or text[j] == "_"):
            j += 1
        if j == i + 1:
            if j < n and text[j] in "@*#?$!0123456789-":
                return j + 1, text[i:j + 1], True
            return i, None, False
        name = text[i + 1:j]
        known = self._variable(name)
        return j, known if known is not None else text[i:j], known is None

    def _aliased(self, argv: tuple[Word, ...]) -> tuple[Word, ...]:
        """An alias defined earlier in the file stands for its text."""
        if not argv or argv[0].value not in self.env.aliases:
            return argv
        body = self.env.aliases[argv[0].value]
        words = shell_words(body)
        return tuple(Word(w) for w in words) + argv[1:]


def _is_name(name: str) -> bool:
    return bool(name) and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c == "_" for c in name)


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and _is_name(name)


def parse(text: str, env: Env | None = None) -> list[Command]:
    """Every simple command in `text`, those inside substitutions included.
    `env` carries variables and aliases from earlier lines and keeps what
    this text defines for later ones."""
    parser = _Parser(env, 0, [MAX_COMMANDS])
    commands = parser.parse(text)
    for command in commands:
        words = command.words
        if words and words[0] == "alias":
            for definition in words[1:]:
                name, eq, value = definition.partition("=")
                if eq and name:
                    parser.env.aliases[name] = value
        for op, target in command.redirects:
            if op.startswith(">") or op.startswith("&>"):
                if target.rstrip("/") == "/etc/hosts":
                    parser.env.hosts_rewritten = True
        if "tee" in words and "/etc/hosts" in words[words.index("tee"):]:
            parser.env.hosts_rewritten = True
    return commands


def shell_words(text: str) -> list[str]:
    """The words of one simple command (no operators), quoting undone."""
    commands = _Parser(Env(), MAX_DEPTH, [1]).parse(text)
    return commands[0].words if commands else []
