"""Module-level patterns compiled on first use.

Compiling a pattern costs far more than most single uses of it, and a commit
hook pays for every pattern its modules compile at import. Most of them serve
rare cases (an HTML comment, a hidden character, a remote host) that an
ordinary commit never reaches, so they wait until one does.
"""
from __future__ import annotations

import re

# What callers use of a compiled pattern; copied onto the proxy once compiled,
# so that later calls cost what calls on the pattern itself cost.
_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern", "flags",
              "groups", "groupindex")


class _Deferred:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:
        compiled = re.compile(*self._source)
        for attribute in _FORWARDED:
            self.__dict__[attribute] = getattr(compiled, attribute)
        return getattr(compiled, name)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - mirrors re.compile
    """A stand-in for `re.compile(pattern, flags)` that compiles when first used.
    It answers the pattern methods; it is not accepted where `re` functions
    expect a compiled pattern object."""
    return _Deferred(pattern, flags)  # type: ignore[return-value]
