"""agenthook's own TOML data (rules, grant tables), read through a JSON copy.

Parsing ~200 KB of TOML in pure Python costs a small commit's hook more than
everything else it does; reading the same data as JSON costs a twentieth of
that. The copy lives in the `__pycache__` directory beside the TOML files,
like Python's own bytecode: whoever can write it can write the bytecode too,
so it trusts no one new, and its name need only tell versions apart, not
resist forgery: it is named by checksums and lengths of the TOML files (zlib's
CRC-32, which costs no OpenSSL import), so an edited or upgraded file never
meets a stale copy. A copy that cannot be read or written is simply not used.
"""
from __future__ import annotations

import json
import os
import sys
import zlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING: `agenthook guard` reads its table on every tool call, without typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

_FORMAT = b"agenthook-toml-cache-1"


def load(paths: Sequence[str], name: str) -> list[dict[str, Any]]:
    """The parsed content of each file of `paths`, in order. `name` names the
    cached copy; the files must share a directory."""
    contents = []
    for path in paths:
        with open(path, "rb") as handle:
            contents.append(handle.read())
    key = _FORMAT
    for path, content in zip(paths, contents):
        key += b"\0%s\0%d\0%08x" % (os.path.basename(path).encode(), len(content), zlib.crc32(content))
    cache_dir = os.path.join(os.path.dirname(paths[0]), "__pycache__")
    cache = os.path.join(cache_dir, f"{name}.{zlib.crc32(key):08x}{len(key):x}.json")
    try:
        with open(cache, encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, list) and len(data) == len(paths):
            return data
    except (OSError, ValueError):
        pass
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415 - only when there is no usable copy
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib  # noqa: PLC0415
    data = [tomllib.loads(content.decode("utf-8")) for content in contents]
    _store(cache_dir, cache, name, data)
    return data


def _store(cache_dir: str, cache: str, name: str, data: list[dict[str, Any]]) -> None:
    """Write the copy atomically, and drop copies of earlier versions."""
    temporary = f"{cache}.{os.getpid()}.tmp"
    try:
        os.makedirs(cache_dir, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, cache)
        for entry in os.listdir(cache_dir):
            if entry.startswith(f"{name}.") and entry.endswith(".json") and os.path.join(cache_dir, entry) != cache:
                os.unlink(os.path.join(cache_dir, entry))
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass
