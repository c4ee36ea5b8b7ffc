"""Reports for people (text) and machines (json)."""
from __future__ import annotations

from dataclasses import dataclass, field

from agenthook.model import Finding
from agenthook.policy import Policy


@dataclass
class Result:
    """Everything a report needs: the findings, the policy that judged them,
    how many agent files were looked at, and errors that stopped the check."""

    findings: list[Finding]
    policy: Policy
    files: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if self.policy.blocks(f)]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking) or bool(self.errors)
