"""Bounded decoding of payloads that a command decodes before it runs them.

`echo Y3VybCAuLi4= | base64 -d | sh`, `xxd -r -p`, `exec(base64.b64decode(…))`
and `pwsh -EncodedCommand` hide a command from a reviewer, not from the shell.
The payload is decoded here, once per layer and within a fixed budget, so
that what it decodes to is judged like any other command. Input beyond the
budget is not decoded (the decoding itself is reported by its own rule), and
what does not decode to text is dropped: a base64 bomb costs at most the
budget.
"""
from __future__ import annotations

import binascii
import re

from agenthook import lazyre

MAX_ENCODED = 65536  # characters of one payload decoded
_B64 = lazyre.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = lazyre.compile(r"(?:[0-9a-fA-F]{2}){8,}")


def _text(raw: bytes) -> str:
    """Decoded bytes as text, or '' when they are not mostly printable."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    printable = sum(ch.isprintable() or ch in "\n\t\r" for ch in text)
    return text if text and printable >= 0.9 * len(text) else ""


def base64_text(payload: str) -> str:
    """`payload` read as base64 (spaces and line breaks ignored, standard or URL alphabet)."""
    compact = re.sub(r"\s+", "", payload[:MAX_ENCODED]).strip("'\"")
    if len(compact) < 8:
        return ""
    compact = compact.replace("-", "+").replace("_", "/")
    compact += "=" * (-len(compact) % 4)
    try:
        return _text(binascii.a2b_base64(compact))
    except (binascii.Error, ValueError):
        return ""


def hex_text(payload: str) -> str:
    compact = re.sub(r"\s+|\\x|0x", "", payload[:MAX_ENCODED]).strip("'\"")
    try:
        return _text(binascii.unhexlify(compact))
    except (binascii.Error, ValueError):
        return ""


def any_encoding(payload: str) -> str:
    """The text of a payload in base64 or hex, whichever it decodes as."""
    payload = payload.strip().strip("'\"")
    if _HEX.fullmatch(re.sub(r"\s+", "", payload[:MAX_ENCODED])):
        return hex_text(payload) or base64_text(payload)
    return base64_text(payload)


def powershell_encoded(payload: str) -> str:
    """`-EncodedCommand` text: base64 of UTF-16LE."""
    compact = re.sub(r"\s+", "", payload[:MAX_ENCODED]).strip("'\"")
    compact += "=" * (-len(compact) % 4)
    try:
        raw = binascii.a2b_base64(compact)
    except (binascii.Error, ValueError):
        return ""
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        return ""
    return text if text and sum(ch.isprintable() for ch in text) >= 0.9 * len(text) else ""


def literals(code: str) -> list[str]:
    """Base64-looking string literals in program text, decoded (at most eight)."""
    out = []
    for match in _B64.finditer(code[:MAX_ENCODED]):
        text = base64_text(match.group())
        if text:
            out.append(text)
            if len(out) >= 8:
                break
    return out
