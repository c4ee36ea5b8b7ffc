"""The machine-readable report (schema version 1)."""
from __future__ import annotations

import json
from typing import Any

from agenthook.report import Result


def document(result: Result) -> dict[str, Any]:
    return {
        "version": 1,
        "blocked": result.blocked,
        "threshold": result.policy.threshold.label,
        "findings": [
            {
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
            for f in result.findings
        ],
        "errors": list(result.errors),
    }


def render(result: Result) -> str:
    # ensure_ascii keeps lone surrogates (undecodable bytes) representable.
    return json.dumps(document(result), indent=2, ensure_ascii=True) + "\n"
