from __future__ import annotations

import json
import random
from typing import Any

import pytest

from agenthook.structured.jsonloc import OPEN, UNKNOWN, JsonError, guess_path, line_member, parse


def _strict_json(text: str) -> Any:
    """json.loads without the NaN/Infinity extension, the reference for strict parsing."""

    def reject(name: str) -> None:
        raise ValueError(name)

    return json.loads(text, parse_constant=reject)


def _short(value: object) -> str | None:
    """Keeps the test ids of huge hostile inputs readable."""
    return repr(value)[:30] if isinstance(value, str) and len(value) > 30 else None


def _resolve(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


VALID = [
    "{}",
    "[]",
    "0",
    "-0",
    "1.5e-3",
    "-12E+2",
    '"plain"',
    "true",
    "false",
    "null",
    ' \t\r\n {"a" : 1 } \n',
    '{"a": [1, 2.5, "x", true, false, null, {}, []], "b": {"c": {"d": "e"}}}',
    '["\\"\\\\\\/\\b\\f\\n\\r\\t", "\\u00e9\\u0041"]',
    '["\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\ud800\\u0041"]',
    '{"\\u0000key": "nul inside"}',
    '["\\\\", "\\\\\\"", "a\\\\\\\\"]',
    '{"nested": [[[[[[1]]]]]]}',
]


@pytest.mark.parametrize("text", VALID)
def test_values_match_json(text: str) -> None:
    assert parse(text)[0] == _strict_json(text)
    assert parse(text, jsonc=True)[0] == _strict_json(text)


def test_lines_of_nested_members() -> None:
    text = "\n".join(
        [
            "{",  # 1
            '  "permissions": {',  # 2
            '    "allow": [',  # 3
            '      "Bash(ls)",',  # 4
            '      "Bash(node:*)"',  # 5
            "    ],",  # 6
            '    "deny": []',  # 7
            "  },",  # 8
            '  "hooks": {"PreToolUse": [{"matcher": "x",',  # 9
            '     "hooks": [{"type": "command"}]}]},',  # 10
            '  "multi":',  # 11
            '    "value on the next line",',  # 12
            '  "list": [',  # 13
            "    1,",  # 14
            "",  # 15
            "    {",  # 16
            '      "k": "v"',  # 17
            "    }",  # 18
            "  ]",  # 19
            "}",  # 20
        ]
    )
    value, lines = parse(text)
    assert lines == {
        (): 1,
        ("permissions",): 2,
        ("permissions", "allow"): 3,
        ("permissions", "allow", 0): 4,
        ("permissions", "allow", 1): 5,
        ("permissions", "deny"): 7,
        ("hooks",): 9,
        ("hooks", "PreToolUse"): 9,
        ("hooks", "PreToolUse", 0): 9,
        ("hooks", "PreToolUse", 0, "matcher"): 9,
        ("hooks", "PreToolUse", 0, "hooks"): 10,
        ("hooks", "PreToolUse", 0, "hooks", 0): 10,
        ("hooks", "PreToolUse", 0, "hooks", 0, "type"): 10,
        ("multi",): 11,
        ("list",): 13,
        ("list", 0): 14,
        ("list", 1): 16,
        ("list", 1, "k"): 17,
    }
    for path in lines:
        _resolve(value, path)


def test_root_line_is_where_the_value_starts() -> None:
    assert parse("\n\n  [1]")[1] == {(): 3, (0,): 3}
    assert parse("// header\n/* more */\n{}", jsonc=True)[1] == {(): 3}


def test_crlf_line_endings() -> None:
    _, lines = parse('{\r\n  "a": 1,\r\n  "b": 2\r\n}')
    assert lines[("a",)] == 2
    assert lines[("b",)] == 3


def test_duplicate_keys_last_wins_with_its_line() -> None:
    value, lines = parse('{\n  "a": 1,\n  "b": 0,\n  "a": 2\n}')
    assert value == {"a": 2, "b": 0}
    assert lines[("a",)] == 4


def test_bom_is_tolerated() -> None:
    assert parse('\ufeff{"a": 1}') == ({"a": 1}, {(): 1, ("a",): 1})
    assert parse('\ufeff\n[1]', jsonc=True) == ([1], {(): 2, (0,): 2})


def test_surrogateescape_characters_are_kept() -> None:
    raw = b'{"k\xff": "v\xfe"}'.decode("utf-8", "surrogateescape")
    value, lines = parse(raw)
    assert value == {"k\udcff": "v\udcfe"}
    assert ("k\udcff",) in lines


def test_escapes_decode_like_json() -> None:
    value, _ = parse('"\\ud83d\\ude00 \\ud800 \\u00e9 \\"q\\" \\\\"')
    assert value == "\U0001F600 \ud800 é \"q\" \\"


JSONC = [
    ("// leading\n{\"a\": 1}", {"a": 1}),
    ('{"a": 1, // trailing\n "b": 2}', {"a": 1, "b": 2}),
    ('{"a": /* inside */ 1}', {"a": 1}),
    ('{"a" /* between */ : 1}', {"a": 1}),
    ('{"a": 1 /* before comma */, "b": [1, /* x */ 2]}', {"a": 1, "b": [1, 2]}),
    ('{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
    ("[1,\n// last\n]", [1]),
    ('{"url": "http://x/*not a comment*/"}', {"url": "http://x/*not a comment*/"}),
    ('{"a\\"": "\\u00e9" // c\n}', {'a"': "é"}),
    ("[1] // after the value", [1]),
    ("/* multi\nline */ [1]", [1]),
]


@pytest.mark.parametrize(("text", "expected"), JSONC)
def test_jsonc_accepts_comments_and_trailing_commas(text: str, expected: Any) -> None:
    assert parse(text, jsonc=True)[0] == expected


@pytest.mark.parametrize(("text", "_expected"), [case for case in JSONC if "http" not in case[0]])
def test_strict_rejects_what_only_jsonc_allows(text: str, _expected: Any) -> None:
    with pytest.raises(JsonError):
        parse(text)


def test_jsonc_lines_skip_comments() -> None:
    text = '{\n  // "hidden": 1,\n  /* "x":\n  2 */ "a": 1,\n  "b": [\n    2, // two\n    3,\n  ],\n}'
    value, lines = parse(text, jsonc=True)
    assert value == {"a": 1, "b": [2, 3]}
    assert lines == {(): 1, ("a",): 4, ("b",): 5, ("b", 0): 6, ("b", 1): 7}


ERRORS = [
    # (text, jsonc, line, fragment of the message)
    ("", False, 1, "end of input"),
    ("   \n  ", False, 2, "end of input"),
    ("[", False, 1, "end of input"),
    ('{\n  "a": 1,\n  "b": 2', False, 3, "expected ',' or '}'"),
    ('{"a":1,', False, 1, "end of input"),
    ('{\n  "a" 1\n}', False, 2, "expected ':'"),
    ('{\n  "a": 1\n  "b": 2\n}', False, 3, "expected ',' or '}'"),
    ("[1 2]", False, 1, "expected ',' or ']'"),
    ('{1: 2}', False, 1, "string key"),
    ("{'a': 1}", False, 1, "string key"),
    ("[1,,2]", True, 1, "expected a value"),
    ("[,1]", True, 1, "expected a value"),
    ("[}", False, 1, "expected a value"),
    ('{"a": 1]', False, 1, "expected ',' or '}'"),
    ('{"a": "b": 1}', False, 1, "found ':'"),
    ('"a": 1', False, 1, "found ':'"),
    ("[1,]", False, 1, "trailing comma"),
    ('{"a": 1,\n}', False, 2, "trailing comma"),
    ("// c\n{}", False, 1, "comments are not allowed"),
    ("{\n/* c */}", False, 2, "comments are not allowed"),
    ("{} /* open", True, 1, "unterminated comment"),
    ('"abc', False, 1, "unterminated string"),
    ('[\n"abc\n"]', False, 2, "unterminated string"),
    ('"\\"', False, 1, "unterminated string"),
    ('["\\x"]', False, 1, "escape"),
    ('"\\u12"', False, 1, "escape"),
    ('"\\u12G4"', False, 1, "escape"),
    ('"tab\there"', False, 1, "control character"),
    ("01", False, 1, "invalid number"),
    ("1.", False, 1, "invalid number"),
    (".5", False, 1, "expected a value"),
    ("-", False, 1, "invalid number"),
    ("[1e]", False, 1, "invalid number"),
    ("+1", False, 1, "expected a value"),
    ("NaN", False, 1, "expected a value"),
    ("[Infinity]", False, 1, "expected a value"),
    ("tru", False, 1, "expected a value"),
    ("nul", False, 1, "expected a value"),
    ("[1] x", False, 1, "unexpected data"),
    ("{}\n\n}", False, 3, "unexpected data"),
    ("1 2", False, 1, "unexpected data"),
    ("[1,\u00a02]", False, 1, "expected a value"),
    ("\ufeff", False, 1, "end of input"),
    ("[" + "1" * 5000 + "]", False, 1, "number too long"),
]


@pytest.mark.parametrize(("text", "jsonc", "line", "fragment"), ERRORS, ids=_short)
def test_errors_are_json_errors_with_lines(text: str, jsonc: bool, line: int, fragment: str) -> None:
    with pytest.raises(JsonError) as caught:
        parse(text, jsonc=jsonc)
    assert caught.value.line == line
    assert fragment in caught.value.message
    assert str(caught.value).startswith(f"line {line}: ")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000,
        '{"a":' * 100_000,
        "[" * 200_000 + "]" * 200_000,
        '{"a":[' * 50_000,
        '"' + "a" * 1_000_000,
        '"' + "\\" * 1_000_001,
        '"' + "\\n" * 1_000_000,
        "/*" * 500_000,
        "[" + "1," * 500_000,
        '{"' + 'a":{"' * 100_000,
    ],
    ids=_short,
)
@pytest.mark.parametrize("jsonc", [False, True])
def test_hostile_input_fails_cleanly(text: str, jsonc: bool) -> None:
    with pytest.raises(JsonError) as caught:
        parse(text, jsonc=jsonc)
    assert caught.value.line >= 1


