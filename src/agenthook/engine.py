"""Changes × rules → findings.

Only what a change adds reaches a rule: added lines of instruction files, and
for settings files the values that are new in the parsed after-state (or, when
the source has no full texts, the added lines read as fragments of the file).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from agenthook import context
from agenthook.model import FileChange, Finding, Rule, Severity
from agenthook.normalize import normalize, unquoted
from agenthook.rules import Catalogue, TextRule, load
from agenthook.rules.keywords import KeywordIndex
from agenthook.rules.checks import CHECKS, CONTEXT_CHECKS, escalation
from agenthook.rules.unicode import NON_ASCII_ONLY
from agenthook.targets import MARKDOWN_KINDS, SCRIPT_KINDS, STRUCTURED_KINDS

if TYPE_CHECKING:
    from agenthook import commands

_WINDOW = 16384
_OVERLAP = 1024  # window step 15360 = 2^10 * 15
_MAX_JOIN = 50
# What the meaning readers (the command model, the intent reader) read: at
# most MAX_READ characters of one unit, and at most FILE_READ characters of
# commands judged in one file. Their cost per character is far above the
# patterns', so past a bound the text is reported as unread (AH611, high)
# rather than read at any cost or passed: length never buys a way past them.
MAX_READ = 64 * 1024
FILE_READ = 256 * 1024
UNREAD_RULE = "AH611"


class Unit(NamedTuple):
    """A piece of added text as rules see it: one line, or lines joined by `\\`."""

    line: int
    raw: str
    text: str
    lines: Mapping[int, str] | None = None
    display: str = ""

    @classmethod
    def of(cls, line: int, raw: str, lines: Mapping[int, str] | None = None, display: str = "") -> Unit:
        return cls(line, raw, normalize(raw), lines, display)


def _windows(text: str) -> Iterator[str]:
    """Overlapping slices of a very long line: every pattern is local (bounded
    windows), so a match cannot straddle more than the overlap, and a hostile
    multi-megabyte line costs time in proportion to its length."""
    if len(text) <= _WINDOW:
        yield text
        return
    seen: set[str] = set()
    for start in range(0, len(text), _WINDOW - _OVERLAP):
        window = text[start:start + _WINDOW]
        # A window identical to one already scanned gives the same matches; a
        # line built by repeating a short unit repeats its windows (the step,
        # 15360, is a multiple of most short periods).
        if window not in seen:
            seen.add(window)
            yield window
        if start + _WINDOW >= len(text):
            return


_BY_KEYWORD: dict[int, tuple[Sequence[TextRule], dict[str, tuple[int, ...]]]] = {}


def _by_keyword(rules: Sequence[TextRule]) -> dict[str, tuple[int, ...]]:
    """Keyword -> positions of the rules it admits, built once per rule list: a
    line asks only the rules whose keywords it holds, not every rule in turn."""
    cached = _BY_KEYWORD.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    table: dict[str, list[int]] = {}
    for position, rule in enumerate(rules):
        for keyword in rule.keywords:
            table.setdefault(keyword, []).append(position)
    if len(_BY_KEYWORD) > 64:
        _BY_KEYWORD.clear()
    _BY_KEYWORD[id(rules)] = rules, {k: tuple(v) for k, v in table.items()}
    return _BY_KEYWORD[id(rules)][1]


def _first_matches(unit: Unit, rules: Sequence[TextRule], index: KeywordIndex,
                   code: bool) -> dict[int, tuple[re.Match[str], str]]:
    """For each rule (by position), its first match not negated in its clause
    (in prose: in `code` a warning word does not stop the line from running),
    with the window it was found in. A rule runs on a window only when one of
    its keywords occurs there, so a long line costs one keyword pass per
    distinct window plus the patterns its content can actually match. Rules
    still unmatched then read the line with shell quoting undone, as a shell
    (and an agent) reads `c'u'rl -k`."""
    found: dict[int, tuple[re.Match[str], str]] = {}
    by_keyword = _by_keyword(rules)
    variant = unquoted(unit.text)
    for text in (unit.text, variant) if variant != unit.text else (unit.text,):
        for window in _windows(text):
            present = index.present(window.lower())
            if not present:
                continue
            for position in sorted({p for keyword in present for p in by_keyword.get(keyword, ())}):
                if position in found:
                    continue
                rule = rules[position]
                for match in rule.regex.finditer(window):
                    if rule.negatable and not code and context.negated_in_clause(window, match.start()):
                        continue
                    found[position] = match, window
                    break
            if len(found) == len(rules):
                return found
    return found


def _around(window: str, match: re.Match[str]) -> str:
    """The command a match belongs to: hosts and secrets are looked for there,
    not across a whole (possibly huge) line."""
    return window[max(0, match.start() - 300):match.end() + 600]


def match_unit(unit: Unit, rules: Sequence[TextRule], index: KeywordIndex,
               code: bool = False) -> Iterator[tuple[Rule, Severity, str, str]]:
    """Every text rule that fires on `unit`, with its severity, detail and matched
    text. In `code` (a hook script) neither the clause nor a comment or heading
    above excuses a match: the line runs whatever the words around it say."""
    found = _first_matches(unit, rules, index, code)
    for position, rule in enumerate(rules):
        if position not in found:
            continue
        match, window = found[position]
        if rule.context_negation and not code and unit.lines is not None and \
                context.negated_by_context(unit.lines, unit.line):
            continue
        nearby = _around(window, match)
        if rule.requires_remote and context.only_local_hosts(nearby):
            continue
        severity, detail = rule.rule.severity, ""
        if rule.check:
            verdict = CHECKS[rule.check](match, nearby)
            if verdict is None:
                continue
            severity, detail = verdict[0] or severity, verdict[1]
        if rule.escalate:
            severity, detail = escalation(rule.escalate, nearby, severity, detail)
        yield rule.rule, severity, detail, match.group()


def raw_checks(unit: Unit, checks: Iterable[tuple[Rule, str]]) -> Iterator[tuple[Rule, Severity, str, str]]:
    """Code rules that read the text as written (invisible characters included);
    a context check also reads the lines of the unit's file."""
    ascii_only = unit.raw.isascii()
    for rule, name in checks:
        if ascii_only and name in NON_ASCII_ONLY:
            continue
        if name in CONTEXT_CHECKS:
            verdict = CONTEXT_CHECKS[name](unit.raw, unit.lines or {unit.line: unit.raw}, unit.line)
        else:
            verdict = CHECKS[name](None, unit.raw)
        if verdict is not None:
            severity, detail = verdict[0] or rule.severity, verdict[1]
            yield rule, severity, detail, ""


