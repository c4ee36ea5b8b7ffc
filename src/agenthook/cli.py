"""Command line: parse, call the library, render. Exit codes: 0 passed,
1 blocked, 2 usage or configuration error, 3 the check itself failed."""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from agenthook import __version__
from agenthook.errors import EXIT_BLOCKED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, AgenthookError
from agenthook.model import FileChange, Severity
from agenthook.policy import Policy
from agenthook.report import Result, jsonout, text
from agenthook.targets import DEFAULT as TARGETS

FORMATS = ("text", "json")


def _severity(ctx: click.Context, param: click.Parameter, value: str | None) -> Severity | None:
    if value is None:
        return None
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def emit(result: Result, fmt: str, *, quiet: bool = False, stream: str = "stdout") -> int:
    """Print the report and return the exit code it stands for."""
    if fmt == "json":
        out = jsonout.render(result)
    else:
        target = sys.stdout if stream == "stdout" else sys.stderr
        colour = target.isatty() and "NO_COLOR" not in os.environ
        out = text.render(result, colour=colour, quiet=quiet)
    click.echo(out, nl=False, err=stream == "stderr")
    if result.errors:
        return EXIT_INTERNAL
    return EXIT_BLOCKED if result.blocked else EXIT_OK


def judge(changes: Sequence[FileChange], policy: Policy) -> Result:
    from agenthook import engine  # noqa: PLC0415 - rule loading only when there is something to judge

    findings = engine.scan(changes) if changes else []
    return Result(findings=findings, policy=policy, files=len(changes))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="agenthook")
def cli() -> None:
    """Stop risky changes to coding-agent instructions and settings."""


@cli.command("check-diff")
@click.argument("inputs", nargs=-1, metavar="[PATCH | - | PATH...]")
@click.option("--staged", is_flag=True, help="Check the index against HEAD.")
@click.option("--range", "revs", metavar="A..B", help="Check each commit of a revision range.")
@click.option("--files", "whole", is_flag=True, help="Judge the named files as if added whole.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--threshold", callback=_severity, metavar="SEVERITY",
              help="Lowest severity that blocks: low, medium, high (default), critical.")
@click.option("--quiet", "-q", is_flag=True, help="Print only blocking findings.")
def check_diff(inputs: tuple[str, ...], staged: bool, revs: str | None, whole: bool, fmt: str,
               threshold: Severity | None, quiet: bool) -> None:
    """Check a change to agent configuration.

    PATCH is a unified diff file, or - for standard input. With --staged, the
    index; with --range, every commit of A..B; with --files, the named files.
    """
    from agenthook import git  # noqa: PLC0415
    from agenthook.sources import files, gitsource  # noqa: PLC0415
    from agenthook.sources.patch import parse_patch  # noqa: PLC0415

    modes = sum((staged, revs is not None, whole, bool(inputs) and not whole))
    if modes != 1:
        raise click.UsageError("give exactly one of PATCH, -, --staged, --range A..B or --files PATH...")
    if whole and not inputs:
        raise click.UsageError("--files needs at least one PATH")
    if not whole and len(inputs) > 1:
        raise click.UsageError("give one PATCH file (or - for standard input)")
    policy = Policy(threshold=threshold or Policy().threshold)
    try:
        if staged:
            changes = gitsource.staged(TARGETS, git.toplevel())
        elif revs is not None:
            changes = gitsource.revision_range(revs, TARGETS, git.toplevel())
        elif whole:
            changes = files.files(list(inputs), TARGETS, _root_or_cwd())
        else:
            changes = parse_patch(_read_patch(inputs[0]), TARGETS)
        result = judge(changes, policy)
    except AgenthookError as exc:
        if fmt != "json":
            raise
        emit(Result(findings=[], policy=policy, errors=[str(exc)]), fmt)
        raise SystemExit(exc.exit_code) from None
    raise SystemExit(emit(result, fmt, quiet=quiet))


@cli.command("rules")
def rules_command() -> None:
    """List every rule: id, name, category, severity and file kinds."""
    from agenthook import ruledocs, rules  # noqa: PLC0415

    click.echo(ruledocs.table(rules.load()), nl=False)


@cli.command("explain")
@click.argument("rule_id")
def explain_command(rule_id: str) -> None:
    """Document one rule (by id or name): what it finds, why, an example, the fix."""
    from agenthook import ruledocs, rules  # noqa: PLC0415

    catalogue = rules.load()
    rule = catalogue.get(rule_id)
    if rule is None:
        raise click.UsageError(f"no rule {rule_id!r}; `agenthook rules` lists them")
    click.echo(ruledocs.explain(rule, catalogue), nl=False)


def _root_or_cwd() -> str:
    from agenthook import git  # noqa: PLC0415

    try:
        return git.toplevel()
    except AgenthookError:
        return os.getcwd()


def _read_patch(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        with open(name, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise AgenthookError(f"cannot read {name}: {exc.strerror}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: every outcome is an exit code and a message, never a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="agenthook", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.Abort:
        click.echo("agenthook: interrupted", err=True)
        return 130
    except AgenthookError as exc:
        click.echo(f"agenthook: error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("agenthook: interrupted", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: report, never a traceback
        if os.environ.get("AGENTHOOK_DEBUG"):
            raise
        click.echo(f"agenthook: internal error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_INTERNAL
    return EXIT_OK