def test_depth_limit() -> None:
    assert parse("[" * 500 + "]" * 500)[0] is not None
    with pytest.raises(JsonError, match="nested too deeply"):
        parse("[" * 501 + "]" * 501)
    assert parse("[[[1]]]", max_depth=3)[0] == [[[1]]]
    with pytest.raises(JsonError, match="nested too deeply"):
        parse("[[[[1]]]]", max_depth=3)


def test_deep_and_wide_input_cannot_exhaust_memory() -> None:
    # Every element's path is 400 components long: reject rather than build them all.
    text = "[" * 400 + "0," * 200_000 + "0" + "]" * 400
    with pytest.raises(JsonError, match="nested too deeply"):
        parse(text)


def test_long_escaped_strings_parse() -> None:
    text = '["' + "\\n" * 500_000 + '", "' + "\\\\" * 500_000 + '"]'
    assert parse(text)[0] == ["\n" * 500_000, "\\" * 500_000]


def test_five_megabytes_of_valid_json() -> None:
    document = {
        "permissions": {"allow": [f"Bash(tool{i}:*)" for i in range(20_000)]},
        "items": [
            {"id": i, "name": f"n\\\"{i}\u00e9", "ratio": i / 7, "on": i % 2 == 0, "none": None, "tags": ["a", "b"]}
            for i in range(30_000)
        ],
    }
    text = json.dumps(document, indent=2)
    assert len(text) > 5_000_000
    value, lines = parse(text)
    assert value == document
    assert lines[("items", 29_999, "tags", 1)] == text.count("\n") - 3


def test_random_mutations_agree_with_json() -> None:
    """Strict mode accepts exactly what json accepts, and raises nothing but JsonError."""
    base = json.dumps(
        {"a": [1, -2.5e3, "x\\y\"z", True, None, {"b": "\u00e9\\u0041"}], "c": {"d": [], "e": {}}},
        indent=1,
    )
    alphabet = '{}[]:,"\\ \n\t0123456789-+.eEtruefalsnl/*u'
    chooser = random.Random(1234)
    for _ in range(3000):
        chars = list(base)
        for _ in range(chooser.randint(1, 4)):
            position = chooser.randrange(len(chars) + 1)
            operation = chooser.randrange(3)
            if operation == 0 and chars:
                del chars[min(position, len(chars) - 1)]
            elif operation == 1:
                chars.insert(position, chooser.choice(alphabet))
            else:
                chars = chars[:position]
        text = "".join(chars)
        try:
            expected = _strict_json(text)
        except ValueError:
            with pytest.raises(JsonError):
                parse(text)
            continue
        value, lines = parse(text)
        assert value == expected
        for path in lines:
            _resolve(value, path)
        try:
            parse(text, jsonc=True)
        except JsonError:
            pytest.fail(f"jsonc rejected valid JSON: {text!r}")


@pytest.mark.parametrize(
    ("lines", "index", "expected"),
    [
        (['  "permissions": {', '    "allow": [', '      "Bash(ls)",', '      "Bash(node:*)"'], 3, ("permissions", "allow", None)),
        (['    "deny": [', '      "Read(./.env)",', '      "Bash(curl:*)",'], 2, ("deny", None)),
        (['  "chat.tools.terminal.autoApprove": {', '    "/.*/": true', "  }"], 1, ("chat.tools.terminal.autoApprove", "/.*/")),
        (["  },", '  "enableAllProjectMcpServers": true'], 1, ("enableAllProjectMcpServers",)),
        # brackets and escaped quotes inside strings are not structure
        (['  "a": {', '    "b": "x { [ \\" ]",', '    "c": 1'], 2, ("a", "c")),
        (['  "a\\"{": [', '    "]",', '    "y"'], 2, ('a"{', None)),
        # a closing line stands for the container it closes
        (['  "a": {', '    "b": 1', "  }"], 2, ("a",)),
        (['  "a": {', '    "b": [1,', "      2]"], 2, ("a", "b", None)),
        # objects inside arrays
        (["{", '  "a": [', "    {", '      "b": 1', "    }", "  ]"], 3, ("a", None, "b")),
        (["{", '  "a": [', "    {", '      "b": 1', "    },", '    {"c": 2}'], 5, ("a", None)),
        # the key of a value on the next line
        (['"k":', "  [1,", "   2"], 2, ("k", None)),
        # comments are ignored
        (['  // "x": {', '  "y": 1'], 1, ("y",)),
        (['  /* "x": {', '  */ "y": 1'], 1, ("y",)),
        # partial fragments: only the known suffix
        (['      "Bash(ls)",', '      "Bash(rm:*)"'], 1, (None,)),
        (['    "b": 1', "  },", '  "c": {', '    "d": 2'], 3, ("c", "d")),
        # nothing to say
        (["  }", "  ]"], 1, ()),
        (["", "   "], 1, ()),
        ([], 0, ()),
        (['"a": 1'], 3, ()),
        (['"a": 1'], -1, ()),
    ],
)
def test_guess_path(lines: list[str], index: int, expected: tuple[str | int | None, ...]) -> None:
    assert guess_path(lines, index) == expected


def test_guess_path_on_hostile_fragments() -> None:
    deep = guess_path(["[" * 200_000, '"a": 1'], 1)
    assert deep[-1] == "a" and set(deep[:-1]) == {None}
    assert guess_path(['"' + "\\" * 100_001, '"a": 1'], 1) == ("a",)
    assert guess_path(["]" * 200_000, "1"], 1) == (None,)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"key": "value",', ("key", "value")),
        ('  "n": 12', ("n", 12)),
        ('"b": true, // why', ("b", True)),
        ('"list": [1, "two"],', ("list", [1, "two"])),
        ('"obj": {"a": null}', ("obj", {"a": None})),
        ('"empty": {}', ("empty", {})),
        ('"Bash(rm:*)",', (None, "Bash(rm:*)")),
        ("42", (None, 42)),
        ('"esc\\"aped": "\\u00e9"', ('esc"aped', "é")),
        ('"key": {', ("key", OPEN)),
        ('"key": [', ("key", OPEN)),
        ('"key": [1, 2,', ("key", OPEN)),
        ('"key": {"a": "unfinished', ("key", OPEN)),
        ("{", (None, OPEN)),
        ("[", (None, OPEN)),
        ('"key":', ("key", UNKNOWN)),
        ("}", (None, UNKNOWN)),
        ("],", (None, UNKNOWN)),
        ("", (None, UNKNOWN)),
        ('"key": value', ("key", UNKNOWN)),
        ('"a": 1 2', ("a", UNKNOWN)),
        ('"a": [1}', ("a", UNKNOWN)),
        ('"unterminated', (None, UNKNOWN)),
        ('"a": "b": 1', ("a", UNKNOWN)),
        ("[" * 100_000, (None, UNKNOWN)),
    ],
    ids=_short,
)
def test_line_member(line: str, expected: tuple[str | None, Any]) -> None:
    assert line_member(line) == expected
