"""Changes to agenthook's own policy (`.agenthook.toml`, `[tool.agenthook]`)."""
from __future__ import annotations

from collections.abc import Iterator

from agenthook.model import FileChange, Finding
from agenthook.rules import Catalogue


def analyze(change: FileChange, catalogue: Catalogue) -> Iterator[Finding]:
    return iter(())
