from __future__ import annotations

import random
from typing import Any

import pytest

from agenthook.structured.tomlloc import TomlError, key_lines, parse

CONFIG = '''\
# Codex configuration
model = "o3"  # trailing comment
approval_policy = "never"
"x.y" = 2
'literal' = 3
a.b.c = 1
a . "d" . 'e' = 2
description = """
fake = 1
[not.a.table]
escaped \\""" quote
"""
raw = \'\'\'
[[not.an.array]]
\'\'\'
args = [
  "one",  # comment
  # a whole comment line
  [1, 2],
  { name = "n", env = { K = "v" } },
]

[mcp_servers.evil]
command = "np\\"x"
args = ["-y", "evil-package"]
env = { TOKEN = "x" }

[[servers]]
name = "first"
[servers.options]
verbose = true

[[servers]]
name = "second"
[[servers.hooks]]
run = "echo"

[ "quoted . table" . 'x' ]
"k\\u00e9y" = 1
when = 1979-05-27 07:32:00Z
ends = """quote""""
last = 'end'
'''


def _short(value: object) -> str | None:
    """Keeps the test ids of huge hostile inputs readable."""
    return repr(value)[:30] if isinstance(value, str) and len(value) > 30 else None


def _resolve(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def test_key_lines_of_a_config() -> None:
    assert key_lines(CONFIG) == {
        ("model",): 2,
        ("approval_policy",): 3,
        ("x.y",): 4,
        ("literal",): 5,
        ("a",): 6,
        ("a", "b"): 6,
        ("a", "b", "c"): 6,
        ("a", "d"): 7,
        ("a", "d", "e"): 7,
        ("description",): 8,
        ("raw",): 13,
        ("args",): 16,
        ("args", 0): 17,
        ("args", 1): 19,
        ("args", 1, 0): 19,
        ("args", 1, 1): 19,
        ("args", 2): 20,
        ("args", 2, "name"): 20,
        ("args", 2, "env"): 20,
        ("args", 2, "env", "K"): 20,
        ("mcp_servers",): 23,
        ("mcp_servers", "evil"): 23,
        ("mcp_servers", "evil", "command"): 24,
        ("mcp_servers", "evil", "args"): 25,
        ("mcp_servers", "evil", "args", 0): 25,
        ("mcp_servers", "evil", "args", 1): 25,
        ("mcp_servers", "evil", "env"): 26,
        ("mcp_servers", "evil", "env", "TOKEN"): 26,
        ("servers",): 28,
        ("servers", 0): 28,
        ("servers", 0, "name"): 29,
        ("servers", 0, "options"): 30,
        ("servers", 0, "options", "verbose"): 31,
        ("servers", 1): 33,
        ("servers", 1, "name"): 34,
        ("servers", 1, "hooks"): 35,
        ("servers", 1, "hooks", 0): 35,
        ("servers", 1, "hooks", 0, "run"): 36,
        ("quoted . table",): 38,
        ("quoted . table", "x"): 38,
        ("quoted . table", "x", "kéy"): 39,
        ("quoted . table", "x", "when"): 40,
        ("quoted . table", "x", "ends"): 41,
        ("quoted . table", "x", "last"): 42,
    }


def test_every_recorded_path_exists_in_the_parsed_document() -> None:
    document = parse(CONFIG)
    for path in key_lines(CONFIG):
        _resolve(document, path)


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ("a = 1", ("a",), 1),
        ("\n\n  indented = 1", ("indented",), 3),
        ("[t]\nk = 1", ("t", "k"), 2),
        ("[t]\n\n[u]\nk = 1", ("u", "k"), 4),
        ("[a.b.c]", ("a", "b"), 1),
        ("[a.b.c]\n[a]\nx = 1", ("a",), 2),
        ('["a.b"]\nk = 1', ("a.b", "k"), 2),
        ("['lit.eral']\nk = 1", ("lit.eral", "k"), 2),
        ('"\\u0041" = 1', ("A",), 1),
        ('"tab\\tkey" = 1', ("tab\tkey",), 1),
        ("[[x]]\n[[x]]\n[[x]]\nk = 1", ("x", 2, "k"), 4),
        ("[[x]]\n[x.y]\nk = 1", ("x", 0, "y", "k"), 3),
        ("a = [\n  1,\n  2,\n]", ("a", 1), 3),
        ("a = [\n  [\n    1\n  ]\n]", ("a", 0, 0), 3),
        ('a = """\nb = 1\n"""\nc = 2', ("c",), 4),
        ("a = '''\nb = 1\n'''\nc = 2", ("c",), 4),
        ('a = """\\"""\n"""\nc = 2', ("c",), 3),
        ('a = """x"""""\nc = 2', ("c",), 2),
        ("a = 1 # b = 2\nc = 3", ("c",), 2),
        ("# [t]\nk = 1", ("k",), 2),
        ("\ufeffk = 1", ("k",), 1),
        ("a = 1\r\nb = 2\r\n", ("b",), 2),
        ("[t] # comment\nk = 1", ("t", "k"), 2),
    ],
)
def test_single_lines(text: str, path: tuple[str | int, ...], line: int) -> None:
    assert key_lines(text)[path] == line


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ('s = """\nb = 1\n"""', ("b",)),
        ("s = '''\n[t]\n'''", ("t",)),
        ("# a = 1", ("a",)),
        ("a = [\n  # b = 1\n  1,\n]", ("b",)),
        ('a = "x = 1"', ("x",)),
    ],
)
def test_insides_of_strings_and_comments_are_not_keys(text: str, absent: tuple[str, ...]) -> None:
    assert absent not in key_lines(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "=",
        "[",
        "[[",
        "[a",
        "[[a]",
        "a",
        "a =",
        'a = "unterminated',
        'a = """unterminated',
        "a = '''unterminated",
        "a = [1, 2",
        "a = {b = ",
        "a = [" * 200_000,
        "a = {b = " * 100_000,
        "[" * 500_000,
        "a." * 500_000 + " = 1",
        '"' * 500_000,
        'a = """' + '\\"' * 500_000,
        'a = "' + "\\" * 500_001,
        "a = [" + "1,\n" * 100_000,
        "a = " + "[" * 300 + "1," * 200_000,
        "\x00\ud800\n[\ud800]\n=\n",
        "[[a]]\n" * 50_000,
    ],
    ids=_short,
)
def test_key_lines_never_raises(text: str) -> None:
    assert isinstance(key_lines(text), dict)


