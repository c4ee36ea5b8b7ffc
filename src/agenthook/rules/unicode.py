"""Hidden content: what an agent reads in a file but a reviewer does not see.

Two kinds. Characters that render as nothing or reorder what renders: Unicode
tag characters (ASCII smuggled invisibly), bidirectional controls, zero-width
and other invisible format characters, runs of variation selectors, and a
carriage return in the middle of a line (a terminal overwrites what precedes
it). And HTML comments, which rendered Markdown hides but agents read.

Legitimate text uses some of these characters, so each is judged by its
neighbours: a zero-width joiner between two emoji builds one emoji, a
zero-width non-joiner in Persian or Hindi shapes a word, tag characters after
a black flag spell a subdivision flag. Each verdict says where the character
is and shows the line around it escaped, so the reviewer sees what was
invisible.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from agenthook import lazyre
from agenthook.model import Severity
from agenthook.normalize import normalize, printable

Verdict = tuple[Severity | None, str]

_TAG_RUN = lazyre.compile("[\U000e0000-\U000e007f]+")
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
_BIDI_OVERRIDES = lazyre.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_MARKS = lazyre.compile("[\u200e\u200f\u061c]")
_RTL = lazyre.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_KEYCAP = "\u20e3"
_VS16 = "\ufe0f"
_SNIPPET = 24
_REACH = 600  # characters either side of hidden ones that a rule match can involve
_MAX_STRETCHES = 8
_MAX_STRETCH = 8192
_MAX_HITS = 256


_JOINING_SCRIPT = lazyre.compile(  # words that use ZWJ/ZWNJ to control letter joining: Arabic, Persian, Indic, ...
    "[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefc\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\ua8e0-\ua8ff"
    "\U00011000-\U000111ff]")
_WORD_BREAK_SCRIPT = lazyre.compile(  # scripts written without spaces, where ZWSP marks word boundaries
    "[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u1950-\u19df\u1a20-\u1aaf]")
_EMOJI = lazyre.compile(  # a code point that is, or continues, an emoji (skin tones, VS16 and keycaps included)
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u2190-\u21ff\ufe0f\u20e3]")
_IDEOGRAPH = lazyre.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_HANGUL_JAMO = lazyre.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")
_MONGOLIAN = lazyre.compile("[\u1800-\u18af]")
_KHMER = lazyre.compile("[\u1780-\u17ff]")


def _is(pattern: re.Pattern[str], ch: str) -> bool:
    return bool(ch) and pattern.match(ch) is not None


def _emoji(ch: str) -> bool:
    return _is(_EMOJI, ch) or bool(ch) and unicodedata.category(ch) == "So"


def _at(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


class Hit(NamedTuple):
    """One hidden character (or run of tag characters) and where it is."""

    column: int  # 0-based index into the line
    chars: str

    def describe(self, text: str) -> str:
        first = self.chars[0]
        name = unicodedata.name(first, "unnamed character").lower()
        start = max(0, self.column - _SNIPPET)
        end = self.column + len(self.chars) + _SNIPPET
        snippet = printable(text[start:end], limit=4 * _SNIPPET + 16 * len(self.chars))
        return f"U+{ord(first):04X} ({name}) at column {self.column + 1}: `{snippet}`"


def _summary(hits: list[Hit], text: str, what: str) -> str:
    more = f" (and {len(hits) - 1}{'+' if len(hits) == _MAX_HITS else ''} more)" if len(hits) > 1 else ""
    return f"{what}: {hits[0].describe(text)}{more}."


def _flag_sequence(text: str, start: int, run: str) -> bool:
    """🏴 + tag letters/digits + CANCEL TAG: a subdivision flag such as Scotland."""
    body = run[:-1]
    return (_at(text, start - 1) == _BLACK_FLAG and run.endswith(_CANCEL_TAG) and 1 <= len(body) <= 7
            and all(0xE0030 <= ord(c) <= 0xE0039 or 0xE0061 <= ord(c) <= 0xE007A for c in body))


def tag_hits(text: str) -> list[Hit]:
    return [Hit(m.start(), m.group()) for m in _TAG_RUN.finditer(text)
            if not _flag_sequence(text, m.start(), m.group())]


def tag_characters(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Tag characters outside emoji flags carry ASCII that only the model reads."""
    hits = tag_hits(text)
    if not hits:
        return None
    smuggled = "".join(normalize(h.chars) for h in hits).strip()
    column = hits[0].column + 1
    return None, (f"Invisible Unicode tag characters at column {column} spell out "
                  f"`{printable(smuggled, limit=200)}`.")


