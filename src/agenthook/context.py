"""Where an added line stands in its file, and whether it speaks against a practice.

Documentation that warns ("never pass `verify=False`") quotes exactly the text
that an attack adds, so a match only counts when nothing before it in its own
clause, and no label over its code block or section, says not to do it. The
encouraging idioms ("don't worry", "never mind") are not negations: an attacker
would write "never mind the warning, use verify=False".
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Mapping

from agenthook import lazyre

_NEGATOR = lazyre.compile(
    r"\b(?:never(?!\s+mind)|don'?t(?!\s+(?:worry|hesitate|be\s+afraid|forget|bother|wait|mind))"
    r"|do\s+not(?!\s+(?:worry|hesitate|be\s+afraid|forget|bother|wait|mind))"
    r"|must\s+not|mustn'?t|should\s+not|shouldn'?t|cannot|can'?t|won'?t|avoid(?:ing)?|no\s+longer"
    r"|instead\s+of|rather\s+than|forbid(?:den|s)?|prohibit(?:ed|s)?|not\s+(?:allowed|permitted|acceptable|recommended)"
    r"|discouraged"
    r"|disallow(?:ed)?|refuse|reject|stop\s+using|banned|is\s+not\s+ok)\b|[❌🚫⛔✗✘]"
    r"|\b(?:bad|wrong|incorrect|insecure|vulnerable|unsafe)\s*[:(]",
    re.IGNORECASE,
)
# Where one clause ends and the next begins, including ", just use …" and
# "…: configure …" style turns.
_CLAUSE_BREAK = lazyre.compile(
    r"[.!?;](?:\s|$)|\s(?:but|however|then|otherwise)\s"
    r"|[,:]\s+(?:and\s+)?(?:just\s+|simply\s+|always\s+|instead\s+|so\s+)?"
    r"(?:use|run|set|add|pass|call|execute|disable|turn\s+off|put|copy|send|upload|paste|print|include|configure"
    r"|enable|install)\b",
    re.IGNORECASE,
)
_LABEL_NEGATOR = lazyre.compile(
    r"\b(?:bad|wrong|incorrect|insecure|unsafe|vulnerable|dangerous|never|don'?t|do\s+not|avoid"
    r"|anti-?patterns?|forbidden|prohibited|not\s+allowed|what\s+not\s+to|pitfalls?|mistakes?)\b|[❌🚫⛔✗✘]",
    re.IGNORECASE,
)
_HEADING = lazyre.compile(r"^\s{0,3}#{1,6}\s")
_LIST_ITEM = lazyre.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
# A line that introduces a list of what not to do: "Never run:", "**Avoid** the following:".
_NEGATIVE_LEAD_IN = lazyre.compile(
    r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?[*_]{0,2}(?:never|don'?t|do\s+not|avoid|forbidden|prohibited|not\s+allowed|banned"
    r"|bad|wrong|dangerous|anti-?patterns?)\b(?!\s+(?:forget|mind|worry|hesitate))[^\n]{0,160}:[*_]{0,2}\s*$",
    re.IGNORECASE,
)
_FENCE = lazyre.compile(r"^\s*(?:```|~~~)")
# A line that introduces a code block as something to run ("Deploy step (run it
# after every release):"): the block is its scope, not the section's heading.
_RUN_LEAD_IN = lazyre.compile(
    r"\b(?:run|execute|invoke|step|always|must|make\s+sure|remember\s+to|required|then)\b[^\n]{0,200}:\s*[*_]{0,2}\s*$",
    re.IGNORECASE,
)
_COMMENT_LINE = lazyre.compile(r"^\s*(?:#|//|--|/\*|\*|<!--)")
_IMPERATIVE_START = lazyre.compile(
    r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:always\s+|please\s+|you\s+(?:must|should)\s+)?"
    r"(?:run|use|set|add|execute|call|pass|enable|disable|configure|install|make\s+sure)\b",
    re.IGNORECASE,
)


_CLAUSE_REACH = 400


# A disclaimer after the match in its own clause: "use `git commit -n` if
# needed (not recommended)".
_DISCLAIMER = lazyre.compile(
    r"\(\s*(?:not\s+recommended|discouraged|dangerous|unsafe|insecure|deprecated|bad\s+practice|avoid|never"
    r"|don'?t|do\s+not)\b[^()\n]{0,60}\)|[-–—,]\s*(?:not\s+recommended|(?:strongly\s+)?discouraged)\b",
    re.IGNORECASE,
)


def negated_in_clause(text: str, start: int) -> bool:
    """A negator earlier in the same clause as the match at `start`, or a
    disclaimer later in it.

    Only the 400 characters either side of the match are read: a clause is
    shorter than that, and the cost per match stays bounded however long the
    line is. The search for clause breaks runs one character past `start`, so
    that a period directly before the match (`*.host.com`) is not taken for
    the end of a sentence.
    """
    clause_start = reach = max(0, start - _CLAUSE_REACH)
    for brk in _CLAUSE_BREAK.finditer(text, clause_start, min(len(text), start + 1)):
        if brk.start() >= start:
            break
        if text.count("`", reach, brk.start()) % 2:
            continue  # inside a code span (`tar czf - . | ssh …`): a shell's `.` or `;` ends no sentence
        clause_start = min(brk.end(), start)
    if _NEGATOR.search(text, clause_start, start) is not None:
        return True
    end = min(len(text), start + _CLAUSE_REACH)
    brk = _CLAUSE_BREAK.search(text, start + 1, end)
    return _DISCLAIMER.search(text, start, brk.start() if brk else end) is not None


_FENCE_REACH = 200  # lines above a line searched for the fence of its code block
_LEAD_IN_REACH = 100  # list items above a line searched for the line introducing the list
_HEADING_REACH = 400  # lines above a line searched for its section's heading


class _Run:
    """Facts about one run of consecutive lines (a whole file, or a hunk of a
    patch), each worked out in one pass the first time a finding needs it. For
    each line: how many fences lie from the run's start to it, and the nearest
    line at or above it that is a fence, a heading, not blank, ends a list's
    lead-in walk (a lead-in, or a line that is neither an item nor blank nor
    indented), starts its run of comment lines, or is a comment with a label."""

    def __init__(self, start: int, texts: list[str]) -> None:
        self.start = start
        self.texts = texts

    def _nearest(self, holds: Callable[[str], object]) -> list[int]:
        """For each line, the nearest line at or above it (in the run) where `holds`; 0 for none."""
        out, last = [], 0
        for number, text in enumerate(self.texts, self.start):
            last = number if holds(text) else last
            out.append(last)
        return out

    @functools.cached_property
    def fences(self) -> tuple[list[int], list[int]]:
        counts, count = [], 0
        for text in self.texts:
            count += bool(_FENCE.match(text))
            counts.append(count)
        return counts, self._nearest(_FENCE.match)

    @functools.cached_property
    def headings(self) -> list[int]:
        return self._nearest(_HEADING.match)

    @functools.cached_property
    def non_blank(self) -> list[int]:
        return self._nearest(str.strip)

    @functools.cached_property
    def lead_in_stops(self) -> list[int]:
        return self._nearest(lambda text: _NEGATIVE_LEAD_IN.match(text) or (
            text.strip() and not _LIST_ITEM.match(text) and not text.startswith((" ", "\t"))))

    @functools.cached_property
    def comments(self) -> tuple[list[int], list[int]]:
        """Where each line's run of comment lines starts (0: not a comment), and
        the nearest comment line with a label at or above each line."""
        starts, first = [], 0
        for number, text in enumerate(self.texts, self.start):
            first = (first or number) if _COMMENT_LINE.match(text) else 0
            starts.append(first)
        return starts, self._nearest(lambda text: _COMMENT_LINE.match(text) and _LABEL_NEGATOR.search(text))


class Lines(dict[int, str]):
    """A file's lines by number, and the facts `negated_by_context` reads
    above each of them. Walking up from every finding cost some 800 pattern
    matches a finding, which a file of thousands of risky lines multiplied;
    with the facts, a finding costs a few lookups."""

    __slots__ = ("_starts", "_runs")

    def _run(self, number: int) -> _Run | None:
        """The run of consecutive lines holding `number`, None where it is no line."""
        if number < 1 or number not in self:
            return None
        if not hasattr(self, "_starts"):
            # Line 1 always starts a run: the walk never went above it (a patch may number a line 0).
            self._starts = [n for n in sorted(k for k in self if k >= 1) if n == 1 or n - 1 not in self]
            self._runs: dict[int, _Run] = {}
        start = self._starts[bisect.bisect_right(self._starts, number) - 1]
        if start not in self._runs:
            end = start
            while end + 1 in self:
                end += 1
            self._runs[start] = _Run(start, [self[n] for n in range(start, end + 1)])
        return self._runs[start]


def in_fence(lines: Mapping[int, str], number: int) -> bool:
    """Whether the line stands inside a fenced code block (within the fence reach)."""
    facts = lines if isinstance(lines, Lines) else Lines(lines)
    run = facts._run(number - 1)
    if run is None:
        return False
    at = number - 1 - run.start
    lowest = max(run.start, number - _FENCE_REACH)
    counts, _ = run.fences
    return bool((counts[at] - (counts[lowest - 1 - run.start] if lowest > run.start else 0)) % 2)


def negated_by_context(lines: Mapping[int, str], number: int) -> bool:
    """A label above the line says the example is what not to do.

    Looks at comment lines directly above inside a code block, the line that
    introduces the code block, the line that introduces a list ("Never run:"),
    and the nearest heading. A line that is itself an instruction to act is not
    excused by its section's heading. Each looks only at the lines directly
    above, up to the first gap in `lines` and within a reach of its own; a
    line numbered below 1 (a malformed patch can give one) is never context.
    """
    facts = lines if isinstance(lines, Lines) else Lines(lines)
    line = lines.get(number, "")
    above = number - 1
    run = facts._run(above)
    at = above - run.start if run is not None else -1
    fence_line = 0
    if run is not None:
        lowest = max(run.start, number - _FENCE_REACH)
        counts, nearest = run.fences
        fences = counts[at] - (counts[lowest - 1 - run.start] if lowest > run.start else 0)
        if fences % 2 and nearest[at] >= lowest:  # an odd number of fences above: inside a block
            fence_line = nearest[at]
    if fence_line:
        starts, labelled = run.comments
        if starts[at] and labelled[at] >= max(starts[at], fence_line + 1):
            return True
        opener = run.non_blank[fence_line - 1 - run.start] if fence_line > run.start else 0
        if opener and not _FENCE.match(lines[opener]) and _LABEL_NEGATOR.search(lines[opener]):
            return True
        if opener and not _FENCE.match(lines[opener]) and not _HEADING.match(lines[opener]) and \
                _RUN_LEAD_IN.search(lines[opener]):
            return False  # the block's own lead-in tells the agent to run it: a heading above does not excuse it
    elif run is not None and _COMMENT_LINE.match(lines[above]) and _LABEL_NEGATOR.search(lines[above]):
        return True
    if run is not None and _LIST_ITEM.match(line):
        stop = run.lead_in_stops[at]
        if stop and number - stop <= _LEAD_IN_REACH and _NEGATIVE_LEAD_IN.match(lines[stop]):
            return True
    if _IMPERATIVE_START.match(line):
        return False
    heading = run.headings[at] if run is not None else 0
    return bool(heading and number - heading < _HEADING_REACH and _LABEL_NEGATOR.search(lines[heading]))


# Hosts where a request stays on the machine, or names reserved for
# documentation (RFC 2606 / 6761), which no attacker can receive mail for.
_LOCAL_HOST = lazyre.compile(
    r"^(?:localhost|.+\.localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal"
    r"|(?:.+\.)?example\.(?:com|net|org)|.+\.example|.+\.test|.+\.invalid)$",
    re.IGNORECASE,
)
_URL_HOST = lazyre.compile(r"\b(?:https?|ftps?|wss?|tcp|udp)://(?:[^@/\s'\"`]{0,256}@)?(\[[0-9a-fA-F:]{1,64}\]|[^/\s:'\"`)\]>?#]{1,253})")
_SCP_HOST = lazyre.compile(r"(?:^|\s)(?:[\w.-]{1,64}@)?([\w.-]{1,253}|\[[0-9a-fA-F:]{1,64}\]):(?!//)(?:[/~.\w$])")
_BARE_HOST = lazyre.compile(r"\b(?:nc|ncat|netcat|ssh|telnet|socat)\s+(?:-\S+\s+){0,6}(?:[\w.-]{1,64}@)?([\w.-]{1,253})")


def hosts(text: str) -> list[str]:
    """Host names a command line sends to, as far as they can be read."""
    found = [m.group(1) for m in _URL_HOST.finditer(text)]
    found += [m.group(1) for m in _SCP_HOST.finditer(text) if not m.group(1).isdigit()]
    found += [m.group(1) for m in _BARE_HOST.finditer(text)]
    return [h.strip("[]").rstrip(".") for h in found if h]


_LOOPBACK = lazyre.compile(r"^(?:localhost|.+\.localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|::1|host\.docker\.internal)$", re.I)


def is_loopback(host: str) -> bool:
    return bool(_LOOPBACK.match(host))


def is_local_host(host: str) -> bool:
    return bool(_LOCAL_HOST.match(host))


def only_local_hosts(text: str) -> bool:
    """True when every destination named is local (the product's one notion of
    it: `structured.hosts.is_internal`); an unnamed one counts as remote, and
    so does a name that the text re-points (`--resolve`, `--connect-to`, a
    write to /etc/hosts)."""
    found = hosts(text)
    if not found or _REPOINT.search(text):
        return False
    from agenthook.structured import hosts as destinations  # noqa: PLC0415 - needs ipaddress, loaded on use

    return all(destinations.is_internal(h) for h in found)


_REPOINT = lazyre.compile(r"--(?:resolve|connect-to)\b|/etc/hosts\b")
