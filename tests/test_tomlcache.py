"""The JSON copy of agenthook's TOML data must never change what is loaded:
same data as the TOML, a fresh copy for edited files, and no failure when the
copy cannot be written or is damaged."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from agenthook import tomlcache

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = Path(tomlcache.__file__).parent / "rules"


def _copies(directory: Path) -> list[Path]:
    return sorted((directory / "__pycache__").glob("data.*.json"))


def test_loaded_data_equals_the_toml_and_an_edit_replaces_the_copy(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('x = 1\n[[rule]]\nid = "AH1"\npattern = \'\'\'\\bcurl\\b\'\'\'\n')
    second.write_text('y = [true, 2.5, "s"]\n')
    expected = [tomllib.loads(first.read_text()), tomllib.loads(second.read_text())]
    assert tomlcache.load([str(first), str(second)], "data") == expected
    assert len(_copies(tmp_path)) == 1
    (copy,) = _copies(tmp_path)
    copy.write_text('[{"x": "from the copy"}, {}]')  # a copy that differs shows which one is read
    assert tomlcache.load([str(first), str(second)], "data") == [{"x": "from the copy"}, {}]
    copy.write_text(json.dumps(expected))
    (stale,) = _copies(tmp_path)
    stale_text = stale.read_text()
    first.write_text("x = 2\n")
    assert tomlcache.load([str(first), str(second)], "data")[0] == {"x": 2}
    (fresh,) = _copies(tmp_path)
    assert fresh.read_text() != stale_text  # replaced, not left beside a second copy


def test_a_damaged_copy_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("x = 1\n")
    tomlcache.load([str(path)], "data")
    (copy,) = _copies(tmp_path)
    copy.write_text("{not json")
    assert tomlcache.load([str(path)], "data") == [{"x": 1}]


def test_an_unwritable_directory_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("x = 1\n")
    (tmp_path / "__pycache__").write_text("a file where the directory would go")
    assert tomlcache.load([str(path)], "data") == [{"x": 1}]
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob("__pycache__*.tmp"))


def test_the_rule_catalogue_matches_its_toml() -> None:
    paths = sorted(str(p) for p in RULES.glob("*.toml"))
    direct = [tomllib.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    assert tomlcache.load(paths, "rules") == direct
    assert list((RULES / "__pycache__").glob("rules.*.json"))