def bidi_controls(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Overrides and isolates reorder what displays; a stray direction mark in a
    line with no right-to-left text has no typographic purpose."""
    overrides = [Hit(m.start(), m.group()) for m in _BIDI_OVERRIDES.finditer(text)]
    if overrides:
        return Severity.CRITICAL, _summary(overrides, text, "A bidirectional control reorders how the line displays")
    marks = [Hit(m.start(), m.group()) for m in _BIDI_MARKS.finditer(text)]
    if marks and not _RTL.search(text):
        return Severity.MEDIUM, _summary(marks, text, "A direction mark in a line with no right-to-left text")
    return None


def _invisible_allowed(text: str, i: int) -> bool:
    """Whether the invisible character at `i` does legitimate typographic work here."""
    ch, prev, nxt = text[i], _at(text, i - 1), _at(text, i + 1)
    if ch == "\u200b":
        return _is(_WORD_BREAK_SCRIPT, prev) or _is(_WORD_BREAK_SCRIPT, nxt)
    if ch == "\u200c":
        return _is(_JOINING_SCRIPT, prev)
    if ch == "\u200d":
        return (_emoji(prev) and _emoji(nxt)) or _is(_JOINING_SCRIPT, prev)
    if ch == "\ufeff":
        return i == 0  # a byte-order mark opening the file (or a line) splits nothing
    if ch == "\u00ad":
        return not (prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha())
    if ch in "\u115f\u1160":
        return _is(_HANGUL_JAMO, prev) or _is(_HANGUL_JAMO, nxt)
    if ch in "\u180b\u180c\u180d\u180e\u180f":
        return _is(_MONGOLIAN, prev)
    if ch in "\u17b4\u17b5":
        return _is(_KHMER, prev)
    if ch == "\u034f":
        return not (prev.isascii() or nxt.isascii())
    return False


_INVISIBLE = lazyre.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164"
    "\ufeff\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0080-\U000e00ff\U000e01f0-\U000e0fff]"
)


def _first_hits(pattern: re.Pattern[str], allowed: Callable[[str, int], bool], text: str) -> list[Hit]:
    """Up to `_MAX_HITS` matches of `pattern` that `allowed` does not excuse:
    a line with that many is reported either way, and a hostile one costs no more."""
    hits = []
    for m in pattern.finditer(text):
        if not allowed(text, m.start()):
            hits.append(Hit(m.start(), m.group()))
            if len(hits) == _MAX_HITS:
                break
    return hits


@functools.lru_cache(maxsize=8)
def invisible_hits(text: str) -> list[Hit]:
    """(Cached: the character checks and the meaning check all read the same line.)"""
    return _first_hits(_INVISIBLE, _invisible_allowed, text)


def invisible_characters(match: re.Match[str] | None, text: str) -> Verdict | None:
    hits = invisible_hits(text)
    if not hits:
        return None
    return None, _summary(hits, text, "An invisible character hides inside the text")


_SELECTOR = lazyre.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _selector_allowed(text: str, i: int) -> bool:
    prev, nxt = _at(text, i - 1), _at(text, i + 1)
    if not prev or _SELECTOR.match(prev):
        return False  # a selector with nothing to select, or one of a run: a data channel
    if text[i] >= "\U000e0100":
        return _is(_IDEOGRAPH, prev)  # ideographic variation sequences (CJK glyph variants)
    if prev.isascii():
        return prev in "0123456789#*" and nxt == _KEYCAP  # keycap emoji 1️⃣
    return True


@functools.lru_cache(maxsize=8)
def selector_hits(text: str) -> list[Hit]:
    return _first_hits(_SELECTOR, _selector_allowed, text)


def variation_selectors(match: re.Match[str] | None, text: str) -> Verdict | None:
    hits = selector_hits(text)
    if not hits:
        return None
    return None, _summary(hits, text, f"{len(hits)} variation selector(s) with no glyph to vary, a known way to "
                                      "encode hidden bytes")


def carriage_return(match: re.Match[str] | None, text: str) -> Verdict | None:
    """A CR inside a line sends a terminal's cursor back to column one: what
    follows overprints what precedes, in `cat`, `git diff` and `git log -p`."""
    body = text.rstrip("\r")
    i = body.find("\r")
    if i < 0:
        return None
    shown = printable(body[max(0, i - _SNIPPET):i + _SNIPPET], limit=4 * _SNIPPET)
    return None, f"A carriage return at column {i + 1} lets a terminal print over the text before it: `{shown}`."


def hidden_hits(text: str) -> list[Hit]:
    """The characters the checks above report that can hide or change words
    (everything but a carriage return, which hides a line from a terminal but
    changes no word in it), in line order."""
    if text.isascii():
        return []
    hits = tag_hits(text) + invisible_hits(text) + selector_hits(text)
    hits += [Hit(m.start(), m.group()) for m in _BIDI_OVERRIDES.finditer(text)]
    return sorted(hits, key=lambda h: h.column)


def _other_rules(text: str, shown: str | None = None) -> list[tuple[str, str]]:
    """(rule id, matched text) of the text rules outside hidden-content, at
    medium severity or above, that match `text` as the model reads it; with
    `shown`, only those that do not also match what a reviewer, or a keyword
    search, sees there."""
    from agenthook import engine, rules  # noqa: PLC0415 - engine imports this module through the check table
    from agenthook.targets import INSTRUCTIONS  # noqa: PLC0415

    candidates = [t for t in rules.load().text_rules_for(INSTRUCTIONS) if t.rule.category != "hidden-content"]
    found = [(r.id, matched) for r, severity, _, matched in engine.match_unit(engine.Unit.of(0, text), candidates, rules.load().keywords)
             if severity >= Severity.MEDIUM]
    if shown is None or not found:
        return found
    ids = {rule_id for rule_id, _ in found}
    seen = engine.Unit(0, shown, unicodedata.normalize("NFKC", shown))
    visible = {r.id for r, *_ in engine.match_unit(seen, [t for t in candidates if t.rule.id in ids], rules.load().keywords)}
    return [(rule_id, matched) for rule_id, matched in found if rule_id not in visible]


def _stretches(text: str, hits: list[Hit]) -> Iterator[str]:
    """The text around groups of nearby hidden characters, at most a few
    stretches of bounded length: rules match locally, so only text near hidden
    characters can change meaning, and a line dense with them is reported by
    the character rules whatever it says."""
    groups: list[list[int]] = []
    for hit in hits:
        end = hit.column + len(hit.chars)
        if groups and hit.column - groups[-1][1] <= 2 * _REACH:
            groups[-1][1] = end
        elif len(groups) == _MAX_STRETCHES:
            break
        else:
            groups.append([hit.column, end])
    for start, end in groups:
        yield text[max(0, start - _REACH):min(end + _REACH, start + _MAX_STRETCH)]


def hidden_meaning(match: re.Match[str] | None, text: str) -> Verdict | None:
    """Hidden characters that change what the line says: the model reads a
    command or directive that the displayed line does not show."""
    hits = hidden_hits(text)
    for around in _stretches(text, hits):
        changed = _other_rules(around, shown=_TAG_RUN.sub("", around))  # tags render as nothing; others split words
        if changed:
            rule_id, matched = changed[0]
            return None, (f"With its hidden characters resolved the line reads `{printable(matched, limit=160)}`, "
                          f"which {rule_id} flags; the displayed line does not show it. {hits[0].describe(text)}.")
    return None


# --- HTML comments ---------------------------------------------------------------------------------------

_FENCE = lazyre.compile(r"^\s{0,3}(?:```|~~~)")
_OPEN, _CLOSE = "<!--", "-->"
_CODE_SPAN = lazyre.compile(r"`+[^`\n]*`+")
# A link reference definition renders as nothing: `[//]: # (…)` by convention, and any label whose
# destination is empty (`<>`) or a bare `#` followed by a title; `[x]: #anchor` is an ordinary link.
_LINK_COMMENT = lazyre.compile(
    r"^\s{0,3}\[(?://|comment|_|[^\]\n]{1,40}(?=\]:\s*(?:<>|#\s)))\]:\s*(?:#|<>)\s*[(\"']?(.*?)[)\"']?\s*$",
    re.IGNORECASE)
_NAMED = (r"(?:claude|copilot|cursor|gemini|codex|chatgpt|gpt-?\d[\w.-]*|windsurf|cascade|cline|aider|devin|junie"
          r"|kiro|amazon\s+q|jules|openhands)")
_GENERIC = r"(?:(?:the\s+)?(?:ai|assistant|agent|llm)s?|ai\s+(?:agents?|assistants?|models?)|language\s+models?)"
_ADDRESSED = lazyre.compile(
    rf"\b(?:note|message|instructions?|reminder|directive|hint|memo)s?\s+(?:for|to)\s+(?:the\s+)?"
    rf"(?:{_NAMED}|{_GENERIC})(?:\s+only)?\s*[:\-—]"
    rf"|^[\s(\"'*_-]*(?:hey\s+|dear\s+|attention\s+|to\s+|for\s+)?(?:any\s+|all\s+|every\s+)?"
    rf"(?:{_NAMED}|{_GENERIC})(?:\s+reading\s+this(?:\s+file)?)?\s*[:,]"
    rf"|\bif\s+you\s+are\s+(?:an?\s+)?(?:{_NAMED}|{_GENERIC}|model)\b"
    rf"|\b(?:{_NAMED}|{_GENERIC})\s+(?:must|should|shall|needs?\s+to|has\s+to|have\s+to|will\s+always)\b"
    r"|\byou\s+(?:must|should|shall|will\s+(?:always|now)|need\s+to|have\s+to|are\s+(?:to|required|instructed))\b"
    r"|\b(?:ignore|disregard)\s+(?:all|any|the|previous|prior|above|earlier|other|your)\b"
    r"|\byour\s+(?:explanations?|summar(?:y|ies)|responses?|answers?|output|replies|reply|instructions|task)\b"
    r"|\b(?:do\s+not|don'?t|never|without)\s+(?:tell|telling|mention|mentioning|reveal|revealing|inform|informing)\b"
    r"|\b(?:leave|keep)\s+(?:this|it|that|them)\s+out\s+of\b"
    # directives about the code or messages the agent produces
    r"|\bwhen(?:ever)?\s+(?:you\s+)?(?:generat|writ|creat|edit|produc|modif|implement|build|add)\w*\s+(?:\w+\s+){0,3}?"
    r"(?:code|html|pages?|components?|routes?|endpoints?|clients?|functions?|files?|tests?|responses?|answers?|commits?"
    r"|prs?|pull\s+requests?)\b"
    # sending data out, or planting remote code, is addressed to whoever executes it
    r"|\b(?:send|forward|post|upload|exfiltrate|transmit|beacon)\b[^.\n]{0,80}?\bto\s+(?:https?://|[\w-]+\.[\w.-]+/)"
    r"|\b(?:include|insert|inject|embed|load)\b[^.\n]{0,60}?\b(?:script|snippet|tracker|tracking|pixel|beacon|iframe"
    r"|analytics)\b[^.\n]{0,60}?https?://",
    re.IGNORECASE,
)
_ACTION = lazyre.compile(
    r"https?://|\b(?:curl|wget|bash|zsh|sudo|chmod|eval|exec|npx|uvx|powershell|iex|base64|netcat|ncat|scp|rsync"
    r"|ssh)\b|\brm\s+-|\bsh\s+-c\b|\|\s*(?:ba|z)?sh\b"
    r"|(?:^|[.:;!]\s+|\b(?:also|then|and|always)\s+)(?:run|execute|send|upload|forward|post|add|insert|include|inject"
    r"|append|fetch|download|install|delete|remove|copy|write|replace|modify|call|open|print|push|commit|share"
    r"|paste|put|save|move|disable|skip|leave|omit|hide|tell|say|answer|reply)\b",
    re.IGNORECASE,
)
# Comments that talk to tools or maintainers, not to agents: linters,
# formatters, generators, licence headers, agenthook's own inline allowances,
# TODO notes.
_DIRECTIVE = lazyre.compile(
    r"^\s*(?:markdownlint|prettier|eslint|textlint|cspell|spell-?checker|vale|mdformat|remark|lint|agenthook"
    r"|/?toc|omit\s+in\s+toc|more|end|start|begin|all-contributors|badge|spdx|copyright|license|@format"
    r"|@prettier|vibe-tools|stackedit|region|endregion|#region|#endregion|todo|fixme|xxx)\b",
    re.IGNORECASE,
)


class _Comments(NamedTuple):
    """Where the HTML comments of one file are: for each line, the text of it
    inside a comment and which comment that is; for each comment, its pieces
    (one per line), normalized."""

    parts: dict[int, tuple[int, str]]
    pieces: dict[int, list[str]]

    def addressed(self, comment: int) -> bool:
        """Whether the comment speaks to the agent, on one of its lines or across them."""
        pieces = self.pieces.get(comment, [])
        return any(_ADDRESSED.search(p) for p in pieces) or bool(_ADDRESSED.search(" ".join(pieces)[:4000]))

    def acts(self, comment: int) -> bool:
        """Whether one of the comment's lines holds a command, a link or an imperative."""
        return any(_ACTION.search(p) for p in self.pieces.get(comment, []))


def _segments(line: str, inside: bool) -> tuple[list[tuple[bool, str]], bool]:
    """The pieces of `line` inside comments, each with whether it opens a new
    comment, and whether a comment is still open at the end of the line.
    Markers inside inline code (`` `<!--` ``) are text, not markers."""
    masked = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line) if "`" in line else line
    pieces: list[tuple[bool, str]] = []
    pos, new = 0, False
    while True:
        if inside:
            end = masked.find(_CLOSE, pos)
            pieces.append((new, line[pos:] if end < 0 else line[pos:end]))
            if end < 0:
                return pieces, True
            pos, inside = end + len(_CLOSE), False
        else:
            start = masked.find(_OPEN, pos)
            if start < 0:
                return pieces, False
            pos, inside, new = start + len(_OPEN), True, True


