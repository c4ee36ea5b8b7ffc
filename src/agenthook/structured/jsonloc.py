"""JSON and JSONC parsing that remembers the line of every member.

Settings rules compare the old and new parsed settings and must report each
difference at its line in the new file, which `json` cannot tell. The files are
attacker-controlled, so the parser is iterative (depth costs no Python stack),
linear in time and memory, and reports every problem as a `JsonError` with a
line. When only a diff hunk of a file is known, `guess_path` and `line_member`
read what they can from the visible lines.

No regular expression here repeats a group: Python's engine keeps state for
every repetition of a group, which a long string full of escapes turns into
hundreds of megabytes. Strings with escapes are delimited with str.find.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Final, List, NoReturn, Optional, Tuple, Union

from agenthook import lazyre

# Spelled with typing's generics: these aliases are evaluated at runtime, on Python 3.9 too.
JsonPath = Tuple[Union[str, int], ...]
GuessedPath = Tuple[Optional[Union[str, int]], ...]


# How a refusal for nesting, not for syntax, begins: such text may be JSON an
# agent reads, only deeper than this parser follows.
TOO_DEEP = "nested too deeply"


class JsonError(Exception):
    """Invalid input, located so that a report can point at the offending line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line


class _Truncated(JsonError):
    """The input ended inside a value: tells a line that opens a container from junk."""


