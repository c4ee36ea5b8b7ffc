"""Turn an added line into the text a model actually reads.

Invisible characters split keywords for a human reviewer and for naive matching
(`cu\u200brl` still reads as `curl` to a model), and Unicode tag characters carry
ASCII that a model reads but a reviewer cannot see. Matching runs on the result
of `normalize`, so that what is matched is what the model sees.
"""
from __future__ import annotations

import unicodedata

from agenthook import lazyre

# Format characters and fillers that render as nothing. Tag characters
# (U+E0000..U+E007F) are decoded to the ASCII they stand for, not dropped.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0080, 0xE0FFF),
)
_INVISIBLE = lazyre.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _INVISIBLE_RANGES) + "]")
_TAGS = lazyre.compile("[\U000e0000-\U000e007f]")
_TABLE: dict[int, str | None] = {cp: None for a, b in _INVISIBLE_RANGES for cp in range(a, b + 1)}
_TABLE.update({cp: (chr(cp - 0xE0000) if 0x20 <= cp - 0xE0000 < 0x7F else None) for cp in range(0xE0000, 0xE0080)})


def normalize(text: str) -> str:
    """NFKC, tags decoded to the ASCII they smuggle, other invisibles removed."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text.translate(_TABLE))


_WORD_BREAKS = lazyre.compile(r"([\s`]+)")
_ESCAPED_LETTER = lazyre.compile(r"\\(?=[\w-])")
# A shell word of a command name or option: code (`exec(open('x'))`) is left as written.
# A quote with shell-word characters on both sides (not code punctuation: `open('x')`).
_INNER_QUOTE = lazyre.compile(r"(?<=[\w.,:/@=+~%\\-])['\"](?=[\w.,:/@=+~%\\-])")
_PLAIN_WORD = lazyre.compile(r"[\w.,:/@=+~%'\"\\-]+")


def unquoted(text: str) -> str:
    """The text with shell quoting undone inside each word: a shell runs
    `c'u'rl`, `"curl"` and `cu\\rl` as `curl`, and so does an agent asked to
    run them. A word with an unpaired quote (`don't`), or with code
    punctuation (`open('x')`), is left as written, unless quotes inside its
    words pair up with quotes inside the next.
    Words are found by splitting, never by a pattern that could backtrack."""
    if "'" not in text and '"' not in text and "\\" not in text:
        return text
    parts = _WORD_BREAKS.split(text)
    for i in range(0, len(parts), 2):
        word = parts[i]
        if (("'" in word or '"' in word or "\\" in word) and not (word.count("'") % 2 or word.count('"') % 2)
                and _PLAIN_WORD.fullmatch(word)):
            parts[i] = _ESCAPED_LETTER.sub("", word.replace("'", "").replace('"', ""))
    text = "".join(parts)
    # A quote can also open inside one word and close inside the next
    # (`c"url -"k`): quotes of a kind that stand inside words, with text on
    # both sides, go when they pair up. Quotes around words ("ignore previous
    # instructions") are prose quotation and stay.
    for quote in ("'", '"'):
        inner = [m.start() for m in _INNER_QUOTE.finditer(text) if m.group() == quote]
        if inner and len(inner) % 2 == 0:
            drop = set(inner)
            text = "".join(ch for i, ch in enumerate(text) if i not in drop)
    return text


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
