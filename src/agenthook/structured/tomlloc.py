"""Line numbers for TOML keys, and a TOML parse that fails in one predictable way.

`tomllib` parses TOML but tells nothing of positions, so rules that diff the
parsed old and new `.codex/config.toml` find the line of a difference here.
`key_lines` is a forgiving scan, not a validator: it never raises, runs in
linear time, and on malformed input simply records less.
"""
from __future__ import annotations

import re
import sys
from typing import Any, Tuple, Union

from agenthook import lazyre

# Spelled with typing's generics: the alias is evaluated at runtime, on Python 3.9 too.
TomlPath = Tuple[Union[str, int], ...]


class TomlError(Exception):
    """Invalid TOML, with the line when the parser said where."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.message = message
        self.line = line


_POSITION = lazyre.compile(r"\s*\(at line ([0-9]+), column [0-9]+\)")
_END_OF_DOCUMENT = lazyre.compile(r"\s*\(at end of document\)")


def parse(text: str) -> dict[str, Any]:
    """Parses TOML; every failure, including ones tomllib does not wrap, is a TomlError."""
    # Imported here: a commit without TOML to parse should not pay for the parser.
    if sys.version_info >= (3, 11):
        import tomllib as toml  # noqa: PLC0415
    else:  # pragma: no cover - only older interpreters
        import tomli as toml  # noqa: PLC0415
    try:
        return toml.loads(text)
    # ValueError covers TOMLDecodeError and int()'s digit limit; deep nesting
    # exhausts tomllib's recursion.
    except (ValueError, RecursionError) as error:
        message = str(error)
        position = _POSITION.search(message)
        if position is not None:
            raise TomlError(_POSITION.sub("", message), int(position.group(1))) from None
        if _END_OF_DOCUMENT.search(message):
            raise TomlError(_END_OF_DOCUMENT.sub("", message), text.count("\n") + 1) from None
        raise TomlError(message or type(error).__name__, None) from None


# No pattern here repeats a group: Python's engine keeps state for every
# repetition of a group, which long hostile strings turn into gigabytes.
_BLANK = lazyre.compile(r"[ \t]*")
_SPACE = lazyre.compile(r"[ \t\r\n]*")
_BARE_KEY = lazyre.compile(r"[A-Za-z0-9_-]+")
_LITERAL = lazyre.compile(r"'([^'\n]*)'")
_SCALAR = lazyre.compile(r"[^,\]}#\r\n]+")
_ESCAPE = lazyre.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_MAX_KEY_PARTS = 256
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}


def key_lines(text: str) -> dict[TomlPath, int]:
    """Maps the path of every table, key and array item to the 1-based line where it starts.

    Paths are those of the parsed document: `[[servers]]` tables and array
    items are numbered (`("servers", 0)`), dotted and quoted keys are split as
    TOML splits them. Tables and keys implied by a longer path get the line of
    their first mention. Comments and the insides of strings are skipped.
    """
    scan = _Scanner(text)
    lines = _Lines(len(text))
    table_counts: dict[TomlPath, int] = {}
    table: TomlPath = ()
    while scan.pos < scan.end and lines.budget > 0:
        scan.skip(_BLANK)
        char = scan.peek()
        if char == "[":
            table = _header(scan, lines, table_counts) or table
        elif char not in ("#", "\n", "\r", ""):
            _assignment(scan, table, lines)
        scan.skip_line()
    return lines.found


class _Lines:
    """The map being built, with a budget on the path components it may create.

    Every recorded path is a fresh tuple, so deep nesting or long dotted keys
    would make the output grow with the square of the input; the budget keeps
    hostile input linear (the scan stops early) and is far above what any
    real file needs.
    """

    def __init__(self, size: int) -> None:
        self.found: dict[TomlPath, int] = {}
        self.budget = 8 * size + 65536

    def record(self, path: TomlPath, line: int) -> None:
        """Records `path`, and the tables it implies where nothing recorded them yet."""
        self.budget -= len(path)
        self.found[path] = line
        for length in range(len(path) - 1, 0, -1):
            self.budget -= length
            if self.budget < 0 or path[:length] in self.found:
                # Whatever recorded a prefix recorded the shorter ones too.
                return
            self.found[path[:length]] = line


class _Scanner:
    """The text and a cursor, with line numbers counted lazily as the cursor advances."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = len(text)
        self.pos = 1 if text.startswith("\ufeff") else 0
        self._line = 1
        self._line_pos = 0

    def peek(self, size: int = 1) -> str:
        return self.text[self.pos : self.pos + size]

    def line(self) -> int:
        self._line += self.text.count("\n", self._line_pos, self.pos)
        self._line_pos = self.pos
        return self._line

    def skip(self, pattern: re.Pattern[str]) -> None:
        """Moves past `pattern`, which must always match (possibly empty)."""
        self.pos = pattern.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def skip_line(self) -> None:
        newline = self.text.find("\n", self.pos)
        self.pos = self.end if newline < 0 else newline + 1

    def key(self) -> list[str] | None:
        """Reads a dotted key such as `a."b.c".'d'`; None when there is none here.

        Absurdly long dotted keys are refused: building their paths would cost
        the square of their length.
        """
        parts: list[str] = []
        while len(parts) < _MAX_KEY_PARTS:
            self.skip(_BLANK)
            part = self._simple_key()
            if part is None:
                return None
            parts.append(part)
            self.skip(_BLANK)
            if self.peek() != ".":
                return parts
            self.pos += 1
        return None

    def skip_gap(self) -> None:
        """Moves past whitespace, newlines and comments, as allowed between array items."""
        self.skip(_SPACE)
        while self.peek() == "#":
            self.skip_line()
            self.skip(_SPACE)

    def _simple_key(self) -> str | None:
        bare = _BARE_KEY.match(self.text, self.pos)
        if bare is not None:
            self.pos = bare.end()
            return bare.group()
        basic = self._basic()
        if basic is not None:
            return _unescape(basic)
        literal = _LITERAL.match(self.text, self.pos)
        if literal is not None:
            self.pos = literal.end()
            return literal.group(1)
        return None

    def _basic(self) -> str | None:
        """Moves past a one-line basic string and returns its undecoded body."""
        if self.peek() != '"':
            return None
        line_end = self.text.find("\n", self.pos)
        close = _find_unescaped(self.text, '"', self.pos + 1, self.end if line_end < 0 else line_end)
        if close < 0:
            return None
        body = self.text[self.pos + 1 : close]
        self.pos = close + 1
        return body

    def value_end(self) -> bool:
        """Moves past a string or scalar value; False when there is no value here."""
        text, pos = self.text, self.pos
        if text.startswith('"""', pos):
            close = _find_unescaped(text, '"""', pos + 3, self.end)
            self.pos = self.end if close < 0 else _past_quotes(text, close + 3, '"')
            return True
        if text.startswith("'''", pos):
            close = text.find("'''", pos + 3)
            self.pos = self.end if close < 0 else _past_quotes(text, close + 3, "'")
            return True
        if self._basic() is not None:
            return True
        for pattern in (_LITERAL, _SCALAR):
            match = pattern.match(text, pos)
            if match is not None:
                self.pos = match.end()
                return True
        return False


