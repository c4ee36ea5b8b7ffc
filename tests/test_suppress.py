"""Suppressions key on content: moving an excused line keeps it excused,
inserting a line never hides a new one, and nothing a change adds excuses it."""
from __future__ import annotations

import datetime
import json

import pytest

from agenthook import rules, suppress
from agenthook.model import AddedLine, FileChange, Finding
from agenthook.policy import AllowEntry, Policy
from agenthook.targets import INSTRUCTIONS
from conftest import Repo, agenthook

CATALOGUE = rules.load()
TLS = "- Check staging with `curl -k https://staging.shop.example/health`."
OTHER_TLS = "- Fetch the feed with `curl --insecure https://feed.shop.example/items`."
POLICY = """\
[[allow]]
rule = "AH301"
path = "CLAUDE.md"
match = "curl -k https://staging.shop.example/health"
reason = "staging uses a self-signed certificate"
"""
TODAY = datetime.date(2026, 1, 15)


def _finding(text: str = TLS, rule: str = "AH301", path: str = "CLAUDE.md", line: int = 3) -> Finding:
    r = CATALOGUE.rules[rule]
    return Finding(r, path, line, text, r.severity, match="curl -k")


def _entry(**kw: object) -> AllowEntry:
    fields: dict[str, object] = {"rule": "AH301", "path": "CLAUDE.md", "match": "curl -k https://staging",
                                 "reason": "r"}
    fields.update(kw)
    return AllowEntry(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", [
    _entry(),
    _entry(rule="curl-insecure"),
    _entry(rule="tls-bypass"),
    _entry(path="*.md"),
    _entry(path="**/claude.md"),
    _entry(match="  curl   -k\thttps://staging "),
    _entry(expires=TODAY),
])
def test_an_allow_entry_excuses_by_rule_path_and_content(entry: AllowEntry):
    verdict = suppress.apply([_finding()], [], Policy(allow=(entry,)), today=TODAY)
    assert verdict.findings == [] and verdict.unused_allow == []
    (excused,) = verdict.suppressed
    assert (excused.kind, excused.reason) == (suppress.ALLOWED, "r")


@pytest.mark.parametrize("entry", [
    _entry(rule="AH302"),
    _entry(rule="exfiltration"),
    _entry(path="AGENTS.md"),
    _entry(path="docs/*.md"),
    _entry(match="curl -k https://prod"),
    _entry(match="\u200b"),
])
def test_an_allow_entry_for_something_else_excuses_nothing(entry: AllowEntry):
    verdict = suppress.apply([_finding()], [], Policy(allow=(entry,)), today=TODAY)
    assert len(verdict.findings) == 1 and verdict.unused_allow == [entry]


def test_an_expired_entry_stops_applying_and_says_so():
    entry = _entry(expires=datetime.date(2026, 1, 14))
    finding = _finding()
    verdict = suppress.apply([finding], [], Policy(allow=(entry,)), today=TODAY)
    assert verdict.findings == [finding]
    assert verdict.expired == [suppress.Expired(finding, entry)]
    assert verdict.unused_allow == [entry]


def test_disabled_rules_and_categories_are_set_apart():
    findings = [_finding(), _finding(rule="AH201", line=4)]
    verdict = suppress.apply(findings, [], Policy(disabled=frozenset({"tls-bypass", "upload-local-data"})))
    assert verdict.findings == []
    assert [s.kind for s in verdict.suppressed] == [suppress.DISABLED, suppress.DISABLED]


def _markdown(lines: list[str], added: set[int], removed: tuple[str, ...] = ()) -> FileChange:
    text = "\n".join(lines) + "\n"
    return FileChange(path="CLAUDE.md", kind=INSTRUCTIONS, status="M", new_text=text, removed=list(removed),
                      added=[AddedLine(n, lines[n - 1]) for n in sorted(added)])


COMMENT = "<!-- agenthook: allow AH301 staging uses a self-signed certificate -->"


def test_an_inline_comment_already_there_excuses_the_line_after_it():
    change = _markdown(["# Shop", COMMENT, TLS], added={3})
    verdict = suppress.apply([_finding()], [change], Policy())
    (excused,) = verdict.suppressed
    assert (excused.kind, excused.origin, excused.reason) == (
        suppress.INLINE, "CLAUDE.md:2", "staging uses a self-signed certificate")


