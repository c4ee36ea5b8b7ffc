"""Team policy: where it comes from, how it is validated, and that a change is
judged by the policy committed before it, never by the one it brings."""
from __future__ import annotations

import datetime
import json

import pytest

from agenthook import policy
from agenthook.errors import ConfigError
from agenthook.model import Severity
from conftest import Repo, agenthook

FULL = """\
threshold = "medium"
disable = ["AH305", "raw-sql"]
paths = ["docs/agents/*.md"]

[[allow]]
rule = "AH201"
path = "CLAUDE.md"
match = "curl -X POST http://localhost:8080"
reason = "local API how-to"
expires = 2027-06-30

[server]
fail-open = true
time_limit = 10
break_glass = true
"""
TLS_LINE = "- Check staging with `curl -k https://staging.shop.example/health`.\n"


def test_full_schema_is_read_with_the_line_each_value_came_from(tmp_path):
    path = tmp_path / ".agenthook.toml"
    path.write_text(FULL)
    loaded = policy.load_path(str(path))
    assert loaded.threshold is Severity.MEDIUM
    assert loaded.disabled == frozenset({"AH305", "raw-sql"})
    assert loaded.paths == ("docs/agents/*.md",)
    assert loaded.allow == (policy.AllowEntry("AH201", "CLAUDE.md", "curl -X POST http://localhost:8080",
                                              "local API how-to", datetime.date(2027, 6, 30), f"{path}:5"),)
    assert loaded.source("threshold") == f"{path}:1"
    assert loaded.source("paths") == f"{path}:3"
    assert (loaded.fail_open, loaded.time_limit, loaded.break_glass) == (True, 10.0, True)


def test_rule_ids_names_and_categories_are_normalised():
    loaded = policy.from_text('disable = ["ah301", "TLS-Bypass", "curl-insecure"]\n', "p.toml")
    assert loaded is not None and loaded.disabled == frozenset({"AH301", "tls-bypass", "curl-insecure"})


