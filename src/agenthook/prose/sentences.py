"""An added line of instruction text as the sentences and bullets a model reads.

The intent grammar reads one sentence at a time, so that a warning in one
sentence excuses nothing in the next. Markup that a renderer hides but a model
reads through (list markers, emphasis, comment brackets, terminal escape
sequences) is taken away first; words are not changed.
"""
from __future__ import annotations

from collections.abc import Iterator

from agenthook import lazyre

# ECMA-48 control sequences (CSI, OSC, and two-character escapes), as 7-bit
# ESC forms and the 8-bit CSI/OSC bytes. A terminal acts on them and shows
# nothing: ESC[8m conceals what follows, cursor moves overwrite it.
ESCAPE = lazyre.compile(
    r"(?:\x1b\[|\x9b)[0-?]{0,64}[ -/]{0,8}[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]{0,1024}(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]{0,4}[0-~]?"
)
_LEAD = lazyre.compile(r"^\s{0,16}(?:>\s{0,4}){0,8}(?:#{1,6}\s+|(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?")
_MARKUP = lazyre.compile(r"<!--|-->|\*{1,3}|_{2,3}|~~|</?(?:b|i|em|strong|u|s|span|p|br|div|sub|sup)\s*/?>")
_SPACE = lazyre.compile(r"\s+")
BREAK = lazyre.compile(r"(?<=[.!?;])\s+(?=\S)|[。！？；]")

WINDOW = 1000  # a sentence longer than this is read in overlapping pieces
_OVERLAP = 200  # more than any frame spans (slots × gap)


def clean(text: str) -> str:
    """The words of `text` with escapes and markup taken away, whitespace
    collapsed, lower-cased: what the intent grammar matches on."""
    text = ESCAPE.sub(" ", text) if "\x1b" in text or "\x9b" in text or "\x9d" in text else text
    text = _LEAD.sub("", text, count=1)
    text = _MARKUP.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower().replace("’", "'")


def sentences(text: str) -> Iterator[str]:
    """The sentences of one cleaned line; a very long one in overlapping
    windows, each distinct window once (a line repeating a short unit repeats
    its windows), so the cost grows with the text, never faster."""
    seen: set[str] = set()
    start = 0
    for brk in BREAK.finditer(text):
        yield from _pieces(text[start:brk.start()], seen)
        start = brk.end()
    yield from _pieces(text[start:], seen)


def _pieces(sentence: str, seen: set[str]) -> Iterator[str]:
    sentence = sentence.strip()
    if not sentence:
        return
    if len(sentence) <= WINDOW:
        if sentence not in seen:
            seen.add(sentence)
            yield sentence
        return
    for begin in range(0, len(sentence), WINDOW - _OVERLAP):
        piece = sentence[begin:begin + WINDOW]
        if piece not in seen:
            seen.add(piece)
            yield piece
        if begin + WINDOW >= len(sentence):
            return
