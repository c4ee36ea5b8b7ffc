"""Rule documentation rendered from the rule data: what it finds, why it is
dangerous, an example, and the fix."""
from __future__ import annotations

from agenthook.model import Rule
from agenthook.rules import KIND_GROUPS, Catalogue


def kinds_label(kinds: frozenset[str]) -> str:
    """File kinds as the rule files name them: groups where a group is whole."""
    names, rest = [], set(kinds)
    for group, members in KIND_GROUPS.items():
        if members <= rest:
            names.append(group)
            rest -= members
    return ", ".join(names + sorted(rest))


def table(catalogue: Catalogue) -> str:
    rows = [("ID", "NAME", "CATEGORY", "SEVERITY", "FILE KINDS")]
    for rule in sorted(catalogue.rules.values(), key=lambda r: (int(r.id[2:]), r.id)):
        rows.append((rule.id, rule.name, rule.category, rule.severity.label, kinds_label(rule.kinds)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip() for row in rows
    ) + "\n"


def explain(rule: Rule, catalogue: Catalogue) -> str:
    text_rule = next((t for t in catalogue.text_rules if t.rule.id == rule.id), None)
    bad = rule.example or (text_rule.examples[0] if text_rule and text_rule.examples else "")
    good = rule.good_example or (text_rule.counterexamples[0] if text_rule and text_rule.counterexamples else "")
    parts = [
        f"{rule.id} {rule.name}",
        f"category: {rule.category}    default severity: {rule.severity.label}    "
        f"files: {kinds_label(rule.kinds)}",
        "",
        "What it finds",
        f"  {rule.summary}",
        "",
        "Why it is dangerous",
        f"  {rule.why}",
    ]
    if bad:
        parts += ["", "Example (flagged)", f"  {bad}"]
    if good:
        parts += ["", "Not flagged", f"  {good}"]
    parts += [
        "", "Fix", f"  {rule.fix}",
        "", "Accepting a legitimate finding",
        f'  [[allow]] in .agenthook.toml with rule = "{rule.id}", the path, a piece of the line as match, and a reason.',
    ]
    return "\n".join(parts) + "\n"
