"""The command model: one reading of what a command does, wherever a command
reaches an agent.

`shell` splits text into simple commands as a shell would, `decode` undoes
encodings a command undoes before running its payload, `inline` reads
interpreter one-liners, and `effects` looks each program up in
`data/programs.toml`. `in_text` finds the commands in a line of an
instruction file (code spans, a line of a fenced block, prose that names a
program) and returns their effects with where each command starts, so that
negation can be read for that command alone.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from agenthook import lazyre
from agenthook.commands.effects import Effect, judge_text, table
from agenthook.commands.shell import Env, parse

__all__ = ["Budget", "Effect", "Env", "Found", "file_env", "in_text", "judge_text"]

_SPAN = lazyre.compile(r"(`{1,3})([^`\n]{1,4000}?)\1")
_WORD = lazyre.compile(r"[\w./$'\"\\-]{1,64}")
# Where a command named in prose ends: the sentence, a span, a dash or
# parenthesis of prose, or a conjunction that goes on in words ("run X and
# then retry", "run X before you commit").
_SENTENCE_END = lazyre.compile(
    r"(?<=[^\s.])[.!?,](?=\s+\w|\s*$)|`|\s--?\s(?=[a-z]{2,}\b(?![-=/:@]|\.\w))|\s\((?=[a-z]+\b)"
    r"|\s(?:and|then|before|after|until|unless|when|whenever|if|so|or|but|once|because|while|whenever|to|from"
    r"|for|on|in|with|every|each|first|again|instead)\s(?=[a-z]{2,}\b(?![-=/:@]|\.\w))")
_DEFINES = lazyre.compile(r"^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]{0,63}=\S|^\s*alias\s+\S{1,64}=|/etc/hosts\b")
_PROMPT = lazyre.compile(r"^\s*(?:\$|>|#|PS>|PS [^>]{0,200}>)\s+(?=\S)")
MAX_UNIT = 16384  # characters of one line read for commands per window
_PROSE_REACH = 600  # characters of prose after a program's name read as its command


class Budget:
    """Characters of commands the model may still judge in one file. Its cost
    per character is far above a pattern's; a file that holds more than the
    budget is reported as unread from the line where it ran out, not judged
    at any cost nor passed."""

    __slots__ = ("left", "exhausted", "reported")

    def __init__(self, characters: int) -> None:
        self.left = characters
        self.exhausted = False  # a segment was left unjudged
        self.reported = False  # and the caller has said so

    def take(self, characters: int) -> bool:
        """Spend `characters` if that many are left; else mark the budget
        exhausted, for good: nothing after the first unread segment is read."""
        if self.exhausted or characters > self.left:
            self.exhausted = True
            return False
        self.left -= characters
        return True


class Found(NamedTuple):
    """An effect of a command found in a line, and where that command starts."""

    effect: Effect
    start: int
    text: str


@functools.lru_cache(maxsize=1)
def _programs() -> frozenset[str]:
    """Program names that start a command worth reading in prose."""
    t = table()
    names: set[str] = set()
    for group in ("wrappers", "interpreters", "http", "stream", "copy"):
        names.update(k.split()[0] for k in t[group])
    for group in (t["destroy"]["commands"], t["privilege"]["commands"], t["credentials"]["printers"]):
        names.update(k.split()[0] for k in group)
    names.update(t["resolve"]["programs"])
    names.update(t["fetchers"]["programs"])
    names.update(t["decoders"])
    names.update(k.split()[0] for k in t["runners"])
    names.update(c.split()[0] for c in t["credentials"]["env_dumps"]["commands"])
    names.update(("rm", "dd", "shred", "find", "git", "chmod", "cat", "tar", "echo", "printf", "tee", "crontab",
                  "mkfs", "Remove-Item", "rd", "psql", "mysql", "redis-cli", "mongo", "mongosh", "sqlite3"))
    names.difference_update(_PLAIN_WORDS)
    return frozenset(names)


# A span that opens its sentence and is its subject ("`X` is only run by CI",
# "`X` deletes the volume") is spoken of, not asked for.
_SPOKEN_OF = lazyre.compile(r"\s+(?:is|are|was|were|has|have|only|never|gets|runs|deletes|removes|destroys|drops"
                            r"|wipes|prints|sends|would|will\s+(?:delete|remove|destroy|wipe))\b", re.IGNORECASE)
_SENTENCE_START = lazyre.compile(r"(?:^|[.!?:]\s+|^\s*(?:[-*+]|\d+[.)])\s+|\|\s*)$")

# Program names that are also everyday words: in prose they start a command
# only right after a verb that says to run one ("run env", "execute set").
_PLAIN_WORDS = frozenset(("set", "env", "host", ".", "format", "time", "command", "type", "watch", "source", "go"))
_RUN_VERB = lazyre.compile(r"\b(?:run|execute|type|enter|call)\s+`?$", re.IGNORECASE)


def file_env(lines: Mapping[int, str]) -> Env:
    """Variables and aliases that the file's lines define, read in order."""
    env = Env()
    for number in sorted(lines):
        line = lines[number]
        if _DEFINES.match(line):
            stripped = line.strip().strip("`")
            parse(stripped[:MAX_UNIT], env)
    return env