def _comments(lines: Mapping[int, str]) -> _Comments:
    """One forward pass over the known lines. Fenced code shows comments
    verbatim, so nothing is hidden there; a gap in the known lines (a patch
    shows only context around its hunks) resets what is known."""
    parts: dict[int, tuple[int, str]] = {}
    pieces: dict[int, list[str]] = {}
    in_fence = inside = False
    current, previous = 0, None
    for number in sorted(lines):
        line = lines[number]
        if previous is not None and number != previous + 1:
            in_fence = inside = False
        previous = number
        if not inside and _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        link = None if inside else _LINK_COMMENT.match(line)
        found, inside = ([(True, link.group(1))], False) if link else _segments(line, inside)
        for new, piece in found:
            current += new
            pieces.setdefault(current, []).append(normalize(piece).strip())
        if found:
            parts[number] = (current, " ".join(p for _, p in found))
    return _Comments(parts, pieces)


_cache: tuple[Mapping[int, str], _Comments] | None = None


def _comments_of(lines: Mapping[int, str]) -> _Comments:
    """The comment map of the file these lines belong to, built once per file:
    the engine checks a file's units one after another, all sharing one mapping."""
    global _cache  # noqa: PLW0603 - a one-entry cache keyed on the identity of the mapping
    if _cache is None or _cache[0] is not lines:
        _cache = (lines, _comments(lines))
    return _cache[1]


