"""How a run ends: the changes judged, the report written, and every failure
turned into a message and an exit code (0 passed, 1 blocked, 2 usage or
configuration, 3 the check failed; 130 interrupted), never a traceback.

Kept free of click: a git hook in the shape git or the pre-commit framework
calls it goes from `hookcli` straight to here, and click's import is a large
part of a small commit's cost.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from agenthook.errors import EXIT_BLOCKED, EXIT_INTERNAL, EXIT_OK, AgenthookError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from agenthook.model import FileChange
    from agenthook.policy import Policy
    from agenthook.report import Result

EXIT_INTERRUPTED = 130


def write(out: str, *, err: bool = False) -> None:
    """Write a report whatever the stream's encoding: a character it cannot
    encode is escaped, not fatal (a report must reach the reader)."""
    stream = sys.stderr if err else sys.stdout
    try:
        stream.write(out)
    except UnicodeEncodeError:
        stream.flush()
        stream.buffer.write(out.encode(stream.encoding or "utf-8", "backslashreplace"))
    stream.flush()


def judge(changes: Sequence[FileChange], policy: Policy) -> Result:
    """Findings of `changes` as `policy` sees them: disabled rules dropped,
    accepted findings set apart as suppressed, expired allow entries noted."""
    from agenthook import engine, suppress  # noqa: PLC0415 - rule loading only when there is something to judge
    from agenthook.report import Result  # noqa: PLC0415
    from agenthook.targets import AGENTHOOK_CONFIG  # noqa: PLC0415

    findings = engine.scan(changes) if changes else []
    # The engine skips deleted files, but deleting the policy file loosens it too.
    deleted_policy = [c for c in changes if c.status == "D" and c.kind == AGENTHOOK_CONFIG]
    if deleted_policy:
        from agenthook import rules  # noqa: PLC0415
        from agenthook.structured import tamper  # noqa: PLC0415

        findings += [f for c in deleted_policy for f in tamper.analyze(c, rules.load())]
    verdict = suppress.apply(findings, changes, policy)
    files = len({(c.commit, c.path) for c in changes})  # a file can come as its change and whole, as a hook's script
    return Result(findings=verdict.findings, policy=policy, files=files, suppressed=verdict.suppressed,
                  unused_allow=verdict.unused_allow, expired=verdict.expired)


def emit(result: Result, fmt: str, *, quiet: bool = False, stream: str = "stdout", verbose: bool = False,
         compact: bool = False) -> int:
    """Print the report and return the exit code it stands for. Text is in
    colour only on a terminal, and never when NO_COLOR is set."""
    err = stream == "stderr"
    if fmt == "json":
        from agenthook.report import jsonout  # noqa: PLC0415

        out = jsonout.render(result, verbose)
    elif fmt == "sarif":
        from agenthook.report import sarif  # noqa: PLC0415

        out = sarif.render(result)
    else:
        from agenthook.report import text  # noqa: PLC0415

        colour = (sys.stderr if err else sys.stdout).isatty() and not os.environ.get("NO_COLOR")
        out = text.render(result, colour=colour, quiet=quiet, verbose=verbose, compact=compact)
    write(out, err=err)
    if result.errors:
        return EXIT_INTERNAL
    return EXIT_BLOCKED if result.blocked else EXIT_OK


def guarded(action: Callable[[], int]) -> int:
    """Run a command: its exit code, or the message and exit code of whatever
    stopped it. AGENTHOOK_DEBUG=1 lets an unexpected exception through."""
    try:
        return action()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except AgenthookError as exc:
        write(f"agenthook: error: {exc}\n", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        write("agenthook: interrupted\n", err=True)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence: report, never a traceback
        if os.environ.get("AGENTHOOK_DEBUG"):
            raise
        write(f"agenthook: internal error: {type(exc).__name__}: {exc}\n", err=True)
        return EXIT_INTERNAL
