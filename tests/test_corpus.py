"""The labeled corpus, run as the detection issues are judged: `before`
committed, `after` staged, then the staged check (or the patch of the staged
change on standard input). Prints recall and the hard-negative pass rate."""
from __future__ import annotations

import functools
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import agenthook, git, shared_dir

SHARED = shared_dir()
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared corpus not present")


def _cases() -> list[dict[str, Any]]:
    assert SHARED is not None
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "corpus" / "labeled").glob("*.json"))]


def _files(case: dict[str, Any]) -> list[dict[str, Any]]:
    return case.get("files") or [{"path": case["path"], "before": case.get("before"), "after": case.get("after")}]


def _write(root: Path, rel: str, text: str) -> None:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def run_case(case: dict[str, Any], mode: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="case-") as tmp:
        root = Path(tmp)
        git(root, "init", "-q")
        git(root, "config", "core.autocrlf", "false")
        _write(root, "README.md", "seed\n")
        for f in _files(case):
            if f.get("before") is not None:
                _write(root, f["path"], f["before"])
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "before")
        for f in _files(case):
            if f.get("after") is None:
                (root / f["path"]).unlink(missing_ok=True)
            else:
                _write(root, f["path"], f["after"])
        git(root, "add", "-A")
        if mode == "staged":
            run = agenthook("check-diff", "--staged", "--format", "json", cwd=root)
        else:
            diff = git(root, "diff", "--cached", "--no-renames").encode("utf-8", "surrogateescape")
            run = agenthook("check-diff", "-", "--format", "json", cwd=root, stdin=diff)
        assert run.code in (0, 1), f"{case['id']}: exit {run.code}: {run.err}"
        return json.loads(run.out)


def _score(mode: str, only: set[str] | None = None) -> tuple[float, float, list[str]]:
    cases = [c for c in _cases() if not c["expect"]["block"] or only is None
             or set(c["expect"].get("categories", [])) <= only]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        reports = list(pool.map(lambda c: run_case(c, mode), cases))
    pos = pos_ok = neg = neg_ok = 0
    misses = []
    for case, report in zip(cases, reports):
        got = {f["category"] for f in report["findings"]}
        if case["expect"]["block"]:
            pos += 1
            ok = report["blocked"] and set(case["expect"]["categories"]) <= got
            pos_ok += ok
            if not ok:
                misses.append(f"MISS {case['id']}: want {case['expect']['categories']}, got {sorted(got)}")
        else:
            neg += 1
            neg_ok += not report["blocked"]
            if report["blocked"]:
                misses.append(f"FALSE-BLOCK {case['id']}: {sorted(got)}")
    recall, negatives = pos_ok / max(pos, 1), neg_ok / max(neg, 1)
    print(f"\n[{mode}] recall={recall:.3f} ({pos_ok}/{pos}) negatives={negatives:.3f} ({neg_ok}/{neg})")
    for miss in misses:
        print("  " + miss)
    return recall, negatives, misses


NAMED = {"permission-expansion", "exfiltration", "tls-bypass", "raw-sql"}


@pytest.mark.parametrize("mode", ["staged", "patch"])
def test_named_detectors_on_corpus(mode: str) -> None:
    recall, negatives, misses = _score(mode, NAMED)
    assert recall >= 0.98 and negatives >= 0.95, misses


@pytest.mark.parametrize(("mode", "minimum"), [("staged", 0.98), ("patch", 0.95)])
def test_full_catalogue_on_corpus(mode: str, minimum: float) -> None:
    recall, negatives, misses = _score(mode)
    assert recall >= minimum and negatives >= minimum, misses


@functools.lru_cache(maxsize=1)
def _measuring_tool() -> Any:
    import importlib.util

    assert SHARED is not None
    spec = importlib.util.spec_from_file_location("run_real", SHARED / "tools" / "run_real.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _placed(entry: dict[str, Any]) -> str:
    """Where a file of this kind lives, exactly as the shared measuring tool places it."""
    return str(_measuring_tool().placed_path(entry))


def _scan_real(entry: dict[str, Any]) -> tuple[str, int, list[str]]:
    assert SHARED is not None
    data = (SHARED / "corpus" / "real" / entry["file"]).read_bytes()
    with tempfile.TemporaryDirectory(prefix="real-") as tmp:
        root = Path(tmp)
        git(root, "init", "-q")
        target = root / _placed(entry)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        git(root, "add", "-A")
        run = agenthook("check-diff", "--staged", "--format", "json", cwd=root)
        report = json.loads(run.out) if run.code in (0, 1) else {"blocked": None, "findings": []}
        rules = sorted({f["rule_id"] for f in report["findings"] if f["blocking"]})
        return entry["file"], run.code, rules


def test_real_world_files_rarely_block_and_never_crash() -> None:
    assert SHARED is not None
    manifest = SHARED / "corpus" / "real" / "manifest.jsonl"
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(_scan_real, entries))
    crashed = [name for name, code, _ in results if code not in (0, 1)]
    blocked = [(name, rules) for name, code, rules in results if code == 1]
    print(f"\n[real] files={len(results)} blocked={len(blocked)} rate={len(blocked) / len(results):.3f}")
    for name, rules in blocked:
        print(f"  BLOCK {name} {' '.join(rules)}")
    assert not crashed, crashed
    assert len(blocked) <= 0.10 * len(results)