def html_comment(text: str, lines: Mapping[int, str], number: int) -> Verdict | None:
    """Text inside an HTML comment that speaks to the agent or tells it to act.

    Rendered Markdown hides comments, so a reviewer reading the page sees none
    of it, while agents read the raw file. Severity follows what the comment
    holds: something another rule flags, or a directive addressed to the agent
    with an action in it, is high; an address alone is medium; a bare command
    or link is low. Tool directives and maintainers' notes are left alone."""
    comments = _comments_of(lines)
    entry = comments.parts.get(number)
    if entry is None:
        return None
    comment, raw_here = entry
    here = normalize(raw_here).strip()
    if not here:
        return None
    shown = printable(here, limit=160)
    flagged = _other_rules(here[:_MAX_STRETCH])
    if flagged:
        rule_id, matched = flagged[0]
        return Severity.HIGH, (f"An HTML comment, invisible in rendered Markdown, holds `{printable(matched, 120)}`, "
                               f"which {rule_id} flags.")
    from agenthook import prose  # noqa: PLC0415 - the intent grammar loads only where a comment is

    for rule_id, says, words in prose.read_line(here[:_MAX_STRETCH]):
        return Severity.HIGH, (f"An HTML comment, invisible in rendered Markdown, asks the agent "
                               f"`{printable(words, 120)}`: {says[0].lower()}{says[1:]} ({rule_id}).")
    addressed_here, action_here = _ADDRESSED.search(here), _ACTION.search(here)
    if comments.addressed(comment) and comments.acts(comment) and (addressed_here or action_here):
        return Severity.HIGH, f"An HTML comment, invisible in rendered Markdown, directs the agent: `{shown}`."
    if addressed_here:
        return Severity.MEDIUM, f"An HTML comment, invisible in rendered Markdown, addresses the agent: `{shown}`."
    if action_here and not _DIRECTIVE.match(" ".join(comments.pieces.get(comment, []))):
        return Severity.LOW, f"An HTML comment, invisible in rendered Markdown, holds a command or link: `{shown}`."
    return None


