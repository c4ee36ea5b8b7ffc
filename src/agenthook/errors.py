"""Errors that reach the user, each with its exit code."""
from __future__ import annotations

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class AgenthookError(Exception):
    """A problem the user can act on: bad input, bad configuration, bad usage."""

    exit_code = EXIT_USAGE


class GitError(AgenthookError):
    """git failed; the check could not see the change, so it must not pass."""

    exit_code = EXIT_INTERNAL


class ConfigError(AgenthookError):
    """A policy file agenthook cannot use: bad TOML, an unknown key, a bad value."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
