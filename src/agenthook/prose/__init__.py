"""The intent reader: what instruction text asks of the agent, judged by meaning.

Patterns match phrasings; an attacker only has to say the same thing another
way. Here each added line of an instruction file is read sentence by
sentence against a grammar of intent classes (data/intents.toml): who is
addressed, the act and its synonyms, its object, in several languages. A
sentence that warns against the act, or documents it as an attack, is not
asking for it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from agenthook import context
from agenthook.engine import MAX_READ
from agenthook.model import Finding
from agenthook.prose import sentences
from agenthook.prose.intents import grammar

if TYPE_CHECKING:
    from agenthook.engine import Unit
    from agenthook.model import FileChange
    from agenthook.rules import Catalogue

# An added line longer than this is read up to here; the engine reports it
# as unread beyond (AH611) for every reader of meaning, this one included.
MAX_LINE = MAX_READ
ENCODED_RULE = "AH512"


def _encoded(text: str, kind: str, catalogue: Catalogue) -> str | None:
    """Why encoded text in the line is an instruction: what it decodes to and
    what that says (an intent, or a text rule at high severity). None when
    nothing encoded there says anything reportable."""
    from agenthook import commands, engine  # noqa: PLC0415 - engine imports this package lazily
    from agenthook.model import Severity  # noqa: PLC0415
    from agenthook.normalize import printable  # noqa: PLC0415
    from agenthook.prose.decode import decoded  # noqa: PLC0415

    rules = catalogue.text_rules_for(kind)
    for encoding, plain in decoded(text):
        shown = printable(plain, 160)
        for rule_id, says, _ in read_line(plain):
            return f"{encoding} text decodes to \u201c{shown}\u201d. {says} ({rule_id})."
        unit = engine.Unit.of(0, plain)
        # What the decoded text says is read by the text rules and, for commands, by the command model.
        reported = [*engine.match_unit(unit, rules, catalogue.keywords),
                    *engine.command_effects(unit, commands.file_env({0: plain}), catalogue, kind, True)]
        for rule, severity, _, _ in reported:
            if severity >= Severity.HIGH:
                return f"{encoding} text decodes to \u201c{shown}\u201d, which {rule.id} reports: {rule.summary}"
    return None


def warns_before(text: str, at: int) -> bool:
    """Words of warning before position `at` in its own sentence ("avoid",
    "weak", "advise against"): the sentence names what follows to reject it."""
    start = max(0, at - sentences.WINDOW)
    head = text[start:at]
    breaks = [m.end() for m in sentences.BREAK.finditer(head)]
    head = head[breaks[-1]:] if breaks else head
    return grammar().warns(sentences.clean(head))


def read_line(text: str) -> Iterator[tuple[str, str, str]]:
    """(rule id, what it says, the words) for each rule the intents of one line
    express, once per rule: two readings of one request are one finding."""
    seen: set[str] = set()
    for sentence in sentences.sentences(sentences.clean(text[:MAX_LINE])):
        for reading in grammar().read(sentence):
            if reading.intent.rule not in seen:
                seen.add(reading.intent.rule)
                yield reading.intent.rule, reading.intent.says, reading.words


def scan(change: FileChange, units: Iterable[Unit], catalogue: Catalogue) -> Iterator[Finding]:
    """Findings for the intents the added lines of an instruction file express."""
    for unit in units:
        hidden = _encoded(unit.text[:MAX_LINE], change.kind, catalogue)
        if hidden is not None:
            rule = catalogue.rules[ENCODED_RULE]
            yield Finding(rule, change.path, unit.line, unit.display or unit.raw, rule.severity, hidden,
                          change.commit, "")
        excused: bool | None = None
        for rule_id, says, words in read_line(unit.text):
            rule = catalogue.rules[rule_id]
            if rule_id != "AH602" and unit.lines is not None:
                # A section or list headed as what not to do ("## Attacks to refuse") excuses its lines.
                if excused is None:
                    excused = context.negated_by_context(unit.lines, unit.line)
                if excused:
                    continue
            yield Finding(rule, change.path, unit.line, unit.display or unit.raw, rule.severity,
                          f"{says}: \u201c{words}\u201d.", change.commit, words)