def test_an_inline_comment_added_with_the_finding_is_ignored():
    change = _markdown(["# Shop", COMMENT, TLS], added={2, 3})
    assert suppress.apply([_finding()], [change], Policy()).findings == [_finding()]
    same_line = _markdown(["# Shop", "", TLS + " " + COMMENT], added={3})
    assert len(suppress.apply([_finding()], [same_line], Policy()).findings) == 1


def test_an_inline_comment_added_anywhere_in_the_same_run_is_ignored():
    first = _markdown(["# Shop", COMMENT], added={2})
    second = _markdown(["# Shop", COMMENT, TLS], added={3})
    first.commit, second.commit = "a" * 40, "b" * 40
    finding = Finding(_finding().rule, "CLAUDE.md", 3, TLS, _finding().severity, commit="b" * 40)
    assert suppress.apply([finding], [first, second], Policy()).findings == [finding]


def test_a_moved_line_keeps_its_inline_comment():
    moved = TLS + " " + COMMENT
    change = _markdown(["# Shop", "## Staging", moved], added={3}, removed=(moved,))
    assert suppress.apply([_finding()], [change], Policy()).findings == []


@pytest.mark.parametrize("comment", [
    "<!-- agenthook: allow AH302 some other rule -->",
    "<!-- agenthook: allow AH301 -->",
    "<!-- agenthook: deny AH301 not an allow -->",
    "<!-- agenthook allow AH301 missing colon -->",
])
def test_an_inline_comment_for_another_rule_or_without_a_reason_excuses_nothing(comment: str):
    change = _markdown(["# Shop", comment, TLS], added={3})
    assert len(suppress.apply([_finding()], [change], Policy()).findings) == 1


def test_inline_comments_name_several_rules_by_id_name_or_category():
    comment = "<!-- agenthook: allow AH201, tls-bypass staging how-to -->"
    assert [c.rules for c in suppress.inline_comments(comment)] == [("AH201", "tls-bypass")]
    change = _markdown(["# Shop", comment, TLS], added={3})
    assert suppress.apply([_finding()], [change], Policy()).findings == []


def test_inline_comments_apply_only_to_instruction_files():
    change = FileChange(path=".mcp.json", kind="mcp-config", status="M", new_text=f'// {COMMENT}\n"x": 1\n',
                        added=[AddedLine(2, '"x": 1')])
    finding = _finding(text='"x": 1', path=".mcp.json", line=2)
    assert suppress.apply([finding], [change], Policy()).findings == [finding]


# Real repositories ---------------------------------------------------------


def _check(repo: Repo, *args: str) -> tuple[int, dict]:
    run = agenthook("check-diff", "--staged", "--format", "json", "--verbose", *args, cwd=repo.path)
    assert run.code in (0, 1), run.err
    return run.code, json.loads(run.out)


def _check_change(repo: Repo, before: str, after: str, policy: str = POLICY) -> tuple[int, dict]:
    """Commit `policy` with CLAUDE.md reading `before` (the accepted state), then
    stage CLAUDE.md reading `after` and check it."""
    repo.write(".agenthook.toml", policy)
    repo.write("CLAUDE.md", before)
    repo.commit("accepted")
    repo.write("CLAUDE.md", after)
    repo.git("add", "-A")
    return _check(repo)


def test_an_allow_entry_added_with_its_finding_does_not_excuse_it(repo: Repo):
    repo.write("CLAUDE.md", "# Shop\n")
    repo.commit("start")
    repo.write(".agenthook.toml", POLICY)
    repo.write("CLAUDE.md", f"# Shop\n\n{TLS}\n")
    repo.git("add", "-A")
    code, report = _check(repo)
    assert code == 1
    assert {f["rule_id"]: f["blocking"] for f in report["findings"]} == {"AH301": True, "AH1201": False}