def test_key_lines_survives_random_mutations() -> None:
    alphabet = "[]{}=.,\"'#\\\n abc123"
    chooser = random.Random(99)
    for _ in range(2000):
        chars = list(CONFIG)
        for _ in range(chooser.randint(1, 5)):
            position = chooser.randrange(len(chars))
            if chooser.random() < 0.5:
                del chars[position]
            else:
                chars.insert(position, chooser.choice(alphabet))
        key_lines("".join(chars))


def test_parse() -> None:
    document = parse(CONFIG)
    assert document["servers"][1]["hooks"][0]["run"] == "echo"
    assert document["mcp_servers"]["evil"]["args"] == ["-y", "evil-package"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a = 1\nb = ", 2),
        ("a = 1\na = 2", 2),
        ("[t\nk = 1", 1),
        ("= 1", 1),
        ('a = """never closed', 1),
        ("a = " + "1" * 5000, None),
        ("a = " + "[" * 100_000, None),
        ("a = " + "{b = " * 100_000, None),
    ],
    ids=_short,
)
def test_parse_errors_are_toml_errors(text: str, line: int | None) -> None:
    with pytest.raises(TomlError) as caught:
        parse(text)
    if line is not None:
        assert caught.value.line == line
        assert str(caught.value).startswith(f"line {line}: ")
        assert "(at line" not in caught.value.message
    assert caught.value.message