def _find_unescaped(text: str, delimiter: str, start: int, end: int) -> int:
    """Offset of the first `delimiter` in text[start:end] not escaped by a backslash, or -1.

    `start` must follow a quote. Each backslash run is measured once, so the
    search stays linear.
    """
    pos = start
    while True:
        found = text.find(delimiter, pos, end)
        if found < 0:
            return -1
        before = text[pos:found]
        if (len(before) - len(before.rstrip("\\"))) % 2 == 0:
            return found
        pos = found + 1


def _past_quotes(text: str, pos: int, quote: str) -> int:
    """A multi-line string may end with up to two quotes of its own before the delimiter."""
    extra = 0
    while extra < 2 and text.startswith(quote, pos + extra):
        extra += 1
    return pos + extra


def _unescape(body: str) -> str:
    """Decodes a basic-string key; an escape TOML would reject is kept as written."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code is not None:
            number = int(code, 16)
            return chr(number) if number <= 0x10FFFF else match.group()
        return _SIMPLE_ESCAPES.get(match.group(3), match.group())

    return _ESCAPE.sub(one, body)


def _header(scan: _Scanner, lines: _Lines, table_counts: dict[TomlPath, int]) -> TomlPath | None:
    """Reads `[table]` or `[[array.of.tables]]`; returns the table's path, None if malformed."""
    line = scan.line()
    is_array = scan.peek(2) == "[["
    scan.pos += 2 if is_array else 1
    parts = scan.key()
    scan.skip(_BLANK)
    if parts is None or scan.peek(2 if is_array else 1) != ("]]" if is_array else "]"):
        return None
    if is_array:
        array = _resolve(parts[:-1], table_counts) + (parts[-1],)
        table_counts[array] = table_counts.get(array, -1) + 1
        path = array + (table_counts[array],)
    else:
        path = _resolve(parts, table_counts)
    lines.record(path, line)
    return path


