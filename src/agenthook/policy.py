"""What blocks: the threshold, disabled rules, accepted findings, watched paths.

Where a policy comes from is a security decision: a change cannot loosen the
policy it is judged by. On the client the committed policy (HEAD, or the base
of a range) judges a change; on a server only the server's own policy file
counts, and only there does its `[server]` table mean anything.
"""
from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from agenthook import lazyre
from agenthook.errors import ConfigError
from agenthook.model import CATEGORIES, Finding, Rule, Severity
from agenthook.structured import tomlloc

DEFAULT_THRESHOLD = Severity.HIGH
DEFAULT_TIME_LIMIT = 25.0
POLICY_FILE = ".agenthook.toml"
PYPROJECT = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "agenthook")
DEFAULT_ORIGIN = "built-in defaults"

TOP_KEYS = ("threshold", "disable", "paths", "allow", "server")
ALLOW_KEYS = ("rule", "path", "match", "reason", "expires")
# Both spellings are accepted, as in pyproject tables of other tools.
SERVER_KEYS = {"fail_open": "fail_open", "fail-open": "fail_open", "time_limit": "time_limit",
               "time-limit": "time_limit", "break_glass": "break_glass", "break-glass": "break_glass"}
_RULE_ID = lazyre.compile(r"^ah[0-9]+$", re.IGNORECASE)


def rule_ref(value: str) -> str:
    """A rule id, rule name or category in the form rules use: ids upper-case, the rest lower."""
    value = value.strip()
    return value.upper() if _RULE_ID.match(value) else value.lower()


def refers_to(ref: str, rule: Rule) -> bool:
    return ref in (rule.id, rule.name, rule.category)


class AllowEntry(NamedTuple):
    """An accepted finding, keyed on content (rule + path + matched text), never on a line number."""

    rule: str  # a rule id, a rule name or a whole category
    path: str  # a path or glob
    match: str  # text that must occur in the finding's line
    reason: str
    expires: datetime.date | None = None
    origin: str = ""

    def expired(self, today: datetime.date) -> bool:
        """The entry applies through its expiry date and stops the day after."""
        return self.expires is not None and today > self.expires


class Policy(NamedTuple):
    threshold: Severity = DEFAULT_THRESHOLD
    disabled: frozenset[str] = frozenset()  # rule ids, rule names or categories
    paths: tuple[str, ...] = ()  # extra watched globs (judged as instruction files)
    allow: tuple[AllowEntry, ...] = ()
    origin: str = DEFAULT_ORIGIN
    sources: Mapping[str, str] = MappingProxyType({})  # key -> where its value came from
    # Server-side settings ([server] table); honoured only in a server policy.
    fail_open: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    break_glass: bool = False

    def blocks(self, finding: Finding) -> bool:
        return finding.severity >= self.threshold

    def disables(self, rule: Rule) -> bool:
        return any(refers_to(ref, rule) for ref in self.disabled)

    def source(self, key: str) -> str:
        return self.sources.get(key, "default")


def _label(where: str, path: tuple[str | int, ...]) -> str:
    """`file: key` as a message names it, e.g. `.agenthook.toml: allow[2].reason`."""
    key = ""
    for part in path:
        key += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if key else part
    return f"{where}: {key}" if key else where


