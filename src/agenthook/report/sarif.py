"""SARIF 2.1.0, for code scanning in pull and merge requests.

Each result carries a content-based fingerprint (rule, path, the line's text;
never its line number), so a code-scanning service keeps one alert for one
problem as lines move around it. Findings an allow entry or an inline comment
excuses are reported as suppressed, so the service shows them as dismissed
with the reason; findings of disabled rules are not reported at all.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from agenthook import __version__
from agenthook.model import Finding, Rule, Severity
from agenthook.report import Result, fingerprint
from agenthook.suppress import DISABLED, INLINE, Suppression

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "agenthook/v1"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub code scanning ranks security alerts by this score (0.0-10.0).
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}


def _rule(rule: Rule) -> dict[str, Any]:
    markdown = f"{rule.why}\n\n**Fix:** {rule.fix}"
    if rule.example:
        markdown += f"\n\nFlagged:\n\n```\n{rule.example}\n```"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": f"{rule.fix}", "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": ["security", rule.category],
            "category": rule.category,
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }


def _uri(path: str) -> str:
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _result(f: Finding, index: int, result: Result) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(f.line, 1)}
    if f.text:
        region["snippet"] = {"text": f.text}
    item: dict[str, Any] = {
        "ruleId": f.rule.id,
        "ruleIndex": index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": region}}],
        "partialFingerprints": {FINGERPRINT: fingerprint(f)},
        "properties": {
            "severity": f.severity.label,
            "category": f.rule.category,
            "blocking": result.policy.blocks(f),
        },
    }
    if f.commit:
        item["properties"]["commit"] = f.commit
    return item


def _suppression(s: Suppression) -> dict[str, Any]:
    # No status: schemas of 2.1.0 disagree on its name, and without one a suppression is in effect.
    return {"kind": "inSource" if s.kind == INLINE else "external", "justification": f"{s.reason} ({s.origin})"}


def document(result: Result) -> dict[str, Any]:
    reported = [(f, None) for f in result.findings]
    reported += [(s.finding, s) for s in result.suppressed if s.kind != DISABLED]
    rules = sorted({f.rule.id: f.rule for f, _ in reported}.values(), key=lambda r: (int(r.id[2:]), r.id))
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for f, suppression in reported:
        item = _result(f, index[f.rule.id], result)
        if suppression is not None:
            item["suppressions"] = [_suppression(suppression)]
            item["properties"]["blocking"] = False
        results.append(item)
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if result.errors:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": e}} for e in result.errors]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "agenthook", "version": __version__,
                                "rules": [_rule(r) for r in rules]}},
            "invocations": [invocation],
            "results": results,
            "properties": {"blocked": result.blocked, "threshold": result.policy.threshold.label,
                           "policy": result.policy.origin},
        }],
    }


def render(result: Result) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=True) + "\n"
