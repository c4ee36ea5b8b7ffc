"""Encoded text in an instruction line, decoded within a fixed budget.

A model decodes base64, hex and `\\x` escapes on its own and reads what they
say; a reviewer sees a blob. Each candidate run is decoded (nested encodings
too, to a fixed depth) and the result, when it is text, is judged as if it
had been written in plain words. The budget bounds the work whatever the
line holds: a run is cut before decoding, a line gives a fixed number of
candidates, and decoding never expands (each layer is shorter than the last).
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from agenthook import lazyre

_BASE64 = lazyre.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = lazyre.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{24,}(?![0-9A-Fa-f])")
_ESCAPED = lazyre.compile(r"(?:\\x[0-9A-Fa-f]{2}|\\u00[0-9A-Fa-f]{2}){6,}")

_ONE_ESCAPE = lazyre.compile(r"\\x[0-9A-Fa-f]{2}|\\u00[0-9A-Fa-f]{2}")

MAX_CANDIDATES = 16  # runs decoded per line
MAX_RUN = 8192  # characters of one run decoded
MAX_DEPTH = 3  # layers of encoding followed


def _text(data: bytes) -> str | None:
    """`data` as text when it reads as text: UTF-8, nearly all printable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    return text if text and printable >= 0.95 * len(text) and letters >= 0.5 * len(text.replace(" ", "")) else None


def _decode(run: str, kind: str) -> str | None:
    try:
        if kind == "hex":
            return _text(binascii.unhexlify(run[: len(run) // 2 * 2]))
        if kind == "escaped":
            return _text(bytes(int(m.group()[-2:], 16) for m in _ONE_ESCAPE.finditer(run)))
        padded = run + "=" * (-len(run) % 4)
        alphabet = base64.urlsafe_b64decode if ("-" in run or "_" in run) else base64.b64decode
        return _text(alphabet(padded))
    except (ValueError, binascii.Error, IndexError):
        return None


def decoded(text: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(encoding, decoded text) for each encoded run in `text` that decodes
    to text, innermost layers too, within the budget."""
    if depth >= MAX_DEPTH:
        return
    candidates = 0
    for kind, pattern in (("escaped", _ESCAPED), ("hex", _HEX), ("base64", _BASE64)):
        for match in pattern.finditer(text):
            run = match.group()[:MAX_RUN]
            if kind == "base64" and (run.isalpha() and (run.islower() or run.isupper()) or run.isdigit()):
                continue  # a long word or number, not an encoding
            candidates += 1
            if candidates > MAX_CANDIDATES:
                return
            plain = _decode(run, kind)
            if plain is not None:
                yield kind, plain
                yield from decoded(plain, depth + 1)