def _segments(text: str, whole: bool) -> Iterator[tuple[int, str]]:
    """The pieces of a line that may be commands, with their offsets: the
    whole line in code, else code spans and prose from a program's name to
    the end of its sentence."""
    if whole:
        prompt = _PROMPT.match(text)
        yield (prompt.end() if prompt else 0), text[prompt.end() if prompt else 0:]
        return
    spans: list[tuple[int, int]] = []
    for match in _SPAN.finditer(text):
        spans.append(match.span())
        inner = match.group(2)
        if inner.strip() in _PLAIN_WORDS and not _RUN_VERB.search(text, max(0, match.start() - 12), match.start()):
            continue  # "the `env` section": a name, not a command
        if _SPOKEN_OF.match(text, match.end()) and _SENTENCE_START.search(text, max(0, match.start() - 8),
                                                                          match.start()):
            continue  # "`terraform destroy` is only run by CI": the sentence speaks of the command
        prompt = _PROMPT.match(inner)
        yield match.start(2) + (prompt.end() if prompt else 0), inner[prompt.end() if prompt else 0:]
    programs = _programs()
    last_stop, span_at = 0, 0
    for match in _WORD.finditer(text):
        start = match.start()
        while span_at < len(spans) and spans[span_at][1] <= start:
            span_at += 1
        if start < last_stop or (span_at < len(spans) and spans[span_at][0] <= start):
            continue
        word = match.group().strip("'\"")
        word = word if word in programs else word.lower()
        head, dot, tail = word.rpartition(".")
        if dot and head.isalpha() and tail in programs:  # "Notes.curl -k …": a sentence run into a command
            start, word = start + len(head) + 1, tail
        if word not in programs and word.rsplit("/", 1)[-1] not in programs and not (
                word in _PLAIN_WORDS and _RUN_VERB.search(text, max(0, start - 12), start)):
            continue
        if start and text[start - 1] not in " \t:>=([{*_\"'." or text.startswith(":", match.end()):
            continue
        lead = _lead(text, start, last_stop)
        if lead < start:
            start = lead  # `zip -qr - . | ssh host …`: the pipeline feeding the program is part of its command
        end = _SENTENCE_END.search(text, match.end(), match.end() + _PROSE_REACH)
        last_stop = end.start() if end else min(len(text), match.end() + _PROSE_REACH)
        yield start, text[start:last_stop]


_LEAD_BREAK = lazyre.compile(r"(?:^|[.!?:;]\s(?!\s*\|)|`|\(|\b(?:run|use|execute|with|try)\s)")


def _lead(text: str, start: int, floor: int) -> int:
    """Where the pipeline ending at the program named at `start` begins: the
    start of its sentence when a `|` (or `<(`) stands between, else `start`."""
    low = max(floor, start - _PROSE_REACH)
    before = text[low:start]
    if "|" not in before and "<(" not in before:
        return start
    breaks = [m.end() for m in _LEAD_BREAK.finditer(before)]
    begin = low + (breaks[-1] if breaks else 0)
    list_marker = _PROMPT.match(text, begin) if begin == 0 else None
    return list_marker.end() if list_marker else begin


def in_text(text: str, env: Env, whole: bool, budget: Budget | None = None) -> list[Found]:
    """The effects of every command in `text`, as far as `budget` lets the
    model read (a segment judged before in this text costs nothing again)."""
    found: list[Found] = []
    memo: dict = {}  # effects of commands already judged in this text, by signature
    by_segment: dict[tuple[str, int, int, bool], list[Effect]] = {}  # and of segments, for a line that repeats itself
    windows: Iterable[tuple[int, str]] = ((0, text),) if len(text) <= MAX_UNIT else (
        (i, text[i:i + MAX_UNIT]) for i in range(0, len(text), MAX_UNIT - 1024))
    for base, window in windows:
        for offset, segment in _segments(window, whole):
            key = (segment, len(env.variables), len(env.aliases), env.hosts_rewritten)
            effects = by_segment.get(key)
            if effects is None:
                if budget is not None and not budget.take(len(segment)):
                    return found
                effects = judge_text(segment, env, memo)
                if len(by_segment) < 4096:
                    by_segment[key] = effects
            found.extend(Found(effect, base + offset, segment) for effect in effects)
    return found
