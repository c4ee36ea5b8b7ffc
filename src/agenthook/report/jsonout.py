"""The machine-readable report (schema version 1)."""
from __future__ import annotations

import json
from typing import Any

from agenthook.model import Finding
from agenthook.policy import AllowEntry
from agenthook.report import Result, fingerprint


def _finding(f: Finding, result: Result, verbose: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "rule_id": f.rule.id,
        "rule": f.rule.name,
        "category": f.rule.category,
        "severity": f.severity.label,
        "blocking": result.policy.blocks(f),
        "path": f.path,
        "line": f.line,
        "commit": f.commit,
        "text": f.text,
        "message": f.message,
        "fix": f.rule.fix,
    }
    if verbose:
        item.update(match=f.match, fingerprint=fingerprint(f),
                    expired_allow=[_entry(e) for e in result.expired_for(f)])
    return item


def _entry(entry: AllowEntry) -> dict[str, Any]:
    return {
        "rule": entry.rule,
        "path": entry.path,
        "match": entry.match,
        "reason": entry.reason,
        "expires": entry.expires.isoformat() if entry.expires else None,
        "origin": entry.origin,
    }


def document(result: Result, verbose: bool = False) -> dict[str, Any]:
    """The report; `verbose` adds what the policy did: its origin, each finding's
    fingerprint and expired allow entries, suppressed findings, unused entries."""
    doc: dict[str, Any] = {
        "version": 1,
        "blocked": result.blocked,
        "threshold": result.policy.threshold.label,
        "findings": [_finding(f, result, verbose) for f in result.findings],
        "errors": list(result.errors),
    }
    if verbose:
        doc["policy"] = result.policy.origin
        doc["suppressed"] = [
            {**_finding(s.finding, result, verbose), "blocking": False,
             "suppressed_by": {"kind": s.kind, "reason": s.reason, "origin": s.origin}}
            for s in result.suppressed
        ]
        doc["unused_allow"] = [_entry(e) for e in result.unused_allow]
    return doc


def render(result: Result, verbose: bool = False) -> str:
    # ensure_ascii keeps lone surrogates (undecodable bytes) representable.
    return json.dumps(document(result, verbose), indent=2, ensure_ascii=True) + "\n"