def test_moving_an_excused_line_does_not_revive_it(repo: Repo):
    code, report = _check_change(repo, f"# Shop\n\n## Staging\n\n{TLS}\n",
                                 f"# Shop\n\n{TLS}\n\n## Staging\n\nMore words.\n")
    assert code == 0 and report["findings"] == []
    (excused,) = report["suppressed"]
    assert excused["line"] == 3 and excused["suppressed_by"] == {
        "kind": "allow", "reason": "staging uses a self-signed certificate", "origin": ".agenthook.toml at HEAD:1"}


def test_inserting_a_line_beside_an_excused_one_does_not_hide_it(repo: Repo):
    code, report = _check_change(repo, f"# Shop\n\n{TLS}\n", f"# Shop\n\n{OTHER_TLS}\n{TLS}\n")
    assert code == 1
    assert [(f["line"], f["rule_id"]) for f in report["findings"]] == [(3, "AH301")]


def test_an_inline_comment_committed_earlier_excuses_and_one_added_now_does_not(repo: Repo):
    repo.write("CLAUDE.md", f"# Shop\n{COMMENT}\n")
    repo.commit("comment first")
    repo.write("CLAUDE.md", f"# Shop\n{COMMENT}\n{TLS}\n")
    repo.git("add", "-A")
    assert _check(repo)[0] == 0
    repo.write("CLAUDE.md", f"# Shop\n{COMMENT}\n{TLS}\n\n{COMMENT}\n{OTHER_TLS.replace('--insecure', '-k')}\n")
    repo.git("add", "-A")
    code, report = _check(repo)
    assert code == 1 and [f["line"] for f in report["findings"]] == [6]


def test_verbose_lists_suppressed_findings_and_unused_entries(repo: Repo):
    unused = POLICY.replace("AH301", "AH201").replace("curl -k https://staging.shop.example/health", "rsync -a")
    repo.write(".agenthook.toml", POLICY + "\n" + unused)
    repo.write("CLAUDE.md", "# Shop\n")
    repo.commit("accepted")
    repo.write("CLAUDE.md", f"# Shop\n{TLS}\n")
    repo.git("add", "-A")
    quiet = agenthook("check-diff", "--staged", cwd=repo.path)
    assert quiet.code == 0 and "1 suppressed" in quiet.out and "excused nothing" not in quiet.out
    loud = agenthook("check-diff", "--staged", "--verbose", cwd=repo.path)
    assert ("suppressed:\n  CLAUDE.md:2: AH301 curl-insecure: allow (.agenthook.toml at HEAD:1): staging uses"
            in loud.out)
    assert 'allow entries that excused nothing:\n  .agenthook.toml at HEAD:7: rule "AH201"' in loud.out


def test_an_expired_entry_is_reported_with_the_finding(repo: Repo):
    code, report = _check_change(repo, "# Shop\n", f"# Shop\n{TLS}\n", POLICY + "expires = 2001-02-03\n")
    assert code == 1 and report["findings"][0]["expired_allow"][0]["expires"] == "2001-02-03"
    text = agenthook("check-diff", "--staged", cwd=repo.path)
    assert "note: the allow entry at .agenthook.toml at HEAD:1 expired on 2001-02-03 and no longer applies" in text.out


def test_the_reports_allow_hint_accepts_the_finding_once_committed_on_its_own(repo: Repo):
    repo.write("CLAUDE.md", "# Shop\n")
    repo.commit("start")
    repo.write("CLAUDE.md", f"# Shop\n{TLS}\n")
    report = agenthook("check-diff", "--files", "CLAUDE.md", cwd=repo.path).out
    hint = report.split("(a reviewed change of its own):\n", 1)[1].split("\n\n", 1)[0]
    repo.write(".agenthook.toml", "\n".join(line.strip() for line in hint.splitlines()).replace(
        "why this is safe", "staging uses a self-signed certificate") + "\n")
    repo.git("add", ".agenthook.toml")
    code, accepted = _check(repo)
    assert code == 0 and [(f["rule_id"], f["severity"]) for f in accepted["findings"]] == [("AH1201", "medium")]
    repo.git("commit", "-q", "-m", "accept the staging check")
    repo.git("add", "CLAUDE.md")
    code, report_after = _check(repo)
    assert code == 0 and report_after["findings"] == [] and len(report_after["suppressed"]) == 1
