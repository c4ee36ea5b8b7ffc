"""Where an added line stands in its file, and whether it speaks against a practice.

Documentation that warns ("never pass `verify=False`") quotes exactly the text
that an attack adds, so a match only counts when nothing before it in its own
clause, and no label over its code block or section, says not to do it. The
encouraging idioms ("don't worry", "never mind") are not negations: an attacker
would write "never mind the warning, use verify=False".
"""
from __future__ import annotations

import re
from collections.abc import Mapping

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
    clause_start = max(0, start - _CLAUSE_REACH)
    for brk in _CLAUSE_BREAK.finditer(text, clause_start, min(len(text), start + 1)):
        if brk.start() >= start:
            break
        clause_start = min(brk.end(), start)
    if _NEGATOR.search(text, clause_start, start) is not None:
        return True
    end = min(len(text), start + _CLAUSE_REACH)
    brk = _CLAUSE_BREAK.search(text, start + 1, end)
    return _DISCLAIMER.search(text, start, brk.start() if brk else end) is not None


def _negative_lead_in(lines: Mapping[int, str], number: int) -> bool:
    """The list item at `number` belongs to a list introduced by a line such
    as "Never run:"; the walk up stops at the first line that is neither an
    item, nor blank, nor an item's continuation."""
    k = number - 1
    while k >= 1 and k in lines and number - k <= 100:
        text = lines[k]
        if _NEGATIVE_LEAD_IN.match(text):
            return True
        if text.strip() and not _LIST_ITEM.match(text) and not text.startswith((" ", "\t")):
            return False
        k -= 1
    return False


def negated_by_context(lines: Mapping[int, str], number: int) -> bool:
    """A label above the line says the example is what not to do.

    Looks at comment lines directly above inside a code block, the line that
    introduces the code block, the line that introduces a list ("Never run:"),
    and the nearest heading. A line that is itself an instruction to act is not
    excused by its section's heading.
    """
    line = lines.get(number, "")
    in_fence = False
    fence_line = None
    n = number - 1
    while n >= 1 and n in lines and number - n <= 200:
        text = lines[n]
        if _FENCE.match(text):
            # An odd number of fences between here and the line means it is inside a block.
            in_fence = not in_fence
            if in_fence and fence_line is None:
                fence_line = n
        n -= 1
    if fence_line is not None and in_fence:
        k = number - 1
        while k > fence_line and _COMMENT_LINE.match(lines.get(k, "")):
            if _LABEL_NEGATOR.search(lines[k]):
                return True
            k -= 1
        k = fence_line - 1
        while k >= 1 and k in lines and not lines[k].strip():
            k -= 1
        if k in lines and not _FENCE.match(lines[k]) and _LABEL_NEGATOR.search(lines[k]):
            return True
    elif _COMMENT_LINE.match(lines.get(number - 1, "")) and _LABEL_NEGATOR.search(lines.get(number - 1, "")):
        return True
    if _LIST_ITEM.match(line) and _negative_lead_in(lines, number):
        return True
    if _IMPERATIVE_START.match(line):
        return False
    for k in range(number - 1, max(0, number - 400), -1):
        if k not in lines:
            break
        if _HEADING.match(lines[k]):
            return _LABEL_NEGATOR.search(lines[k]) is not None
    return False


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
    """True when every destination named is local; an unnamed one counts as remote."""
    found = hosts(text)
    return bool(found) and all(is_local_host(h) for h in found)
