"""Reports for people (text) and machines (json, sarif)."""
from __future__ import annotations

from agenthook.model import Finding
from agenthook.policy import AllowEntry, Policy
from agenthook.suppress import Expired, Suppression, squeeze


class Result:
    """Everything a report needs: the findings, the policy that judged them,
    how many agent files were looked at, and errors that stopped the check.
    `suppressed` are findings the policy or an inline comment excused,
    `unused_allow` the allow entries that excused nothing, `expired` findings
    an allow entry would have excused before it expired. Entry points add to
    it in place (a push's findings per commit, then at its endpoints)."""

    __slots__ = ("findings", "policy", "files", "errors", "suppressed", "unused_allow", "expired")

    def __init__(self, findings: list[Finding], policy: Policy, files: int = 0, errors: list[str] | None = None,
                 suppressed: list[Suppression] | None = None, unused_allow: list[AllowEntry] | None = None,
                 expired: list[Expired] | None = None) -> None:
        self.findings = findings
        self.policy = policy
        self.files = files
        self.errors: list[str] = [] if errors is None else errors
        self.suppressed: list[Suppression] = [] if suppressed is None else suppressed
        self.unused_allow: list[AllowEntry] = [] if unused_allow is None else unused_allow
        self.expired: list[Expired] = [] if expired is None else expired

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if self.policy.blocks(f)]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking) or bool(self.errors)

    def expired_for(self, finding: Finding) -> list[AllowEntry]:
        return [e.entry for e in self.expired if e.finding is finding]


def fingerprint(finding: Finding) -> str:
    """A finding's identity across commits: rule, path and the content of its
    line, never its line number, so moving a line keeps its fingerprint."""
    import hashlib  # noqa: PLC0415 - only machine reports need it; a text report is on every commit's path

    content = squeeze(finding.text) or squeeze(finding.match)
    key = "\0".join((finding.rule.id, finding.path, content))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
