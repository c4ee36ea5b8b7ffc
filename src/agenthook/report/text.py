"""The report a developer reads when a commit or push is stopped, and the
effective policy as `agenthook config` prints it."""
from __future__ import annotations

import datetime
import json
from collections import Counter

from agenthook.model import Finding
from agenthook.normalize import printable
from agenthook.policy import AllowEntry, Policy
from agenthook.report import Result
from agenthook.suppress import Suppression, squeeze
from agenthook.targets import AGENTHOOK_CONFIG, DEFAULT

_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"
# A `remote:` line (git adds 8 columns) is read in a terminal of 100 columns or so.
COMPACT_WIDTH = 92
# Characters of an added line a server's report shows; past it, how many more there are.
LONGEST_LINE = 2000
# Findings shown per rule: past that, more of the same tells a reader nothing,
# and a file of thousands of risky lines would print for minutes (a server,
# into the pusher's terminal). The summary counts them all; JSON lists them all.
PER_RULE = 20
_MESSAGE = 4000  # characters of a finding's why: the rule's own text and the detail fit well within it


def _match_hint(text: str) -> str:
    """The line (its first 80 characters) as an allow entry's `match`: the
    whole line, not only the matched words, keeps the entry narrow."""
    hint = squeeze(text)[:80]
    return hint.replace("\\", "\\\\").replace('"', '\\"')


def _head(f: Finding, blocking: bool) -> str:
    tag = "BLOCKS" if blocking else "warning"
    head = f"{printable(f.path)}:{f.line}: {f.rule.id} {f.rule.name} [{f.rule.category}, {f.severity.label}] {tag}"
    return f"{f.commit[:12]} {head}" if f.commit else head


def _finding(f: Finding, blocking: bool, colour: bool, expired: list[AllowEntry]) -> list[str]:
    head = _head(f, blocking)
    if colour:
        head = f"{_COLOURS.get(f.severity.label, '')}{head}{_RESET}"
    lines = [head]
    if f.text:
        lines.append(f"    {'-' if f.removed else '+'} {printable(f.text.strip())}")
    # The detail can quote content (a link's target): escaped like the line itself, it cannot forge output.
    lines.append(f"  why: {printable(f.message, _MESSAGE)}")
    lines.append(f"  fix: {f.rule.fix}")
    for entry in expired:
        lines.append(f"  note: the allow entry at {entry.origin} expired on {entry.expires} and no longer applies")
    # A loosened policy is not accepted by loosening the policy further.
    if blocking and DEFAULT.kind_of(f.path) != AGENTHOOK_CONFIG:
        lines += [
            "  if this is legitimate, accept it in .agenthook.toml (a reviewed change of its own):",
            f'      [[allow]]\n      rule = "{f.rule.id}"\n      path = {_toml(f.path)}\n'
            f'      match = "{_match_hint(f.text or f.match)}"\n      reason = "why this is safe"',
        ]
    return lines


def _compact(f: Finding, blocking: bool) -> list[str]:
    """The finding for a pusher who may never have heard of agenthook: where, the
    line, why and the fix, each wrapped to COMPACT_WIDTH, none of them cut
    (an added line past LONGEST_LINE characters says how much more it has)."""
    tag = "BLOCKS" if blocking else "warning"
    where = f"{f.commit[:12]} " if f.commit else ""
    lines = [f"{where}{printable(f.path)}:{f.line}: {f.rule.id} {f.rule.name} ({f.severity.label}, {tag})"]
    if f.text:
        lines += _wrap(f"{'-' if f.removed else '+'} {printable(' '.join(f.text.split()), LONGEST_LINE)}", "    ")
    lines += _wrap(f"why: {printable(' '.join(f.message.split()), _MESSAGE)}", "  ")
    lines += _wrap(f"fix: {' '.join(f.rule.fix.split())}", "  ")
    return lines


def _wrap(text: str, indent: str) -> list[str]:
    """Lines of at most COMPACT_WIDTH columns where words allow; a word longer
    than that (a URL, a command) is kept whole rather than broken."""
    import textwrap  # noqa: PLC0415 - only a server's report wraps

    return textwrap.wrap(text, COMPACT_WIDTH, initial_indent=indent, subsequent_indent=indent + "      ",
                         break_long_words=False, break_on_hyphens=False) or [indent]


def _suppressed(s: Suppression) -> str:
    f = s.finding
    return f"  {printable(f.path)}:{f.line}: {f.rule.id} {f.rule.name}: {s.kind} ({s.origin}): {s.reason}"


def _unused(entry: AllowEntry, today: datetime.date) -> str:
    state = f", expired on {entry.expires}" if entry.expired(today) else ""
    return f'  {entry.origin}: rule "{entry.rule}", path "{entry.path}", match "{entry.match}"{state}'


