"""Turn an added line into the text a model actually reads.

Invisible characters split keywords for a human reviewer and for naive matching
(`cu\u200brl` still reads as `curl` to a model), and Unicode tag characters carry
ASCII that a model reads but a reviewer cannot see. Matching runs on the result
of `normalize`, so that what is matched is what the model sees.
"""
from __future__ import annotations

import re
import unicodedata

# Format characters and fillers that render as nothing. Tag characters
# (U+E0000..U+E007F) are handled apart: they are decoded, not dropped.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0080-\U000e0fff]"
)
_TAGS = re.compile("[\U000e0000-\U000e007f]+")


def _decode_tags(match: re.Match[str]) -> str:
    return "".join(chr(ord(c) - 0xE0000) for c in match.group() if 0x20 <= ord(c) - 0xE0000 < 0x7F)


def normalize(text: str) -> str:
    """NFKC, tags decoded to the ASCII they smuggle, other invisibles removed."""
    if text.isascii():
        return text
    text = _TAGS.sub(_decode_tags, text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFKC", text)


def printable(text: str, limit: int = 300) -> str:
    """The line as a report shows it: control and invisible characters escaped,
    so that what the reviewer sees is everything that is there."""
    out = []
    for ch in text[:limit]:
        cp = ord(ch)
        if ch == "\t":
            out.append(ch)
        elif cp < 0x20 or cp == 0x7F or 0xD800 <= cp <= 0xDFFF:
            out.append(f"\\x{cp & 0xFF:02x}" if cp >= 0xD800 else f"\\x{cp:02x}")
        elif _INVISIBLE.match(ch) or _TAGS.match(ch):
            out.append(f"\\u{{{cp:04x}}}")
        else:
            out.append(ch)
    if len(text) > limit:
        out.append(f"… ({len(text) - limit} more characters)")
    return "".join(out)