def text_units(change: FileChange) -> list[Unit]:
    """Added lines, with backslash continuations joined to the lines they continue."""
    lines = change.file_lines()
    added = {a.number: a.text for a in change.added}
    for number, text in added.items():
        lines.setdefault(number, text)
    lines = context.Lines(lines)
    units: list[Unit] = []
    seen: set[int] = set()
    for number in sorted(added):
        if number in seen:
            continue
        start = number
        while start - 1 in lines and lines[start - 1].rstrip().endswith("\\") and number - start < _MAX_JOIN:
            start -= 1
        end = number
        while lines.get(end, "").rstrip().endswith("\\") and end + 1 in lines and end - number < _MAX_JOIN:
            end += 1
        parts = [lines[n].rstrip()[:-1] if n < end else lines[n] for n in range(start, end + 1)]
        seen.update(range(start, end + 1))
        first_added = next(n for n in range(start, end + 1) if n in added)
        units.append(Unit.of(first_added, " ".join(p.strip() for p in parts) if end > start else lines[number],
                             lines))
    return units


def command_effects(unit: Unit, env: object, catalogue: Catalogue, kind: str,
                    code: bool, budget: commands.Budget | None = None) -> Iterator[tuple[Rule, Severity, str, str]]:
    """What the commands in a unit do, read by the command model. In prose a
    command is excused by a warning in its own clause or by the label of the
    block or list it stands in; in code nothing excuses it."""
    from agenthook import commands  # noqa: PLC0415 - the model loads only when a line is read

    text = unit.text[:MAX_READ]
    if kind in STRUCTURED_KINDS:
        # A settings value (`command=…`) is a command as it stands, whatever words it holds.
        key, eq, value = text.partition("=")
        if eq and key.replace(".", "").replace("_", "").replace("-", "").isalnum():
            text, code = value, True
    whole = code or (unit.lines is not None and context.in_fence(unit.lines, unit.line))
    for found in commands.in_text(text, env, whole, budget):  # type: ignore[arg-type]
        rule = catalogue.get(found.effect.rule)
        if rule is None or kind not in rule.kinds:
            continue
        if not code and (context.negated_in_clause(text, found.start) or (
                unit.lines is not None and context.negated_by_context(unit.lines, unit.line))):
            continue
        yield rule, Severity.parse(found.effect.severity), f"It {found.effect.says}.", found.text.strip()[:200]


