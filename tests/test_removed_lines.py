"""A bare patch has no full texts, only hunks: a removed entry is placed by
the list its hunk shows, so removing a deny or ask rule is reported from
`git diff | agenthook check-diff -` as from the staged check; an entry whose
list the hunk does not show, one that only moves or gains a comma, and one
removed from an allow list are not reported."""
from __future__ import annotations

from typing import Any

import pytest

from agenthook.sources.patch import parse_patch
from agenthook.targets import DEFAULT
from conftest import Repo
from settings_support import js, staged_or_patch

SETTINGS = ".claude/settings.json"
DENY = ["Read(./.env)", "Bash(rm:*)", "Bash(curl:*)", "WebFetch"]
BASE: dict[str, Any] = {
    "permissions": {"allow": ["Bash(npm run test:*)", "Bash(git log:*)"], "deny": DENY, "ask": ["Bash(git push:*)"]},
}


def change(repo: Repo, before: str, after: str, mode: str) -> dict[str, Any]:
    repo.write("README.md", "seed\n")
    repo.write(SETTINGS, before)
    repo.commit("before")
    repo.write(SETTINGS, after)
    repo.git("add", "-A")
    return staged_or_patch(repo, mode)


def without(key: str, entry: str) -> str:
    settings = {"permissions": dict(BASE["permissions"])}
    settings["permissions"][key] = [e for e in BASE["permissions"][key] if e != entry]
    return js(settings)


@pytest.mark.parametrize("mode", ["staged", "patch"])
@pytest.mark.parametrize(("key", "entry", "severity"), [
    ("deny", "Bash(rm:*)", "medium"),
    ("deny", "Read(./.env)", "high"),
    ("ask", "Bash(git push:*)", "medium"),
])
def test_a_removed_protective_entry_is_reported(repo: Repo, mode: str, key: str, entry: str, severity: str) -> None:
    report = change(repo, js(BASE), without(key, entry), mode)
    (finding,) = report["findings"]
    assert (finding["rule_id"], finding["severity"]) == ("AH110", severity)
    assert f"`{entry}` was removed from `{key}`" in finding["message"]
    assert report["blocked"] is (severity == "high")
    lines = without(key, entry).split("\n")
    opener = next(n for n, text in enumerate(lines, 1) if text.startswith(f'    "{key}": ['))
    assert opener <= finding["line"] < opener + len(BASE["permissions"][key])  # in the list it left


@pytest.mark.parametrize("mode", ["staged", "patch"])
@pytest.mark.parametrize("after", [
    without("allow", "Bash(git log:*)"),
    js({"permissions": {**BASE["permissions"], "deny": list(reversed(DENY))}}),  # reordered
    js({"permissions": {**BASE["permissions"], "deny": [*DENY, "Bash(wget:*)"]}}),  # the last entry gains a comma
])
def test_removals_that_refuse_as_much_are_quiet(repo: Repo, mode: str, after: str) -> None:
    report = change(repo, js(BASE), after, mode)
    assert [f for f in report["findings"] if f["rule_id"] == "AH110"] == []
    assert not report["blocked"]


def test_a_patch_whose_hunk_does_not_show_the_list_claims_nothing(repo: Repo) -> None:
    """A deny list longer than the hunk's context: the removed entry might as
    well have been an allow rule, so the patch says nothing of it (the staged
    check, with full texts, does)."""
    long_deny = [f"Read(./secrets/{n}.pem)" for n in range(10)]
    before = js({"permissions": {"deny": long_deny}})
    after = js({"permissions": {"deny": long_deny[:5] + long_deny[6:]}})
    assert change(repo, before, after, "patch")["findings"] == []
    assert {f["rule_id"] for f in staged_or_patch(repo, "staged")["findings"]} == {"AH110"}


def test_the_patch_source_keeps_removed_lines_with_their_numbers() -> None:
    """Old numbers for removed and context lines; each removed line placed at
    the line replacing it, or else after the line before it."""
    patch = ("diff --git a/.mcp.json b/.mcp.json\n--- a/.mcp.json\n+++ b/.mcp.json\n"
             "@@ -1,7 +1,5 @@\n {\n-  \"a\": 1,\n-  \"b\": 2,\n+  \"b\": 3,\n   \"c\": 4,\n-  \"d\": 5\n   \"e\": 6\n"
             "-}\n\\ No newline at end of file\n+}\n")
    (change,) = parse_patch(patch, DEFAULT)
    assert change.old_lines == {1: "{", 2: '  "a": 1,', 3: '  "b": 2,', 4: '  "c": 4,', 5: '  "d": 5',
                                6: '  "e": 6', 7: "}"}
    assert change.removed_at == {2: 2, 3: 2, 5: 3, 7: 5}
    assert change.new_lines == {1: "{", 2: '  "b": 3,', 3: '  "c": 4,', 4: '  "e": 6', 5: "}"}