class _Reader:
    """Validates one parsed policy table, remembering where each value sits."""

    def __init__(self, where: str, lines: Mapping[tuple[Any, ...], int], prefix: tuple[str, ...]) -> None:
        self.where = where
        self.lines = lines
        self.prefix = prefix

    def at(self, *path: str | int) -> str:
        line = self.lines.get(self.prefix + path)
        return f"{self.where}:{line}" if line else self.where

    def error(self, path: tuple[str | int, ...], message: str) -> ConfigError:
        """An error naming the file, the line of the key (or of its table) and the key."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(self.prefix + path[:end])
            if line:
                return ConfigError(f"{_label(f'{self.where}:{line}', path)}: {message}", line)
        return ConfigError(f"{_label(self.where, path)}: {message}")

    def unknown_keys(self, table: Mapping[str, Any], allowed: tuple[str, ...] | Mapping[str, str],
                     path: tuple[str | int, ...] = ()) -> None:
        for key in table:
            if key not in allowed:
                names = ", ".join(allowed)
                raise self.error(path + (key,), f"unknown key (allowed: {names})")

    def strings(self, value: Any, path: tuple[str | int, ...], what: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(path, f"expected a list of {what}, got {value!r}")
        return list(value)

    def rule_ref(self, value: str, path: tuple[str | int, ...]) -> str:
        from agenthook import rules  # noqa: PLC0415 - the catalogue only when a policy names rules

        ref = rule_ref(value)
        if ref not in CATEGORIES and rules.load().get(ref) is None:
            raise self.error(path, f"no rule or category {value!r} (allowed: a rule id such as AH201, a rule "
                                   f"name or a category; `agenthook rules` lists them)")
        return ref


def _threshold(reader: _Reader, value: Any) -> Severity:
    if not isinstance(value, str):
        raise reader.error(("threshold",), f"expected a severity name, got {value!r}")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise reader.error(("threshold",), str(exc)) from None


def _date(reader: _Reader, value: Any, path: tuple[str | int, ...]) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise reader.error(path, f"{value!r} is not a date (allowed: YYYY-MM-DD)")


def _allow(reader: _Reader, value: Any) -> tuple[AllowEntry, ...]:
    if not isinstance(value, list):
        raise reader.error(("allow",), "expected [[allow]] tables (rule, path, match, reason; expires optional)")
    entries = []
    for i, item in enumerate(value):
        path: tuple[str | int, ...] = ("allow", i)
        if not isinstance(item, dict):
            raise reader.error(path, "expected a table with rule, path, match and reason (expires optional)")
        reader.unknown_keys(item, ALLOW_KEYS, path)
        for key in ("rule", "path", "match", "reason"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                got = "missing" if key not in item else f"{item[key]!r} is not a non-empty string"
                raise reader.error(path + (key,), f"{got} (an allow entry needs rule, path, match and reason, "
                                                  f"as strings; expires is optional)")
        rule = reader.rule_ref(item["rule"], path + ("rule",))
        expires = _date(reader, item["expires"], path + ("expires",)) if "expires" in item else None
        entries.append(AllowEntry(rule=rule, path=item["path"].strip(), match=item["match"], reason=item["reason"],
                                  expires=expires, origin=reader.at("allow", i)))
    return tuple(entries)


def _server(reader: _Reader, value: Any) -> dict[str, tuple[Any, str]]:
    """Each server setting by its canonical name, with the key it was written as."""
    if not isinstance(value, dict):
        raise reader.error(("server",), "expected a table with fail_open, time_limit, break_glass")
    reader.unknown_keys(value, SERVER_KEYS, ("server",))
    settings: dict[str, tuple[Any, str]] = {}
    for key, item in value.items():
        name = SERVER_KEYS[key]
        if name in settings:
            raise reader.error(("server", key), f"{name} is given twice (as {name} and as {name.replace('_', '-')})")
        if name == "time_limit":
            if isinstance(item, bool) or not isinstance(item, (int, float)) or item <= 0:
                raise reader.error(("server", key), f"expected a positive number of seconds, got {item!r}")
            settings[name] = (float(item), key)
        elif not isinstance(item, bool):
            raise reader.error(("server", key), f"expected true or false, got {item!r}")
        else:
            settings[name] = (item, key)
    return settings


def parse(table: Mapping[str, Any], where: str, *, lines: Mapping[tuple[Any, ...], int] | None = None,
          prefix: tuple[str, ...] = (), server: bool = True) -> Policy:
    """A Policy from a parsed policy table; ConfigError names the file, the key and what is allowed.

    With `server=False` the `[server]` table is validated but not applied: a
    repository's own policy must not decide how the server treats its pushes.
    """
    reader = _Reader(where, lines or {}, prefix)
    reader.unknown_keys(table, TOP_KEYS)
    values: dict[str, Any] = {"origin": where}
    sources: dict[str, str] = {}
    if "threshold" in table:
        values["threshold"] = _threshold(reader, table["threshold"])
        sources["threshold"] = reader.at("threshold")
    if "disable" in table:
        refs = reader.strings(table["disable"], ("disable",), "rule ids, rule names or categories")
        values["disabled"] = frozenset(reader.rule_ref(ref, ("disable", i)) for i, ref in enumerate(refs))
        sources["disable"] = reader.at("disable")
    if "paths" in table:
        values["paths"] = tuple(p.strip() for p in reader.strings(table["paths"], ("paths",), "path globs"))
        sources["paths"] = reader.at("paths")
    if "allow" in table:
        values["allow"] = _allow(reader, table["allow"])
        sources["allow"] = reader.at("allow")
    if "server" in table:
        for name, (value, key) in _server(reader, table["server"]).items():
            if server:
                values[name] = value
                sources[name] = reader.at("server", key)
            else:
                sources[name] = f"default ({reader.at('server', key)} applies only to a server policy)"
    return Policy(sources=sources, **values)


def from_text(text: str, where: str, *, pyproject: bool = False, server: bool = True) -> Policy | None:
    """The policy in a file's text; None for a pyproject.toml without `[tool.agenthook]`."""
    try:
        data = tomlloc.parse(text)
    except tomlloc.TomlError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}", exc.line) from None
    lines = tomlloc.key_lines(text)
    if not pyproject:
        return parse(data, where, lines=lines, server=server)
    table = data.get("tool", {}).get("agenthook") if isinstance(data.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: tool.agenthook: expected a table ([tool.agenthook])")
    return parse(table, f"{where} [tool.agenthook]", lines=lines, prefix=PYPROJECT_TABLE, server=server)


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not UTF-8 text") from None


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read policy file {path}: {exc.strerror}") from None


def load_path(path: str) -> Policy:
    """The policy in a file named on the command line or by a server's configuration.

    A file named `pyproject.toml` is read for its `[tool.agenthook]` table;
    any other file is a policy file. Its `[server]` table is honoured: the
    caller, not a repository, chose this file.
    """
    data = _read(path)
    pyproject = os.path.basename(path) == PYPROJECT
    policy = from_text(_decode(data, path), path, pyproject=pyproject)
    if policy is None:
        raise ConfigError(f"{path}: no [tool.agenthook] table (give a pyproject.toml that has one, "
                          f"or an .agenthook.toml)")
    return policy


def at(rev: str, cwd: str | None = None) -> Policy:
    """The repository's policy as committed in `rev`: its `.agenthook.toml`,
    else the `[tool.agenthook]` table of its `pyproject.toml`, else the
    defaults. A repository's policy never sets server behaviour."""
    from agenthook import git  # noqa: PLC0415

    return of_commit(git.resolve(rev, cwd), rev, cwd)


def of_commit(commit: str | None, rev: str, cwd: str | None = None) -> Policy:
    """`at(rev)` for a `rev` already resolved to `commit` (None: no commit yet, the defaults)."""
    from agenthook import git  # noqa: PLC0415

    if commit is None:
        return Policy()
    blobs = git.files_at(commit, [POLICY_FILE, PYPROJECT], cwd)
    hint = "; the committed policy judges every change, so fix it in a commit of its own"
    for name in (POLICY_FILE, PYPROJECT):
        data = blobs[name]
        # A pyproject.toml that never mentions agenthook holds no policy, even when it is broken.
        if data is None or (name == PYPROJECT and b"agenthook" not in data):
            continue
        where = f"{name} at {rev}" if rev == "HEAD" else f"{name} at {commit[:12]}"
        try:
            policy = from_text(_decode(data, where), where, pyproject=name == PYPROJECT, server=False)
        except ConfigError as exc:
            raise ConfigError(f"{exc}{hint}", exc.line) from None
        if policy is not None:
            return policy
    return Policy()


def working(root: str) -> Policy | None:
    """The policy file in the working tree, as the next commit would carry it;
    None when there is none. Its `[server]` table is not applied."""
    for name in (POLICY_FILE, PYPROJECT):
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        data = _read(path)
        if name == PYPROJECT and b"agenthook" not in data:
            continue
        policy = from_text(_decode(data, name), name, pyproject=name == PYPROJECT, server=False)
        if policy is not None:
            return policy
    return None


def same(a: Policy, b: Policy) -> bool:
    """Whether two policies judge a client-side change alike, wherever they came from."""
    def rules(p: Policy) -> tuple[Any, ...]:
        return p.threshold, p.disabled, p.paths, tuple((e.rule, e.path, e.match, e.expires) for e in p.allow)

    return rules(a) == rules(b)


def committed(cwd: str) -> Policy:
    """The client's policy: the one committed at HEAD (defaults before the first commit)."""
    return at("HEAD", cwd)


def with_threshold(policy: Policy, threshold: Severity, source: str) -> Policy:
    return policy._replace(threshold=threshold, sources={**policy.sources, "threshold": source})


def range_base(spec: str, cwd: str | None = None) -> str:
    """The revision whose policy judges a range: the one committed before it,
    never one the range brings (in CI, HEAD is the pull request's own tip)."""
    from agenthook import git  # noqa: PLC0415

    if "..." in spec:
        left, right = spec.split("...", 1)
        return git.merge_base(left or "HEAD", right or "HEAD", cwd) or left or "HEAD"
    if ".." in spec:
        return spec.split("..", 1)[0] or "HEAD"
    return f"{spec}^"
