"""The report a developer reads when a commit or push is stopped."""
from __future__ import annotations

from collections import Counter

from agenthook.model import Finding
from agenthook.normalize import printable
from agenthook.report import Result

_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"


def _match_hint(text: str) -> str:
    """A short, distinctive piece of the line for an allow entry's `match`."""
    hint = " ".join(text.split())
    hint = hint[:80]
    return hint.replace("\\", "\\\\").replace('"', '\\"')


def _finding(f: Finding, blocking: bool, colour: bool) -> list[str]:
    sev = f.severity.label
    tag = "BLOCKS" if blocking else "warning"
    head = f"{f.path}:{f.line}: {f.rule.id} {f.rule.name} [{f.rule.category}, {sev}] {tag}"
    if f.commit:
        head = f"{f.commit[:12]} {head}"
    if colour:
        head = f"{_COLOURS.get(sev, '')}{head}{_RESET}"
    lines = [head]
    if f.text:
        lines.append(f"    + {printable(f.text.strip())}")
    lines.append(f"  why: {f.message}")
    lines.append(f"  fix: {f.rule.fix}")
    if blocking:
        lines += [
            "  if this is legitimate, accept it in .agenthook.toml (a reviewed change of its own):",
            f'      [[allow]]\n      rule = "{f.rule.id}"\n      path = "{f.path}"\n'
            f'      match = "{_match_hint(f.match or f.text)}"\n      reason = "why this is safe"',
        ]
    return lines


def summary(result: Result) -> str:
    blocking = result.blocking
    threshold = result.policy.threshold.label
    others = len(result.findings) - len(blocking)
    files = f"{result.files} agent file{'s' if result.files != 1 else ''}"
    if result.errors:
        return f"agenthook: BLOCKED: the check could not complete ({len(result.errors)} error(s))."
    if blocking:
        counts = Counter(f.severity.label for f in blocking)
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: -len(kv[0])))
        more = f"; {others} more below the threshold" if others else ""
        return (f"agenthook: BLOCKED: {len(blocking)} finding(s) at or above {threshold} ({parts}) "
                f"in {files}{more}.")
    if result.findings:
        return f"agenthook: passed with {len(result.findings)} warning(s) below the threshold {threshold} in {files}."
    return f"agenthook: passed: nothing risky in {files}."


def render(result: Result, *, colour: bool = False, quiet: bool = False) -> str:
    out: list[str] = []
    for error in result.errors:
        out.append(f"agenthook: error: {error}")
    for f in result.findings:
        blocking = result.policy.blocks(f)
        if quiet and not blocking:
            continue
        out += _finding(f, blocking, colour)
        out.append("")
    out.append(summary(result))
    return "\n".join(out) + "\n"
