"""config-tamper (AH1201): a change that loosens agenthook's own policy is
reported, in full texts and in bare patches, and never excuses itself."""
from __future__ import annotations

import difflib
import json
from typing import Any

import pytest

from agenthook import rules
from agenthook.model import FileChange, Finding, Severity
from agenthook.sources.patch import parse_patch
from agenthook.structured import tamper
from agenthook.targets import AGENTHOOK_CONFIG, DEFAULT
from conftest import Repo, agenthook, git

CATALOGUE = rules.load()
TLS_LINE = "- Check staging with `curl -k https://staging.shop.example/health`.\n"


def _lines(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def full(path: str, before: str | None, after: str | None) -> FileChange:
    status = "A" if before is None else "D" if after is None else "M"
    return FileChange(path=path, kind=AGENTHOOK_CONFIG, status=status, old_text=before, new_text=after)


def patch(path: str, before: str | None, after: str | None) -> FileChange:
    diff = difflib.unified_diff((before or "").splitlines(True), (after or "").splitlines(True),
                                "/dev/null" if before is None else f"a/{path}",
                                "/dev/null" if after is None else f"b/{path}")
    (change,) = parse_patch("".join(diff), DEFAULT)
    return change


MODES = {"full": full, "patch": patch}


def analyze(mode: str, path: str, before: str | None, after: str | None) -> list[Finding]:
    change = MODES[mode](path, before and _lines(before), after and _lines(after))
    return list(tamper.analyze(change, CATALOGUE))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CATALOGUE.cases["AH1201"], ids=lambda c: f"{c['path']}:{c['after'][:30]!r}")
def test_rule_cases(mode: str, case: dict[str, Any]):
    findings = analyze(mode, case["path"], case["before"], case["after"])
    assert bool(findings) is case["expect"], [f.detail for f in findings]
    assert all(f.rule.id == "AH1201" and f.rule.category == "config-tamper" for f in findings)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("before", "after"), [
    ('threshold = "medium"', 'threshold = "low"'),
    ('disable = ["AH301", "raw-sql"]', 'disable = ["AH301"]'),
    ('paths = ["a/*.md"]', 'paths = ["a/*.md", "b/*.md"]'),
    ('[[allow]]\nrule = "AH201"\npath = "CLAUDE.md"\nmatch = "curl -X POST http://localhost:8080"\nreason = "r"\n',
     "threshold = \"high\"\n"),
    ('[[allow]]\nrule = "AH201"\npath = "CLAUDE.md"\nmatch = "curl -X POST http://localhost"\nreason = "r"\n'
     'expires = 2027-06-30', '[[allow]]\nrule = "AH201"\npath = "CLAUDE.md"\nmatch = "curl -X POST http://localhost"\n'
                             'reason = "the local API how-to"\nexpires = 2026-01-01'),
    ("[server]\nfail_open = true", "[server]\nfail_open = false"),
    ('threshold = "high"', '# reviewed by the platform team\nthreshold = "high"'),
])
def test_tightening_or_rewording_is_no_finding(mode: str, before: str, after: str):
    assert analyze(mode, ".agenthook.toml", before, after) == []


def _details(findings: list[Finding]) -> list[str]:
    return [f.detail for f in findings]


@pytest.mark.parametrize("mode", MODES)
def test_raised_threshold_names_what_stops_blocking(mode: str):
    (finding,) = analyze(mode, ".agenthook.toml", '# policy\nthreshold = "medium"', '# policy\nthreshold = "critical"')
    assert finding.line == 2 and finding.text == 'threshold = "critical"'
    assert finding.severity is Severity.HIGH
    assert finding.detail == ("The blocking threshold goes from medium to critical: medium, high findings "
                              "stop blocking.")


@pytest.mark.parametrize("mode", MODES)
def test_removing_a_stricter_threshold_falls_back_to_the_default_and_is_reported(mode: str):
    (finding,) = analyze(mode, ".agenthook.toml", 'threshold = "low"\npaths = []', "paths = []")
    assert "from low to high" in finding.detail