def _unread(unit: Unit, catalogue: Catalogue, kind: str,
            budget: commands.Budget) -> Iterator[tuple[Rule, Severity, str, str]]:
    """AH611 for a unit the meaning readers did not read to its end: longer
    than MAX_READ, or where the file's budget of commands ran out (once per file)."""
    rule = catalogue.rules[UNREAD_RULE]
    if kind not in rule.kinds:
        return
    if len(unit.text) > MAX_READ:
        yield rule, rule.severity, (f"The line has {len(unit.text)} characters; its meaning and commands were read "
                                    f"up to {MAX_READ}."), ""
    if budget.exhausted and not budget.reported:
        budget.reported = True
        yield rule, rule.severity, (f"The file's added lines hold more commands than are read in one file "
                                    f"({FILE_READ} characters): reading commands stopped on this line, and the "
                                    "rest of the file was read by its patterns only."), ""


def scan_units(change: FileChange, units: Iterable[Unit], catalogue: Catalogue) -> Iterator[Finding]:
    rules = catalogue.text_rules_for(change.kind)
    checks = catalogue.raw_checks_for(change.kind)
    code = change.kind in SCRIPT_KINDS
    env = budget = None
    for unit in units:
        # The model's findings before the patterns': on a tie its wording (what is sent where) is kept.
        found = list(raw_checks(unit, checks))
        if env is None or budget is None:
            from agenthook import commands  # noqa: PLC0415

            env = commands.file_env(unit.lines or {unit.line: unit.text})
            budget = commands.Budget(FILE_READ)
        found += command_effects(unit, env, catalogue, change.kind, code, budget)
        found += _unread(unit, catalogue, change.kind, budget)
        found += match_unit(unit, rules, catalogue.keywords, code)
        for rule, severity, detail, matched in found:
            yield Finding(rule, change.path, unit.line, unit.display or unit.raw, severity, detail, change.commit,
                          matched)


def scan_change(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    from agenthook import special  # noqa: PLC0415 - keeps start-up light for no-op runs
    from agenthook.structured import settings  # noqa: PLC0415

    if change.status == "D":
        # Deleting a settings file removes its deny rules and guards too.
        if change.kind in STRUCTURED_KINDS:
            yield from settings.deleted(change, catalogue)
        return
    special_findings = list(special.check(change, catalogue))
    yield from special_findings
    # A link, a submodule or unreadable content has no lines of its own to read;
    # the lines a patch shows of a moved file (AH1203 for the rest) are read.
    if any(f.rule.id in special.STOPS for f in special_findings) and not (change.unreadable and change.added):
        return
    if change.kind in STRUCTURED_KINDS:
        findings, units = settings.analyze(change, catalogue)
        yield from findings
        yield from scan_units(change, units, catalogue)
    else:
        units = text_units(change)
        yield from scan_units(change, units, catalogue)
        if change.kind in MARKDOWN_KINDS:
            from agenthook import prose  # noqa: PLC0415 - the intent reader loads only for instruction text
            yield from prose.scan(change, units, catalogue)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per line and category, the most severe: several patterns of
    one category on one line are one problem for the reader."""
    best: dict[tuple[str | None, str, int, str], Finding] = {}
    for f in findings:
        key = (f.commit, f.path, f.line, f.rule.category)
        if key not in best or f.severity > best[key].severity:
            best[key] = f
    return sorted(best.values(), key=lambda f: (f.commit or "", f.path, f.line, -f.severity, f.rule.id))


def scan(changes: Iterable[FileChange], catalogue: Catalogue | None = None) -> list[Finding]:
    catalogue = catalogue or load()
    return _dedupe(f for change in changes for f in scan_change(change, catalogue))