class _Sentinel:
    """A named marker that cannot be confused with any parsed JSON value."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


OPEN: Final = _Sentinel("OPEN")
UNKNOWN: Final = _Sentinel("UNKNOWN")

# The parse costs one match per token, so tokens are made coarse: a comma
# rides along with the token after it, and a key with its colon. Every
# character matches something (the last group catches the rest), so nothing is
# skipped silently: strings with escapes and errors go on to _Reader.
_TOKEN = lazyre.compile(
    r"""
    [ \t\n\r]*
    (,[ \t\n\r]*)?
    (?:
        "([^"\\\x00-\x1f]*)" (?:[ \t\n\r]*(:))?
      | (-?(?:0|[1-9][0-9]*))(?![0-9.eE+-])
      | (-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(?![0-9.eE+-])
      | (true|false|null)
      | ([{\[])
      | ([}\]])
      | (:)
      | (//[^\n]*|/\*.*?\*/)
      | ([^ \t\n\r])
    )
    """,
    re.VERBOSE | re.DOTALL,
)
# Token kinds are the numbers of the groups above.
_COMMA, _STRING, _KEY, _INT, _FLOAT, _LITERAL, _OPEN, _CLOSE, _COLON, _COMMENT, _OTHER = range(1, 12)
_DESCRIPTIONS: Final = {_STRING: "a string", _KEY: "a string", _INT: "a number", _FLOAT: "a number", _LITERAL: "a literal"}
_WHITESPACE = lazyre.compile(r"[ \t\n\r]*")
_KEY_COLON = lazyre.compile(r"[ \t\n\r]*:")
_LINE_BREAK = lazyre.compile(r"[\n\r]")
_LITERALS: Final = {"true": True, "false": False, "null": None}
_CLOSERS: Final = {"{": "}", "[": "]"}


def _string_end(text: str, start: int) -> int:
    """Offset just past the string whose opening quote is at `start`, or -1.

    A quote closes the string when an even number of backslashes precedes it;
    each backslash run is measured once, so the search stays linear.
    """
    pos = start + 1
    while True:
        quote = text.find('"', pos)
        if quote < 0:
            return -1
        before = text[pos:quote]
        if (len(before) - len(before.rstrip("\\"))) % 2 == 0:
            return quote + 1
        pos = quote + 1


class _Reader:
    """The text and a cursor, with line numbers counted lazily as the cursor advances."""

    def __init__(self, text: str, jsonc: bool) -> None:
        self.text = text
        self.end = len(text)
        self.pos = 0
        self.jsonc = jsonc
        self._line = 1
        self._line_pos = 0

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def line(self, pos: int) -> int:
        """Counts only the newlines since the last call, so repeated calls stay linear."""
        if pos < self._line_pos:
            return self.text.count("\n", 0, pos) + 1
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def fail(self, message: str, at: int, *, truncated: bool = False) -> NoReturn:
        """Raises at the line of offset `at`; `truncated` marks input that ended too early."""
        if truncated:
            raise _Truncated(f"unexpected end of input: {message}", self.line(at))
        raise JsonError(message, self.line(at))

    def skip_space(self) -> None:
        text = self.text
        pos = _WHITESPACE.match(text, self.pos).end()  # type: ignore[union-attr]
        while self.jsonc and text.startswith("/", pos):
            if text.startswith("//", pos):
                newline = text.find("\n", pos)
                pos = self.end if newline < 0 else newline
            elif text.startswith("/*", pos):
                close = text.find("*/", pos + 2)
                if close < 0:
                    self.fail("unterminated comment", pos, truncated=True)
                pos = close + 2
            else:
                break
            pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
        self.pos = pos

    def string(self) -> str:
        """Reads the string at the cursor, explaining precisely what is wrong with a bad one.

        Escapes are left to json, so they decode exactly as json decodes them
        (surrogate pairs joined, lone halves kept).
        """
        start = self.pos
        end = _string_end(self.text, start)
        line_break = _LINE_BREAK.search(self.text, start, self.end if end < 0 else end)
        if end < 0 or line_break is not None:
            self.fail("unterminated string", start, truncated=line_break is None)
        try:
            value: str = json.loads(self.text[start:end])
        except json.JSONDecodeError as error:
            message = error.msg.removesuffix(" at")
            self.fail(message[:1].lower() + message[1:], start + error.pos)
        self.pos = end
        return value


class _Open:
    """A container whose members are still being read."""

    __slots__ = ("container", "path", "closer", "is_object", "key")

    def __init__(self, container: Union[Dict[str, Any], List[Any]], path: JsonPath, closer: str) -> None:
        self.container = container
        self.path = path
        self.closer = closer
        self.is_object = closer == "}"
        self.key = ""


def parse(text: str, *, jsonc: bool = False, max_depth: int = 500) -> tuple[Any, dict[JsonPath, int]]:
    """Parses like json.loads, and maps each member's path to its 1-based line.

    An object member is located at its key, an array element where it starts,
    the root where it starts. With duplicate keys the last one wins, value and line.
    """
    reader = _Reader(text, jsonc)
    if text.startswith("\ufeff"):
        reader.pos = 1
    reader.skip_space()
    lines: dict[JsonPath, int] = {(): reader.line(reader.pos)}
    value = _read_value(reader, max_depth, lines)
    reader.skip_space()
    if reader.pos < reader.end:
        reader.fail("unexpected data after the value", reader.pos)
    return value, lines


# What _read_value expects next: a value, a container's first member or its
# closer, a member after a comma, the colon after a key, a comma or a closer.
_VALUE, _FIRST, _NEXT, _COLON_NEXT, _AFTER = range(5)


def _read_value(reader: _Reader, max_depth: int, lines: dict[JsonPath, int]) -> Any:
    """Reads one value from the cursor and leaves the cursor after it.

    Open containers live on an explicit stack, so hostile depth is only a
    counter. Every member's path is a fresh tuple as long as its depth, so the
    components created are budgeted: deep nesting cannot make memory grow
    with the square of the input. This loop is the whole cost of a parse, so
    tokens are handled inline.
    """
    text = reader.text
    scan = _TOKEN.match
    root = _Open([], (), "")
    stack = [root]
    frame = root
    path: JsonPath = ()
    state = _VALUE
    pos = reader.pos
    line, line_pos = reader.line(pos), pos
    budget = 8 * len(text) + max_depth * max_depth
    while True:
        match = scan(text, pos)
        if match is None:  # only whitespace is left
            reader.fail(f"expected {_expected(state, frame)}", reader.end, truncated=True)
        kind = match.lastindex or _OTHER
        pos = match.end()
        if match.start(_COMMA) >= 0:
            if state != _AFTER:
                _fail_token(reader, _COMMA, match.start(_COMMA), pos, state, frame)
            state = _NEXT
        if kind == _COMMENT:
            if not reader.jsonc:
                reader.fail("comments are not allowed in JSON", match.start(kind))
            continue
        if kind == _KEY:
            start = match.start(_STRING)
            value: Any = match.group(_STRING)
        else:
            start = match.start(kind)
            value = match.group(kind)
            if kind == _INT:
                try:
                    value = int(value)
                except ValueError:  # beyond the interpreter's digit limit for int()
                    reader.fail("number too long", start)
            elif kind == _FLOAT:
                value = float(value)
            elif kind == _LITERAL:
                value = _LITERALS[value]
            elif kind == _OTHER and value == '"':  # a string with escapes, or a broken one
                reader.pos = start
                value = reader.string()
                colon = _KEY_COLON.match(text, reader.pos)
                kind = _STRING if colon is None else _KEY
                pos = reader.pos if colon is None else colon.end()
        if state == _AFTER or state == _COLON_NEXT:
            if state == _COLON_NEXT and kind == _COLON:
                state = _VALUE
                continue
            if state == _COLON_NEXT or kind != _CLOSE or value != frame.closer:
                _fail_token(reader, kind, start, pos, state, frame)
            value = stack.pop().container
        elif state != _VALUE and kind == _CLOSE and value == frame.closer:
            if state == _NEXT and not reader.jsonc:
                reader.fail("trailing comma is not allowed in JSON", start)
            value = stack.pop().container
        else:
            if state != _VALUE:
                line += text.count("\n", line_pos, start)
                line_pos = start
                budget -= len(stack)
                if budget < 0:
                    reader.fail(f"{TOO_DEEP} for the size of the input", start)
                if frame.is_object:
                    if kind != _KEY and kind != _STRING:
                        _fail_token(reader, kind, start, pos, state, frame)
                    frame.key = value
                    path = frame.path + (value,)
                    lines[path] = line
                    state = _VALUE if kind == _KEY else _COLON_NEXT
                    continue
                path = frame.path + (len(frame.container),)
                lines[path] = line
            if kind == _OPEN:
                if len(stack) > max_depth:
                    reader.fail(TOO_DEEP, start)
                frame = _Open({} if value == "{" else [], path, _CLOSERS[value])
                stack.append(frame)
                state = _FIRST
                continue
            if kind != _STRING and not _INT <= kind <= _LITERAL:
                _fail_token(reader, kind, start, pos, state, frame)
        # `value` is complete: it belongs to the container now on top.
        frame = stack[-1]
        if frame is root:
            reader.pos = pos
            return value
        if frame.is_object:
            frame.container[frame.key] = value  # type: ignore[call-overload]
        else:
            frame.container.append(value)  # type: ignore[union-attr]
        state = _AFTER


def _expected(state: int, frame: _Open) -> str:
    if state == _COLON_NEXT:
        return "':'"
    if state == _AFTER:
        return f"',' or '{frame.closer}'"
    if state == _VALUE or not frame.is_object:
        return "a value"
    return "a string key"


def _fail_token(reader: _Reader, kind: int, start: int, end: int, state: int, frame: _Open) -> NoReturn:
    """Explains why the token of `kind` between `start` and `end` cannot come here."""
    if kind == _KEY and state != _AFTER and state != _COLON_NEXT:
        # The string was a fine value; the colon ending the token cannot come here.
        expected = _expected(_AFTER, frame) if frame.closer else "the end of the value"
        reader.fail(f"expected {expected}, found ':'", end - 1)
    char = reader.text[start]
    if kind == _OTHER:
        if char == "-" or "0" <= char <= "9":
            reader.fail("invalid number", start)
        if char == "," and _WHITESPACE.match(reader.text, start + 1).end() == reader.end:  # type: ignore[union-attr]
            reader.fail("expected a value after ','", start, truncated=True)
        if char == "/" and reader.text.startswith("/*", start):
            reader.fail("unterminated comment", start, truncated=True)
    found = _DESCRIPTIONS.get(kind) or repr(char)
    reader.fail(f"expected {_expected(state, frame)}, found {found}", start)


def line_member(line: str) -> tuple[str | None, Any]:
    """Reads one line of a JSON file as a member: `"key": value,`, `"value",` or an opener.

    Returns the key (None for an array element) and the value, `OPEN` when the
    line only opens an object or array, or `UNKNOWN` when the line is not a
    member on its own (a closer, a key whose value is on the next line, junk).
    Comments and a trailing comma are accepted, since the file may be JSONC.
    """
    reader = _Reader(line, jsonc=True)
    key: str | None = None
    opens = False
    try:
        reader.skip_space()
        if reader.peek() == '"':
            first = reader.string()
            reader.skip_space()
            if reader.peek() != ":":
                return (None, first) if _only_trailer(reader) else (None, UNKNOWN)
            reader.pos += 1
            key = first
            reader.skip_space()
        opens = reader.peek() in _CLOSERS
        value = _read_value(reader, 500, {})
        return (key, value) if _only_trailer(reader) else (key, UNKNOWN)
    except _Truncated:
        return key, OPEN if opens else UNKNOWN
    except JsonError:
        return key, UNKNOWN


def _only_trailer(reader: _Reader) -> bool:
    """True when the rest of the line holds at most a separating comma and comments."""
    reader.skip_space()
    if reader.peek() == ",":
        reader.pos += 1
        reader.skip_space()
    return reader.pos >= reader.end


_LINE_TOKEN = lazyre.compile(r'"|//|/\*|[{}\[\],:]|[^\s{}\[\],:"/]+|/')


def guess_path(lines: list[str], index: int) -> GuessedPath:
    """Guesses the JSON path of the member on `lines[index]` from the lines before it.

    Made for diff hunks: the lines are consecutive but may start mid-file, so
    enclosing containers whose openers are not shown are left out (the result
    is the known suffix of the path). Array positions are never known: array
    elements get None. A line that closes a container stands for that
    container; a line with no token gives ().
    """
    if not 0 <= index < len(lines):
        return ()
    tokens: list[str] = []
    in_comment = False
    for text in lines[:index]:
        in_comment = _line_tokens(text, in_comment, tokens)
    first = len(tokens)
    _line_tokens(lines[index], in_comment, tokens)
    while first < len(tokens) and tokens[first] == ",":
        first += 1
    if first == len(tokens):
        return ()
    if tokens[first] in ("}", "]"):
        first = _enclosing(tokens, first - 1)
        if first < 0:
            return ()
    return _path_to(tokens, first)


def _line_tokens(line: str, in_comment: bool, tokens: list[str]) -> bool:
    """Appends the tokens of one line; returns whether a block comment is still open.

    JSON strings cannot span lines, so lines tokenize independently once block
    comments are followed. A string cut off by the end of the line runs to it.
    """
    pos = 0
    while True:
        if in_comment:
            close = line.find("*/", pos)
            if close < 0:
                return True
            pos = close + 2
            in_comment = False
        match = _LINE_TOKEN.search(line, pos)
        if match is None or match.group() == "//":
            return False
        pos = match.end()
        if match.group() == '"':
            end = _string_end(line, match.start())
            pos = len(line) if end < 0 else end
            tokens.append(line[match.start() : pos])
        elif match.group() == "/*":
            in_comment = True
        else:
            tokens.append(match.group())


def _path_to(tokens: list[str], at: int) -> GuessedPath:
    """Walks out from the member starting at `tokens[at]` through its enclosing containers."""
    reversed_path: list[str | None] = []
    target = True
    while True:
        key, before = _member_key(tokens, at)
        opener = _enclosing(tokens, before)
        if key is not None:
            reversed_path.append(key)
        elif opener >= 0 or target:
            reversed_path.append(None)
        if opener < 0:
            return tuple(reversed(reversed_path))
        at = opener
        target = False


def _member_key(tokens: list[str], at: int) -> tuple[str | None, int]:
    """The key of the member starting at `at`, and where to continue scanning backwards."""
    if tokens[at].startswith('"') and tokens[at + 1 : at + 2] == [":"]:
        return _token_text(tokens[at]), at - 1
    if at >= 2 and tokens[at - 1] == ":" and tokens[at - 2].startswith('"'):
        return _token_text(tokens[at - 2]), at - 3
    return None, at - 1


def _enclosing(tokens: list[str], at: int) -> int:
    """Index of the innermost opener still open at `at`, or -1 if it is above the fragment."""
    depth = 0
    while at >= 0:
        token = tokens[at]
        if token == "}" or token == "]":
            depth += 1
        elif token == "{" or token == "[":
            if depth == 0:
                return at
            depth -= 1
        at -= 1
    return -1


def _token_text(token: str) -> str:
    """Decodes a string token; a broken one is still the best guess at the key, raw."""
    try:
        return _Reader(token, jsonc=False).string()
    except JsonError:
        return token[1:].removesuffix('"')