def test_pyproject_table_is_read_and_a_pyproject_without_one_is_refused(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.agenthook]\nthreshold = "low"\n')
    loaded = policy.load_path(str(path))
    assert loaded.threshold is Severity.LOW
    assert loaded.source("threshold") == f"{path} [tool.agenthook]:5"
    path.write_text('[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.agenthook\] table"):
        policy.load_path(str(path))


@pytest.mark.parametrize(("text", "message"), [
    ('treshold = "high"\n', r"p.toml:1: treshold: unknown key \(allowed: threshold, disable, paths, allow, server\)"),
    ('threshold = "hgh"\n', r"p.toml:1: threshold: unknown severity 'hgh' \(allowed: low, medium, high, critical\)"),
    ('threshold = 3\n', r"threshold: expected a severity name"),
    ('disable = "AH301"\n', r"disable: expected a list of rule ids, rule names or categories"),
    ('disable = ["AH301", "AH999"]\n', r"p.toml:1: disable\[2\]: no rule or category 'AH999' \(allowed: a rule id"),
    ('[[allow]]\nrule = "AH201"\npath = "CLAUDE.md"\nmatch = "curl"\n',
     r"p.toml:1: allow\[1\].reason: missing \(an allow entry needs rule, path, match and reason"),
    ('[[allow]]\nrule = "AH201"\npath = "CLAUDE.md"\nmatch = ""\nreason = "r"\n',
     r"allow\[1\].match: '' is not a non-empty string"),
    ('[[allow]]\nrule = "AH201"\npath = "a"\nmatch = "b"\nreason = "r"\nexpires = "June"\n',
     r"p.toml:6: allow\[1\].expires: 'June' is not a date \(allowed: YYYY-MM-DD\)"),
    ('[[allow]]\nrule = "AH201"\npath = "a"\nmatch = "b"\nreason = "r"\nwhy = "x"\n',
     r"allow\[1\].why: unknown key \(allowed: rule, path, match, reason, expires\)"),
    ('[allow]\nrule = "AH201"\n', r"allow: expected \[\[allow\]\] tables"),
    ('[server]\nfail_open = "yes"\n', r"p.toml:2: server.fail_open: expected true or false"),
    ('[server]\ntime_limit = -1\n', r"server.time_limit: expected a positive number of seconds"),
    ('[server]\nfail_open = true\nfail-open = false\n', r"fail_open is given twice"),
    ('[server]\nfailopen = true\n', r"server.failopen: unknown key \(allowed: fail_open, fail-open"),
    ('threshold = "high\n', r"p.toml: not valid TOML: line 1"),
])
def test_a_bad_policy_is_refused_naming_file_key_and_what_is_allowed(text, message):
    with pytest.raises(ConfigError, match=message):
        policy.from_text(text, "p.toml")


def test_a_bad_policy_file_exits_2_with_the_message_and_no_traceback(repo: Repo):
    repo.write("bad.toml", 'threshold = "severe"\n')
    run = agenthook("check-diff", "--config", "bad.toml", "--staged", cwd=repo.path)
    assert run.code == 2
    assert "bad.toml:1: threshold: unknown severity 'severe' (allowed: low, medium, high, critical)" in run.err
    assert "Traceback" not in run.err
    missing = agenthook("check-diff", "--config", "nope.toml", "--staged", cwd=repo.path)
    assert missing.code == 2 and "cannot read policy file nope.toml" in missing.err


def test_a_bad_policy_file_in_json_mode_is_a_json_error(repo: Repo):
    repo.write("bad.toml", "[server]\nfailopen = true\n")
    run = agenthook("check-diff", "--config", "bad.toml", "--staged", "--format", "json", cwd=repo.path)
    assert run.code == 2
    assert "server.failopen: unknown key" in json.loads(run.out)["errors"][0]


def test_committed_policy_prefers_agenthook_toml_then_pyproject_then_defaults(repo: Repo):
    assert policy.committed(str(repo.path)) == policy.Policy()  # no commit yet
    repo.write("pyproject.toml", '[tool.agenthook]\nthreshold = "low"\n')
    repo.commit("pyproject policy")
    assert policy.committed(str(repo.path)).threshold is Severity.LOW
    repo.write(".agenthook.toml", 'threshold = "critical"\n')
    repo.commit("own policy file")
    committed = policy.committed(str(repo.path))
    assert committed.threshold is Severity.CRITICAL
    assert committed.source("threshold") == ".agenthook.toml at HEAD:1"


def test_committed_policy_ignores_the_working_tree_and_the_index(repo: Repo):
    repo.write(".agenthook.toml", 'threshold = "low"\n')
    repo.commit("policy")
    repo.write(".agenthook.toml", 'threshold = "critical"\n')
    repo.git("add", ".agenthook.toml")
    assert policy.committed(str(repo.path)).threshold is Severity.LOW


def test_a_repository_policy_never_sets_server_behaviour(repo: Repo):
    repo.write(".agenthook.toml", FULL)
    repo.commit("policy")
    committed = policy.committed(str(repo.path))
    assert (committed.fail_open, committed.time_limit, committed.break_glass) == (False, 25.0, False)
    assert "applies only to a server policy" in committed.source("fail_open")
    served = policy.load_path(str(repo.path / ".agenthook.toml"))
    assert (served.fail_open, served.time_limit, served.break_glass) == (True, 10.0, True)


def test_an_unrelated_broken_pyproject_is_no_policy(repo: Repo):
    repo.write("pyproject.toml", "[project\nname = 'x'\n")
    repo.commit("broken")
    assert policy.committed(str(repo.path)) == policy.Policy()


def test_a_broken_committed_policy_is_a_config_error_naming_head(repo: Repo):
    repo.write(".agenthook.toml", 'threshold = "hgh"\n')
    repo.commit("broken policy")
    with pytest.raises(ConfigError, match=r"\.agenthook\.toml at HEAD:1: threshold: unknown severity"):
        policy.committed(str(repo.path))
    run = agenthook("check-diff", "--staged", cwd=repo.path)
    assert run.code == 2 and "fix it in a commit of its own" in run.err


def _stage_tls_line_under(repo: Repo, committed_policy: str) -> None:
    """Commit `committed_policy` beside a clean CLAUDE.md, then stage the TLS line in it."""
    repo.write(".agenthook.toml", committed_policy)
    repo.write("CLAUDE.md", "# Shop\n")
    repo.commit("policy")
    repo.write("CLAUDE.md", "# Shop\n" + TLS_LINE)
    repo.git("add", "CLAUDE.md")


def test_check_diff_judges_with_the_committed_policy(repo: Repo):
    _stage_tls_line_under(repo, 'disable = ["tls-bypass"]\n')
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    assert run.code == 0 and json.loads(run.out)["findings"] == []


def test_config_option_replaces_the_committed_policy(repo: Repo):
    _stage_tls_line_under(repo, 'disable = ["tls-bypass"]\n')
    repo.write("strict.toml", 'threshold = "high"\n')  # not staged: read from the working tree
    run = agenthook("check-diff", "--staged", "--config", "strict.toml", "--format", "json", cwd=repo.path)
    assert run.code == 1
    assert [f["category"] for f in json.loads(run.out)["findings"]] == ["tls-bypass"]


def test_outside_a_repository_the_defaults_judge(tmp_path):
    (tmp_path / "CLAUDE.md").write_text("# Shop\n" + TLS_LINE)
    run = agenthook("check-diff", "--files", "CLAUDE.md", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and json.loads(run.out)["threshold"] == "high"


def test_policy_paths_extend_the_watched_files(repo: Repo):
    repo.write(".agenthook.toml", 'paths = ["docs/agents/*.md"]\n')
    repo.commit("policy")
    repo.write("docs/agents/deploy.md", "# Deploy\n" + TLS_LINE)
    repo.git("add", "-A")
    run = agenthook("check-diff", "--staged", "--format", "json", cwd=repo.path)
    assert run.code == 1
    assert json.loads(run.out)["findings"][0]["path"] == "docs/agents/deploy.md"


def test_policy_paths_count_for_the_commit_hook_from_a_subdirectory(repo: Repo):
    """Away from the top of the working tree, not seeing `.agenthook.toml` says
    nothing of the committed policy: the hook must not take its quick exit."""
    repo.write(".agenthook.toml", 'paths = ["docs/agents/*.md"]\n')
    repo.commit("policy")
    repo.write("docs/agents/deploy.md", "# Deploy\n" + TLS_LINE)
    repo.git("add", "-A")
    for cwd in (repo.path, repo.path / "docs"):
        run = agenthook("pre-commit", cwd=cwd)
        assert run.code == 1 and "docs/agents/deploy.md:2" in run.err, (cwd, run.err)


def test_threshold_option_overrides_the_policy_threshold(repo: Repo):
    _stage_tls_line_under(repo, 'threshold = "low"\n')
    run = agenthook("check-diff", "--staged", "--threshold", "critical", "--format", "json", cwd=repo.path)
    assert run.code == 0 and json.loads(run.out)["threshold"] == "critical"


def test_a_range_is_judged_by_the_policy_at_its_base_not_at_its_tip(repo: Repo):
    repo.write(".agenthook.toml", 'threshold = "high"\n')
    repo.write("CLAUDE.md", "# Shop\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(".agenthook.toml", 'threshold = "high"\ndisable = ["tls-bypass"]\n')
    repo.commit("loosen the policy")
    repo.write("CLAUDE.md", "# Shop\n" + TLS_LINE)
    repo.commit("use what it allows")
    for spec in ("main...feature", "main..feature"):
        run = agenthook("check-diff", "--range", spec, "--format", "json", cwd=repo.path)
        categories = sorted(f["category"] for f in json.loads(run.out)["findings"])
        assert run.code == 1 and categories == ["config-tamper", "tls-bypass"], spec
    # One revision is judged by the policy of its parent.
    single = agenthook("check-diff", "--range", "feature~1", "--format", "json", cwd=repo.path)
    assert single.code == 1 and [f["category"] for f in json.loads(single.out)["findings"]] == ["config-tamper"]


def test_config_command_prints_the_effective_policy_with_sources(repo: Repo):
    repo.write(".agenthook.toml", FULL)
    repo.commit("policy")
    run = agenthook("config", cwd=repo.path)
    assert run.code == 0
    assert 'threshold = "medium"  # .agenthook.toml at HEAD:1' in run.out
    assert 'disable = ["AH305", "raw-sql"]  # .agenthook.toml at HEAD:2' in run.out
    assert "[[allow]]  # .agenthook.toml at HEAD:5" in run.out
    assert "fail_open = false  # default (.agenthook.toml at HEAD:13 applies only to a server policy)" in run.out
    printed = policy.from_text(run.out, "printed")
    assert printed is not None and policy.same(printed, policy.committed(str(repo.path)))


def test_config_command_notes_an_uncommitted_edit_and_rejects_a_broken_one(repo: Repo):
    repo.write(".agenthook.toml", 'threshold = "medium"\n')
    repo.commit("policy")
    repo.write(".agenthook.toml", 'threshold = "low"\n')
    run = agenthook("config", cwd=repo.path)
    assert run.code == 0 and 'threshold = "medium"' in run.out
    assert "differs from the committed policy" in run.err
    repo.write(".agenthook.toml", 'threshold = "lo"\n')
    broken = agenthook("config", cwd=repo.path)
    assert broken.code == 2 and ".agenthook.toml:1: threshold: unknown severity 'lo'" in broken.err


def test_config_command_reads_a_named_file_and_shows_defaults_outside_a_repository(tmp_path):
    (tmp_path / "server.toml").write_text("[server]\nfail_open = true\n")
    run = agenthook("config", "--config", "server.toml", cwd=tmp_path)
    assert run.code == 0 and "fail_open = true  # server.toml:2" in run.out
    defaults = agenthook("config", cwd=tmp_path)
    assert defaults.code == 0 and 'threshold = "high"  # default' in defaults.out