@pytest.mark.parametrize("mode", MODES)
def test_each_newly_disabled_rule_is_a_finding_on_its_line(mode: str):
    before = 'disable = [\n  "AH301",\n]\n'
    after = 'disable = [\n  "AH301",\n  "tls-bypass",\n  "curl-insecure",\n]\n'
    findings = analyze(mode, ".agenthook.toml", before, after)
    assert [(f.line, f.detail) for f in findings] == [
        (3, "`disable` gains 'tls-bypass': every tls-bypass rule stops running."),
        (4, "`disable` gains 'curl-insecure': AH301 curl-insecure stops running."),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_a_dropped_watched_path_is_a_finding(mode: str):
    findings = analyze(mode, ".agenthook.toml", 'paths = [\n  "docs/agents/*.md",\n  "ops/*.md",\n]',
                       'paths = [\n  "ops/*.md",\n]')
    assert _details(findings) == ["`paths` loses 'docs/agents/*.md': changes to files there are no longer checked."]


ALLOW = '[[allow]]\nrule = "{rule}"\npath = "{path}"\nmatch = "{match}"\nreason = "reviewed"\n'


@pytest.mark.parametrize("mode", MODES)
def test_a_narrow_allow_entry_is_a_warning_and_a_broad_one_blocks(mode: str):
    narrow = ALLOW.format(rule="AH201", path="CLAUDE.md", match="curl -X POST http://localhost:8080")
    (finding,) = analyze(mode, ".agenthook.toml", 'threshold = "high"', 'threshold = "high"\n\n' + narrow)
    assert finding.severity is Severity.MEDIUM and finding.line == 3
    assert finding.detail == ("A new [[allow]] entry accepts AH201 findings in CLAUDE.md whose line contains "
                              "'curl -X POST http://localhost:8080'.")
    for rule, path, match, why in (("exfiltration", "CLAUDE.md", "curl -X POST http://x", "whole exfiltration"),
                                   ("AH201", "docs/*.md", "curl -X POST http://x", "is a glob"),
                                   ("AH201", "CLAUDE.md", "curl", "short enough")):
        (broad,) = analyze(mode, ".agenthook.toml", "", ALLOW.format(rule=rule, path=path, match=match))
        assert broad.severity is Severity.HIGH and why in broad.detail


@pytest.mark.parametrize("mode", MODES)
def test_widening_or_extending_an_allow_entry_is_a_finding(mode: str):
    before = ALLOW.format(rule="AH201", path="CLAUDE.md", match="curl -X POST http://localhost:8080")
    wider = before.replace(" -X POST http://localhost:8080", "")
    (widened,) = analyze(mode, ".agenthook.toml", before, wider)
    # A patch shows only the changed line of the entry.
    assert widened.detail == {
        "full": "A new [[allow]] entry accepts AH201 findings in CLAUDE.md whose line contains 'curl'. "
                "It is broad: its match 'curl' is short enough to fit many lines.",
        "patch": "An [[allow]] entry is changed: it now accepts findings whose line contains 'curl'. "
                 "It is broad: the patch does not show all of it.",
    }[mode]
    dated = before + "expires = 2026-01-01\n"
    (later,) = analyze(mode, ".agenthook.toml", dated, before + "expires = 2030-01-01\n")
    assert later.detail.startswith("An [[allow]] entry is extended: it now applies until 2030-01-01.")
    (endless,) = analyze(mode, ".agenthook.toml", dated, before)
    assert endless.detail.startswith("An [[allow]] entry is extended: it now applies until no end.")


@pytest.mark.parametrize("mode", MODES)
def test_a_looser_server_table_is_a_finding(mode: str):
    findings = analyze(mode, ".agenthook.toml", "[server]\nfail_open = true\ntime_limit = 30\n",
                       "[server]\nfail_open = true\ntime_limit = 5\nbreak-glass = true\n")
    assert sorted(_details(findings)) == [
        "[server] break_glass turns on: a pusher can skip the check.",
        "[server] time_limit drops from 30 to 5 seconds while fail_open is on: more pushes go through unchecked.",
    ]
    (fail_open,) = analyze(mode, ".agenthook.toml", "", "[server]\nfail-open = true\n")
    assert fail_open.line == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_policy_that_does_not_load_is_a_finding(mode: str):
    (finding,) = analyze(mode, ".agenthook.toml", 'threshold = "medium"', 'threshold = "medium\n')
    assert finding.detail.startswith("The policy does not load, so the committed policy stays in force:")
    (unknown,) = analyze(mode, ".agenthook.toml", 'threshold = "medium"', 'threshold = "severe"')
    assert "unknown severity 'severe'" in unknown.detail


@pytest.mark.parametrize("mode", MODES)
def test_pyproject_edits_outside_tool_agenthook_are_ignored(mode: str):
    before = ('[project]\nname = "svc"\n\n[tool.pylint."messages control"]\ndisable = [\n  "C0114",\n]\n\n'
              '[tool.agenthook]\nthreshold = "medium"\n')
    after = before.replace('  "C0114",\n', '  "C0114",\n  "C0115",\n').replace('name = "svc"', 'name = "svc2"')
    assert analyze(mode, "pyproject.toml", before, after) == []
    loosened = after.replace('threshold = "medium"', 'threshold = "high"\ndisable = ["raw-sql"]')
    assert len(analyze(mode, "pyproject.toml", before, loosened)) == 2


@pytest.mark.parametrize("mode", MODES)
def test_removing_the_policy_table_or_file_is_reported_when_it_was_stricter(mode: str):
    before = '[tool.ruff]\nline-length = 100\n\n[tool.agenthook]\nthreshold = "low"\n'
    (finding,) = analyze(mode, "pyproject.toml", before, "[tool.ruff]\nline-length = 100\n")
    assert "from low to high" in finding.detail
    (deleted,) = analyze(mode, ".agenthook.toml", 'threshold = "medium"\n', None)
    assert "from medium to high" in deleted.detail


def _staged_case(repo: Repo, before: dict[str, str], after: dict[str, str]) -> None:
    for path, text in before.items():
        repo.write(path, text)
    repo.commit("before")
    for path, text in after.items():
        repo.write(path, text)
    repo.git("add", "-A")


@pytest.mark.parametrize("mode", ["staged", "patch"])
def test_disabling_a_rule_while_adding_its_line_is_blocked_for_both(repo: Repo, mode: str):
    _staged_case(repo, {".agenthook.toml": 'threshold = "high"\ndisable = []\n', "CLAUDE.md": "# Shop\n"},
                 {".agenthook.toml": 'threshold = "high"\ndisable = ["tls-bypass"]\n',
                  "CLAUDE.md": "# Shop\n" + TLS_LINE})
    if mode == "staged":
        run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    else:
        diff = git(repo.path, "diff", "--cached").encode()
        run = agenthook("check-diff", "-", "--format", "json", cwd=repo.path, stdin=diff)
    report = json.loads(run.out)
    assert run.code == 1
    assert sorted((f["rule_id"], f["blocking"]) for f in report["findings"]) == [("AH1201", True), ("AH301", True)]


def test_a_broken_policy_in_the_change_leaves_the_committed_one_in_force(repo: Repo):
    _staged_case(repo, {".agenthook.toml": 'threshold = "high"\n', "CLAUDE.md": "# Shop\n"},
                 {".agenthook.toml": 'threshold = "critical"\ndisable = ["tls-bypass"\n',
                  "CLAUDE.md": "# Shop\n" + TLS_LINE})
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    findings = json.loads(run.out)["findings"]
    assert run.code == 1
    assert sorted(f["rule_id"] for f in findings) == ["AH1201", "AH301"]
    assert "does not load" in next(f["message"] for f in findings if f["rule_id"] == "AH1201")


def test_deleting_the_policy_file_is_reported(repo: Repo):
    repo.write(".agenthook.toml", 'threshold = "low"\n')
    repo.commit("policy")
    repo.git("rm", "-q", ".agenthook.toml")
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    (finding,) = json.loads(run.out)["findings"]
    assert finding["rule_id"] == "AH1201" and "from low to high" in finding["message"]


def test_the_committed_policy_can_disable_config_tamper_itself(repo: Repo):
    _staged_case(repo, {".agenthook.toml": 'disable = ["config-tamper"]\n'},
                 {".agenthook.toml": 'disable = ["config-tamper", "tls-bypass"]\n'})
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    assert run.code == 0 and json.loads(run.out)["findings"] == []
