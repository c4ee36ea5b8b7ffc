"""SARIF 2.1.0 for code scanning: valid against the schema, with rule
metadata, file, line, commit and a fingerprint that survives moved lines."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agenthook import rules
from agenthook.model import Finding, Severity
from agenthook.policy import Policy
from agenthook.report import Result, fingerprint, sarif
from agenthook.suppress import INLINE, Suppression
from conftest import Repo, agenthook, shared_dir

jsonschema = pytest.importorskip("jsonschema")
SHARED = shared_dir()
SCHEMA_FILE = SHARED / "schemas" / "sarif-2.1.0.json" if SHARED else None
pytestmark = pytest.mark.skipif(SCHEMA_FILE is None or not SCHEMA_FILE.is_file(),
                                reason="../shared/schemas/sarif-2.1.0.json not present")
TLS = "- Check staging with `curl -k https://staging.shop.example/health`."
CATALOGUE = rules.load()


def validate(document: dict[str, Any]) -> None:
    assert SCHEMA_FILE is not None
    schema = json.loads(Path(SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def _range_report(repo: Repo) -> tuple[int, dict[str, Any], str]:
    repo.write("CLAUDE.md", "# Shop\n")
    repo.commit("start")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("CLAUDE.md", f"# Shop\n\n{TLS}\n")
    commit = repo.commit("risky")
    run = agenthook("check-diff", "--range", "main...feature", "--format", "sarif", cwd=repo.path)
    return run.code, json.loads(run.out), commit


def test_sarif_of_a_risky_change_validates_and_carries_rule_file_line_commit_fingerprint(repo: Repo):
    code, document, commit = _range_report(repo)
    assert code == 1
    validate(document)
    (run,) = document["runs"]
    (result,) = run["results"]
    assert result["ruleId"] == "AH301" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "CLAUDE.md"
    assert location["region"]["startLine"] == 3
    assert result["properties"]["commit"] == commit
    assert len(result["partialFingerprints"][sarif.FINGERPRINT]) == 64
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    documented = CATALOGUE.rules["AH301"]
    assert rule["id"] == "AH301"
    assert rule["shortDescription"]["text"] == documented.summary
    assert rule["fullDescription"]["text"] == documented.why
    assert documented.fix in rule["help"]["text"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "tls-bypass" in rule["properties"]["tags"]


def test_a_clean_change_is_valid_sarif_with_no_results(repo: Repo):
    repo.write("CLAUDE.md", "# Shop\n")
    repo.git("add", "-A")
    run = agenthook("check-diff", "--staged", "--format", "sarif", cwd=repo.path)
    document = json.loads(run.out)
    validate(document)
    assert run.code == 0 and document["runs"][0]["results"] == []


def test_a_failed_check_is_valid_sarif_that_says_so(repo: Repo):
    repo.write("bad.toml", "nonsense = 1\n")
    run = agenthook("check-diff", "--staged", "--config", "bad.toml", "--format", "sarif", cwd=repo.path)
    document = json.loads(run.out)
    validate(document)
    (invocation,) = document["runs"][0]["invocations"]
    assert run.code == 2 and invocation["executionSuccessful"] is False
    assert "nonsense: unknown key" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def _finding(rule: str, line: int, text: str = TLS, path: str = "CLAUDE.md",
             severity: Severity | None = None) -> Finding:
    r = CATALOGUE.rules[rule]
    return Finding(r, path, line, text, severity or r.severity, match="curl -k")


def test_fingerprint_follows_content_not_line_number():
    here, moved = _finding("AH301", 3), _finding("AH301", 40, text="  " + TLS.replace(" with ", "  with "))
    assert fingerprint(here) == fingerprint(moved)
    assert fingerprint(here) != fingerprint(_finding("AH301", 3, text=TLS + " and more"))
    assert fingerprint(here) != fingerprint(_finding("AH301", 3, path="AGENTS.md"))
    assert fingerprint(here) != fingerprint(_finding("AH302", 3))


@pytest.mark.parametrize(("severity", "level"), [(Severity.CRITICAL, "error"), (Severity.HIGH, "error"),
                                                 (Severity.MEDIUM, "warning"), (Severity.LOW, "note")])
def test_levels_follow_severity(severity: Severity, level: str):
    document = sarif.document(Result([_finding("AH301", 3, severity=severity)], Policy()))
    validate(document)
    assert document["runs"][0]["results"][0]["level"] == level


def test_suppressed_findings_are_reported_as_suppressed_and_disabled_ones_not_at_all():
    excused = Suppression(_finding("AH301", 3), INLINE, "self-signed staging", "CLAUDE.md:2")
    disabled = Suppression(_finding("AH201", 5), "disabled", "disabled by the policy", "p.toml:1")
    document = sarif.document(Result([], Policy(), suppressed=[excused, disabled]))
    validate(document)
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "AH301"
    assert result["suppressions"] == [{"kind": "inSource", "justification": "self-signed staging (CLAUDE.md:2)"}]


def test_odd_paths_are_valid_uris():
    finding = _finding("AH301", 1, path="docs/agents/über notes#1.md")
    document = sarif.document(Result([finding], Policy()))
    validate(document)
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs/agents/%C3%BCber%20notes%231.md"