# What a terminal does with an ECMA-48 sequence, by its final byte (CSI) or kind.
_CONCEAL = lazyre.compile(r"^(?:\x1b\[|\x9b)(?:[0-9;]*;)?(?:8|30;40|37;47|90;100)(?:;[0-9;]*)?m$")
_CURSOR = lazyre.compile(r"^(?:\x1b\[|\x9b)[0-9;?]*[ABCDEFGHJKSTfdsu]$|^\x1b[78DEM]$")


def terminal_escapes(match: re.Match[str] | None, text: str) -> Verdict | None:
    """ECMA-48 escape sequences. `cat`, `git diff` and `git log -p` pass them
    to the terminal, which acts on them and shows nothing: ESC[8m conceals the
    text after it, cursor moves and erases print over it. The model reads every
    character, so the line says one thing to the reviewer and another to the agent."""
    if "\x1b" not in text and "\x9b" not in text and "\x9d" not in text:
        return None
    from agenthook.prose.sentences import ESCAPE  # noqa: PLC0415 - the one table of sequences

    found = [m.group() for m in ESCAPE.finditer(text)][:_MAX_HITS]
    if not found:
        return None
    conceal = any(_CONCEAL.match(f) for f in found)
    cursor = any(_CURSOR.match(f) for f in found)
    hidden = ESCAPE.sub("", text).strip()
    what = ("conceals the text after it" if conceal else "moves the cursor to print over text" if cursor
            else "is acted on by a terminal and not shown")
    return (Severity.CRITICAL if conceal or cursor else None,
            f"A terminal escape sequence (`{printable(found[0], 40)}`) {what}; the line as the agent reads it: "
            f"`{printable(hidden, 160)}`.")


RAW_CHECKS: dict[str, Callable[[re.Match[str] | None, str], Verdict | None]] = {
    "tag-characters": tag_characters,
    "bidi-controls": bidi_controls,
    "invisible-characters": invisible_characters,
    "variation-selectors": variation_selectors,
    "carriage-return": carriage_return,
    "hidden-meaning": hidden_meaning,
    "terminal-escapes": terminal_escapes,
}
# Checks that can only find something in text with a non-ASCII character:
# an ASCII line, nearly every line, skips them.
NON_ASCII_ONLY = frozenset({"tag-characters", "bidi-controls", "invisible-characters", "variation-selectors",
                            "hidden-meaning"})
CONTEXT_CHECKS: dict[str, Callable[[str, Mapping[int, str], int], Verdict | None]] = {
    "html-comment": html_comment,
}
