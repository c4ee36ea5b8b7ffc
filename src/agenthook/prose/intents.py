"""The intent grammar: data/intents.toml compiled into matchers over one sentence.

A lexicon is one pattern (a trie of its phrases, so a long list costs one pass);
a frame is a chain of lexicons, each found within a gap after the one before.
A frame is matched by walking each slot's occurrences once in order, so the
cost of a sentence grows with its length and the number of occurrences, never
with their combinations.
"""
from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from agenthook import context, tomlcache
from agenthook.rules.keywords import _trie_pattern

_DEFAULT_GAP = 80
_MAX_OCCURRENCES = 256  # of one lexicon in one sentence (a sentence is at most 1000 characters)
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_URL = re.compile(r"\bhttps?://[^\s<>()\[\]\"'`]{1,400}")


class Intent(NamedTuple):
    """One class of request: its rule, what it says in words, and its frames."""

    name: str
    rule: str
    says: str
    negatable: bool
    frames: tuple[tuple[str, ...], ...]
    gap: int
    unless: str  # a lexicon whose words inside the frame make it something else ("don't mention Claude")
    unless_next: str  # a lexicon whose word right after the frame redirects it ("don't tell the user to …")
    # (lexicon, lexicon): a sentence with words of the first and none of the
    # second is outside the intent ("make code changes without asking first"
    # is about edits the diff shows, not commands that run).
    scope: tuple[str, ...]
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]


class Reading(NamedTuple):
    """An intent found in a sentence, with the words that carry it."""

    intent: Intent
    words: str


_WORD = re.compile(r"\w+")


