"""A deferred pattern answers exactly as the compiled one does."""
from __future__ import annotations

import re

from agenthook import lazyre


def test_deferred_pattern_behaves_like_the_compiled_one() -> None:
    source, flags = r"\b(?P<word>curl|wget)\b", re.IGNORECASE
    deferred, compiled = lazyre.compile(source, flags), re.compile(source, flags)
    text = "Run CURL, then wget; not curling."
    assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert deferred.search(text)["word"] == "CURL"
    assert deferred.sub("x", text) == compiled.sub("x", text)
    assert deferred.match(text) is None and deferred.fullmatch("wget") is not None
    assert (deferred.pattern, deferred.flags, deferred.groupindex) == (source, compiled.flags, compiled.groupindex)


def test_an_invalid_deferred_pattern_fails_on_first_use() -> None:
    deferred = lazyre.compile("(")
    try:
        deferred.search("x")
    except re.error:
        return
    raise AssertionError("an invalid pattern must raise re.error when first used")


def test_every_deferred_pattern_in_agenthook_compiles() -> None:
    """A typo in a rarely reached pattern would otherwise surface only when a
    commit first reaches it."""
    import importlib
    import pkgutil

    import agenthook

    deferred = []
    for module in pkgutil.walk_packages(agenthook.__path__, "agenthook."):
        if module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        deferred += [value for value in vars(loaded).values() if isinstance(value, lazyre._Deferred)]
    assert len(deferred) >= 30
    for pattern in deferred:
        assert isinstance(pattern.groups, int)  # compiles, or raises re.error