def _resolve(parts: list[str], table_counts: dict[TomlPath, int]) -> TomlPath:
    """Turns header keys into a path, entering the latest table of each array of tables."""
    path: TomlPath = ()
    for part in parts:
        path += (part,)
        if path in table_counts:
            path += (table_counts[path],)
    return path


class _Nest:
    """An array or inline table whose items are still being read."""

    __slots__ = ("path", "is_table", "count")

    def __init__(self, path: TomlPath, is_table: bool) -> None:
        self.path = path
        self.is_table = is_table
        self.count = 0


def _assignment(scan: _Scanner, table: TomlPath, lines: _Lines) -> None:
    """Records `key = value` and, when the value is an array or inline table, its items.

    The value is read with an explicit stack so that deep nesting cannot
    exhaust the Python stack; on anything unexpected the rest is given up.
    """
    line = scan.line()
    parts = scan.key()
    scan.skip(_BLANK)
    if parts is None or scan.peek() != "=":
        return
    scan.pos += 1
    path: TomlPath | None = table + tuple(parts)
    stack: list[_Nest] = []
    while path is not None and lines.budget > 0:
        lines.record(path, line)
        scan.skip(_BLANK)
        if scan.peek() in ("[", "{"):
            stack.append(_Nest(path, scan.peek() == "{"))
            scan.pos += 1
            expect_item = True
        elif scan.value_end():
            expect_item = False
        else:
            return
        path = _next_item(scan, stack, expect_item)
        line = scan.line()


def _next_item(scan: _Scanner, stack: list[_Nest], expect_item: bool) -> TomlPath | None:
    """Moves to the next item of the innermost open container, closing the finished ones.

    Returns the item's path, or None when the value is complete or cannot be followed.
    """
    while stack:
        scan.skip_gap()
        nest = stack[-1]
        closer = "}" if nest.is_table else "]"
        if not expect_item:
            if scan.peek() == closer:
                scan.pos += 1
                stack.pop()
                continue
            if scan.peek() != ",":
                return None
            scan.pos += 1
            scan.skip_gap()
        if scan.peek() == closer:
            scan.pos += 1
            stack.pop()
            expect_item = False
            continue
        if not nest.is_table:
            nest.count += 1
            return nest.path + (nest.count - 1,)
        parts = scan.key()
        scan.skip(_BLANK)
        if parts is None or scan.peek() != "=":
            return None
        scan.pos += 1  # still on the key's line: TOML keeps a key and its '=' together
        return nest.path + tuple(parts)
    return None