def summary(result: Result) -> str:
    blocking = result.blocking
    threshold = result.policy.threshold.label
    others = len(result.findings) - len(blocking)
    files = _files(result.files)
    excused = f"; {len(result.suppressed)} suppressed" if result.suppressed else ""
    if result.errors:
        return f"agenthook: BLOCKED: the check could not complete ({len(result.errors)} error(s))."
    if blocking:
        counts = Counter(f.severity.label for f in blocking)
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: -len(kv[0])))
        more = f"; {others} more below the threshold" if others else ""
        where = len({f.path for f in blocking})
        files = _files(where) if where == result.files else f"{_files(where)} of the {result.files} checked"
        return (f"agenthook: BLOCKED: {len(blocking)} finding(s) at or above {threshold} ({parts}) "
                f"in {files}{more}{excused}.")
    if result.findings:
        return (f"agenthook: passed with {len(result.findings)} warning(s) below the threshold {threshold} "
                f"in {files}{excused}.")
    return f"agenthook: passed: nothing risky in {files}{excused}."


def _files(count: int) -> str:
    return f"{count} agent file{'s' if count != 1 else ''}"


def _shown(findings: list[Finding], policy: Policy) -> set[int]:
    """Which findings (by position) the report prints: PER_RULE of each rule,
    those that block first, so that a long run of warnings cannot push the
    one that blocks out of sight."""
    chosen: dict[str, list[int]] = {}
    for blocking in (True, False):
        for index, f in enumerate(findings):
            picked = chosen.setdefault(f.rule.id, [])
            if policy.blocks(f) == blocking and len(picked) < PER_RULE:
                picked.append(index)
    return {index for picked in chosen.values() for index in picked}


def render(result: Result, *, colour: bool = False, quiet: bool = False, verbose: bool = False,
           compact: bool = False) -> str:
    """The report; `compact` gives two lines per finding (for a server's `remote:` stream),
    `verbose` adds suppressed findings and allow entries that excused nothing."""
    out: list[str] = []
    for error in result.errors:
        out.append(f"agenthook: error: {error}")
    listed = [f for f in result.findings if not quiet or result.policy.blocks(f)]
    shown = _shown(listed, result.policy)
    for index, f in enumerate(listed):
        if index not in shown:
            continue
        blocking = result.policy.blocks(f)
        if compact:
            out += _compact(f, blocking)
        else:
            out += _finding(f, blocking, colour, result.expired_for(f))
            out.append("")
    hidden = Counter(f.rule.id for index, f in enumerate(listed) if index not in shown)
    rules = {f.rule.id: f.rule for f in listed}
    for rule_id, count in hidden.items():
        more = "" if compact else " (the same check with `--format json` lists every one)"
        out.append(f"agenthook: {count} more {rule_id} {rules[rule_id].name} finding(s) not shown{more}")
    if verbose and result.suppressed:
        out.append("suppressed:")
        out += [_suppressed(s) for s in result.suppressed]
    if verbose and result.unused_allow:
        today = datetime.date.today()
        out.append("allow entries that excused nothing:")
        out += [_unused(e, today) for e in result.unused_allow]
    out += _wrap(summary(result), "") if compact else [summary(result)]
    return "\n".join(out) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, datetime.date):
        return value.isoformat()
    # JSON string escapes are valid in TOML basic strings.
    return json.dumps(str(value), ensure_ascii=False)


def policy(p: Policy, today: datetime.date | None = None) -> str:
    """The effective policy as TOML, each value commented with where it came from."""
    today = today or datetime.date.today()
    rows = [f"# effective policy: {p.origin}",
            f"threshold = {_toml(p.threshold.label)}  # {p.source('threshold')}",
            f"disable = {_toml(sorted(p.disabled))}  # {p.source('disable')}",
            f"paths = {_toml(p.paths)}  # {p.source('paths')}"]
    for entry in p.allow:
        rows += ["", f"[[allow]]  # {entry.origin}", f"rule = {_toml(entry.rule)}", f"path = {_toml(entry.path)}",
                 f"match = {_toml(entry.match)}", f"reason = {_toml(entry.reason)}"]
        if entry.expires is not None:
            state = "  # expired: no longer applies" if entry.expired(today) else ""
            rows.append(f"expires = {_toml(entry.expires)}{state}")
    rows += ["", "[server]  # honoured only in a server policy"]
    rows += [f"{name} = {_toml(getattr(p, name))}  # {p.source(name)}"
             for name in ("fail_open", "time_limit", "break_glass")]
    return "\n".join(rows) + "\n"