class Lexicon:
    """One lexicon: a pattern of its phrases (whole words; a trailing `*`
    takes any ending; text in scripts without spaces matches anywhere), and
    the words that must be in a sentence for the pattern to match there, so
    that a sentence is asked only about lexicons whose words it holds and a
    pattern is compiled only when a sentence could match it."""

    def __init__(self, entries: Sequence[str]) -> None:
        self._parts: tuple[list[str], ...] = ([], [], [], [])  # whole words, stems, open ends, unspaced
        whole, stems, open_end, unspaced = self._parts
        firsts, prefixes = set(), set()
        for entry in (e.lower() for e in entries):
            if _UNSPACED.search(entry):
                unspaced.append(entry.rstrip("*"))
                continue
            words = _WORD.findall(entry)
            if entry.endswith("*"):
                stems.append(entry[:-1])
                if len(words) == 1 and not entry[:-1].endswith(" "):
                    prefixes.add(words[0])
                else:
                    firsts.add(words[0])
            else:
                (whole if entry[-1:].isalnum() or entry.endswith("_") else open_end).append(entry)
                firsts.add(words[0])
        self.firsts = frozenset(firsts)
        self.prefixes = tuple(sorted(prefixes))
        self.unspaced = tuple(unspaced)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Built and compiled on first use: a commit's few sentences meet few
        lexicons, and building every trie cost more than the rest of a run."""
        whole, stems, open_end, unspaced = self._parts
        parts = []
        if whole:
            parts.append(rf"(?<!\w)(?:{_trie_pattern(whole)})(?!\w)")
        if stems:
            parts.append(rf"(?<!\w)(?:{_trie_pattern(stems)})\w*")
        if open_end:
            parts.append(rf"(?<!\w)(?:{_trie_pattern(open_end)})")
        if unspaced:
            parts.append(f"(?:{_trie_pattern(unspaced)})")
        return re.compile("|".join(parts) or r"(?!)")

    def may_match(self, words: frozenset[str], sentence: str) -> bool:
        """False only where the pattern cannot match: none of its first words,
        word prefixes or unspaced phrases is in the sentence."""
        if not self.firsts.isdisjoint(words):
            return True
        if self.prefixes and any(w.startswith(self.prefixes) for w in words):
            return True
        return bool(self.unspaced) and not sentence.isascii() and any(u in sentence for u in self.unspaced)

    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.search(text, *bounds)

    def match(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.match(text, *bounds)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)


class Grammar:
    """The lexicons and intents of data/intents.toml, compiled once."""

    def __init__(self, data: dict) -> None:
        self.lexicons = {name: Lexicon(entries) for name, entries in data.get("lexicon", {}).items()}
        self._post_negators = data["lexicon"].get("post_negators", [])
        self.intents = tuple(
            Intent(name=i["name"], rule=i["rule"], says=i["says"], negatable=i.get("negatable", True),
                   frames=tuple(tuple(f) for f in i["frames"]), gap=i.get("gap", _DEFAULT_GAP),
                   unless=i.get("unless", ""), unless_next=i.get("unless_next", ""), scope=tuple(i.get("scope", ())),
                   examples=tuple(i.get("examples", ())), counterexamples=tuple(i.get("counterexamples", ())))
            for i in data.get("intent", ()))
        for intent in self.intents:
            for frame in intent.frames:
                unknown = [slot for slot in frame if slot != "@url" and slot not in self.lexicons]
                if unknown:
                    raise ValueError(f"intent {intent.name}: unknown lexicon {unknown}")

    @functools.cached_property
    def post_negators(self) -> re.Pattern[str]:
        return re.compile(rf"^\W{{0,2}}(?:{_trie_pattern(self._post_negators)})")

    def _spans(self, name: str, sentence: str) -> list[tuple[int, int]]:
        if name == "@url":
            return [m.span() for m in _URL.finditer(sentence)
                    if not all(context.is_local_host(h) for h in context.hosts(m.group()) or ["localhost"])]
        spans = []
        for match in self.lexicons[name].finditer(sentence):
            spans.append(match.span())
            if len(spans) >= _MAX_OCCURRENCES:
                break
        return spans

    def _possible(self, frame: tuple[str, ...], words: frozenset[str], sentence: str) -> bool:
        return all(("://" in sentence) if name == "@url" else self.lexicons[name].may_match(words, sentence)
                   for name in frame)

    def _chain(self, frame: tuple[str, ...], gap: int, sentence: str,
               spans: dict[str, list[tuple[int, int]]]) -> tuple[int, int] | None:
        """The span (start of the first slot, end of the last) over which the
        frame's slots follow each other within `gap`, or None."""
        # reach: (end of the slot so far, start of the chain's first slot), sorted by end
        reach: list[tuple[int, int]] = []
        for position, name in enumerate(frame):
            if name not in spans:
                spans[name] = self._spans(name, sentence)
            found = spans[name]
            if not found:
                return None
            if position == 0:
                reach = sorted((end, start) for start, end in found)
                continue
            ends = [end for end, _ in reach]
            nxt: dict[int, int] = {}
            for start, end in found:
                # the chains ending at most `gap` before this occurrence starts
                low = bisect.bisect_left(ends, start - gap)
                high = bisect.bisect_right(ends, start)
                if low < high:
                    origin = max(origin for _, origin in reach[low:high])
                    nxt[end] = max(origin, nxt.get(end, origin))
            if not nxt:
                return None
            reach = sorted(nxt.items())
        # The tightest chain, reaching furthest: a negator before it is read
        # as negating it, and the words after it are what follows the act.
        end, origin = max(reach, key=lambda r: (r[1], r[0]))
        return origin, end

    def read(self, sentence: str) -> Iterator[Reading]:
        """Every intent the sentence (cleaned, see sentences.clean) expresses."""
        spans: dict[str, list[tuple[int, int]]] = {}
        describes: bool | None = None
        words = frozenset(_WORD.findall(sentence))
        for intent in self.intents:
            for frame in intent.frames:
                if not self._possible(frame, words, sentence):
                    continue
                found = self._chain(frame, intent.gap, sentence, spans)
                if found is None:
                    continue
                origin, end = found
                if intent.unless and self.lexicons[intent.unless].search(sentence, origin, end):
                    continue
                if intent.unless_next and self.lexicons[intent.unless_next].match(sentence, end + 1):
                    continue
                if intent.scope and self.lexicons[intent.scope[0]].search(sentence) and \
                        not self.lexicons[intent.scope[1]].search(sentence):
                    continue
                if intent.negatable and self._negated(sentence, origin, end):
                    continue
                if describes is None:
                    # A host name is no description: evil.attacker.io says nothing about the sentence.
                    describes = bool(self.lexicons["describes"].search(_URL.sub(" ", sentence)))
                if describes or _quoted(sentence, origin):
                    continue
                yield Reading(intent, sentence[origin:end])
                break

    def warns(self, text: str) -> bool:
        """A word of warning or negation anywhere in `text`."""
        return bool(self.lexicons["warns"].search(text) or self.lexicons["negators"].search(text))

    def _negated(self, sentence: str, origin: int, end: int) -> bool:
        return (self.lexicons["negators"].search(sentence, 0, origin) is not None
                or self.post_negators.search(sentence[end:end + 12]) is not None)


def _quoted(sentence: str, at: int) -> bool:
    """The act stands inside quotation marks: the sentence quotes it, as
    documentation of an attack does, rather than asking for it."""
    before = sentence[:at]
    if before[-1:] in ("'", "‘", "`"):
        return True
    return (before.count('"') % 2 == 1 or before.count("“") > before.count("”")
            or before.count("«") > before.count("»") or before.count("「") > before.count("」"))


@functools.lru_cache(maxsize=1)
def grammar() -> Grammar:
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "intents.toml")
    return Grammar(tomlcache.load([path], "intents")[0])
