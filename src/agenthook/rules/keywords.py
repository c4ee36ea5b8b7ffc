"""Which prefilter keywords occur in a text, all of them in one pass.

Asking `keyword in text` for each of ~500 keywords reads a long line ~500
times; a hostile multi-megabyte line made that the largest cost of a scan.
Here the keywords form one trie-shaped pattern tried at every position (a
lookahead, so overlapping occurrences are all seen). At each position the
pattern takes the longest keyword starting there; every keyword contained in
that one is then present too, which the containment table adds back.
A few short texts, where a pass per keyword is cheap, are asked directly.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex equivalent to `w1|w2|...` that tries longer words first and shares prefixes."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class KeywordIndex:
    """Built cheaply: the one-pass pattern (~20 ms to compile) is compiled only
    when a long text, or the thousandth short one, needs it; a commit of a few
    short lines asks each keyword directly and never pays for it."""

    _SHORT = 4096
    _DIRECT_CALLS = 1000

    def __init__(self, keywords: Iterable[str]) -> None:
        self._words = tuple(sorted({k for k in keywords if k}))
        self._implied: dict[str, frozenset[str]] = {}
        self._direct_calls = 0

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile("(?=(" + _trie_pattern(self._words) + "))", re.DOTALL)

    def _contained(self, word: str) -> frozenset[str]:
        """The keywords inside `word`: present wherever it is."""
        if word not in self._implied:
            self._implied[word] = frozenset(k for k in self._words if k in word)
        return self._implied[word]

    def present(self, lowered: str) -> frozenset[str]:
        """The keywords occurring in `lowered` (already lower-cased, like the keywords)."""
        if len(lowered) < self._SHORT and self._direct_calls < self._DIRECT_CALLS:
            self._direct_calls += 1
            return frozenset(k for k in self._words if k in lowered)
        found: set[str] = set()
        for longest in set(self._pattern.findall(lowered)):
            found |= self._contained(longest)
        return frozenset(found)
