"""The rule catalogue: every rule's identity and documentation, loaded from the
TOML files beside this module, and the compiled form of the rules that are
pure patterns."""
from __future__ import annotations

import functools
import os
import re
from typing import Any, NamedTuple

from agenthook import tomlcache
from agenthook.model import CATEGORIES, Rule, Severity
from agenthook.rules.keywords import KeywordIndex
from agenthook.targets import ALL_KINDS, CLAUDE_PROMPT, CODEX_CONFIG, DOTENV, INSTRUCTIONS, JSON_KINDS

# Names a rule file may use for groups of file kinds.
KIND_GROUPS: dict[str, frozenset[str]] = {
    "instructions": frozenset({INSTRUCTIONS, CLAUDE_PROMPT}),
    "settings": JSON_KINDS | {CODEX_CONFIG, DOTENV},
}
_ID = re.compile(r"^AH\d{3,4}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]+$")


class TextRule(NamedTuple):
    """A rule that is a pattern over the normalized text of an added line."""

    rule: Rule
    keywords: tuple[str, ...]
    pattern: str
    negatable: bool
    context_negation: bool
    requires_remote: bool
    escalate: str | None
    check: str | None
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.rule.id, self.pattern)


@functools.lru_cache(maxsize=None)
def _compiled(rule_id: str, pattern: str) -> re.Pattern[str]:
    """Compiled on first use: most runs meet the keywords of few rules, and
    compiling the whole catalogue would be most of a small commit's cost."""
    try:
        return re.compile(pattern, re.IGNORECASE | re.VERBOSE)
    except re.error as exc:
        raise CatalogueError(f"{rule_id}: bad pattern: {exc}") from None


class Catalogue:
    """Every rule, and the tables rules are looked up by (built once, on first use)."""

    def __init__(self, rules: dict[str, Rule], text_rules: tuple[TextRule, ...],
                 raw_checks: tuple[tuple[Rule, str], ...], cases: dict[str, tuple[dict[str, Any], ...]],
                 model_examples: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None) -> None:
        self.rules = rules
        self.text_rules = text_rules
        self.raw_checks = raw_checks
        self.cases = cases
        # Rules the command model reports (`model = true`): their examples and counterexamples, enforced by tests.
        self.model_examples = model_examples or {}
        self._text_rules_by_kind: dict[str, tuple[TextRule, ...]] = {}

    def get(self, key: str) -> Rule | None:
        """A rule by id (any case) or by name."""
        rule = self.rules.get(key.upper())
        if rule is not None:
            return rule
        return next((r for r in self.rules.values() if r.name == key), None)

    @functools.cached_property
    def keywords(self) -> KeywordIndex:
        return KeywordIndex(k for t in self.text_rules for k in t.keywords)

    def text_rules_for(self, kind: str) -> tuple[TextRule, ...]:
        """The same tuple on every call for a kind, so that tables built from it are reused."""
        by_kind = self._text_rules_by_kind
        if kind not in by_kind:
            by_kind[kind] = tuple(t for t in self.text_rules if kind in t.rule.kinds)
        return by_kind[kind]

    def raw_checks_for(self, kind: str) -> tuple[tuple[Rule, str], ...]:
        return tuple(r for r in self.raw_checks if kind in r[0].kinds)


class CatalogueError(Exception):
    """A rule file is wrong; a packaging bug, caught by the test suite."""


def _kinds(values: list[str], rule_id: str) -> frozenset[str]:
    kinds: set[str] = set()
    for value in values:
        if value in KIND_GROUPS:
            kinds |= KIND_GROUPS[value]
        elif value in ALL_KINDS:
            kinds.add(value)
        else:
            raise CatalogueError(f"{rule_id}: unknown file kind {value!r}")
    return frozenset(kinds)


def _rule(entry: dict[str, Any]) -> Rule:
    rule_id = entry.get("id", "?")
    if not _ID.match(rule_id) or not _NAME.match(entry.get("name", "")):
        raise CatalogueError(f"bad rule id or name: {rule_id!r} {entry.get('name')!r}")
    if entry.get("category") not in CATEGORIES:
        raise CatalogueError(f"{rule_id}: unknown category {entry.get('category')!r}")
    for key in ("summary", "why", "fix"):
        if not entry.get(key):
            raise CatalogueError(f"{rule_id}: missing {key}")
    return Rule(
        id=rule_id,
        name=entry["name"],
        category=entry["category"],
        severity=Severity.parse(entry["severity"]),
        kinds=_kinds(entry.get("kinds", []), rule_id),
        summary=entry["summary"].strip(),
        why=entry["why"].strip(),
        fix=entry["fix"].strip(),
        example=(entry.get("example") or (entry.get("examples") or [""])[0]).strip(),
        good_example=(entry.get("good_example") or (entry.get("counterexamples") or [""])[0]).strip(),
    )


def _text_rule(rule: Rule, entry: dict[str, Any]) -> TextRule:
    keywords = tuple(k.lower() for k in entry.get("keywords", []))
    if not keywords:
        raise CatalogueError(f"{rule.id}: a pattern rule needs keywords for its prefilter")
    return TextRule(
        rule=rule,
        keywords=keywords,
        pattern=entry["pattern"],
        negatable=entry.get("negatable", True),
        context_negation=entry.get("context_negation", entry.get("negatable", True)),
        requires_remote=entry.get("requires_remote", False),
        escalate=entry.get("escalate"),
        check=entry.get("check"),
        examples=tuple(entry.get("examples", [])),
        counterexamples=tuple(entry.get("counterexamples", [])),
    )


@functools.lru_cache(maxsize=1)
def load() -> Catalogue:
    rules: dict[str, Rule] = {}
    text_rules: list[TextRule] = []
    raw_checks: list[tuple[Rule, str]] = []
    cases: dict[str, tuple[dict[str, Any], ...]] = {}
    model_examples: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    names: set[str] = set()
    here = os.path.dirname(__file__)  # plain files: importlib.resources costs more to import than this takes
    paths = [os.path.join(here, name) for name in sorted(os.listdir(here)) if name.endswith(".toml")]
    for data in tomlcache.load(paths, "rules"):
        for entry in data.get("rule", []):
            rule = _rule(entry)
            if rule.id in rules or rule.name in names:
                raise CatalogueError(f"duplicate rule {rule.id} / {rule.name}")
            rules[rule.id] = rule
            names.add(rule.name)
            if "pattern" in entry:
                text_rules.append(_text_rule(rule, entry))
            elif "raw_check" in entry:
                raw_checks.append((rule, entry["raw_check"]))
            if entry.get("model"):
                if "pattern" in entry or not entry.get("examples") or not entry.get("counterexamples"):
                    raise CatalogueError(f"{rule.id}: a command-model rule has examples both ways and no pattern")
                model_examples[rule.id] = tuple(entry["examples"]), tuple(entry["counterexamples"])
            cases[rule.id] = tuple(entry.get("case", []))
    return Catalogue(rules=rules, text_rules=tuple(text_rules), raw_checks=tuple(raw_checks), cases=cases,
                     model_examples=model_examples)
