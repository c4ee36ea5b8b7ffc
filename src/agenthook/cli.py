"""Command line: parse, call the library, render. Exit codes: 0 passed,
1 blocked, 2 usage or configuration error, 3 the check itself failed."""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from agenthook import __version__
from agenthook.errors import EXIT_OK, EXIT_USAGE, AgenthookError
from agenthook.model import Severity
from agenthook import policy as policies
from agenthook.policy import Policy
from agenthook.outcome import emit, guarded, judge
from agenthook.report import Result, text
from agenthook.targets import DEFAULT as TARGETS

FORMATS = ("text", "json", "sarif")


def _severity(ctx: click.Context, param: click.Parameter, value: str | None) -> Severity | None:
    if value is None:
        return None
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


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
@click.option("--config", "config", metavar="FILE",
              help="Judge with the policy in FILE instead of the committed one.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also list suppressed findings and unused allow entries (in JSON: fingerprints too).")
def check_diff(inputs: tuple[str, ...], staged: bool, revs: str | None, whole: bool, fmt: str,
               threshold: Severity | None, quiet: bool, config: str | None, verbose: bool) -> None:
    """Check a change to agent configuration.

    PATCH is a unified diff file, or - for standard input. With --staged, the
    index; with --range, every commit of A..B; with --files, the named files.
    The policy is FILE with --config, else the one committed in the
    repository (at HEAD; for a range, at its base), else the defaults: a
    change never loosens the policy it is judged by.
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
    policy = Policy()
    try:
        policy = _policy(config, revs)
        if threshold is not None:
            policy = policies.with_threshold(policy, threshold, "--threshold")
        targets = TARGETS.with_extra(policy.paths)
        if staged:
            changes = gitsource.staged(targets, git.toplevel())
        elif revs is not None:
            changes = gitsource.revision_range(revs, targets, git.toplevel())
        elif whole:
            changes = files.files(list(inputs), targets, _root_or_cwd())
        else:
            changes = parse_patch(_read_patch(inputs[0]), targets)
        result = judge(changes, policy)
    except AgenthookError as exc:
        if fmt == "text":
            raise
        emit(Result(findings=[], policy=policy, errors=[str(exc)]), fmt)
        raise SystemExit(exc.exit_code) from None
    raise SystemExit(emit(result, fmt, quiet=quiet, verbose=verbose))


def _policy(config: str | None, revs: str | None) -> Policy:
    """--config FILE, else the policy committed before the change, else the defaults."""
    from agenthook import git  # noqa: PLC0415

    if config is not None:
        return policies.load_path(config)
    try:
        root = git.toplevel()
    except AgenthookError:
        return Policy()  # not in a repository: nothing is committed
    return policies.at(policies.range_base(revs, root) if revs is not None else "HEAD", root)


@cli.command("config")
@click.option("--config", "config", metavar="FILE", help="Show the policy in FILE instead of the committed one.")
def config_command(config: str | None) -> None:
    """Print the effective policy and where each value came from.

    In a repository this is the committed policy (HEAD), the one every check
    uses; a policy file edited in the working tree takes effect once committed.
    Exits 2 when a policy file is invalid.
    """
    from agenthook import git  # noqa: PLC0415

    if config is not None:
        click.echo(text.policy(policies.load_path(config)), nl=False)
        return
    try:
        root = git.toplevel()
    except AgenthookError:
        click.echo(text.policy(Policy()), nl=False)
        return
    effective = policies.committed(root)
    click.echo(text.policy(effective), nl=False)
    working = policies.working(root)
    if working is not None and not policies.same(working, effective):
        click.echo(f"# note: {working.origin} in the working tree differs from the committed policy; "
                   f"it takes effect once committed", err=True)


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


@cli.command("guard")
def guard_command() -> None:
    """Judge a coding agent's tool call before it runs (the agent's pre-tool hook).

    Reads the hook event of Claude Code (PreToolUse), Gemini CLI (BeforeTool)
    or Windsurf (pre_write_code, pre_run_command) on standard input. An edit
    of an agent file that a rule blocks is refused in the agent's contract,
    with the report as the reason; a shell command that writes an agent file
    is asked about; anything else passes silently. `agenthook install --agent
    NAME` writes the hook.
    """
    from agenthook.guard import main as guard  # noqa: PLC0415

    raise SystemExit(guard())


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

    def invoke() -> int:
        try:
            cli.main(args=list(argv) if argv is not None else None, prog_name="agenthook", standalone_mode=False)
        except click.exceptions.Exit as exc:
            return exc.exit_code
        except click.ClickException as exc:
            exc.show()
            return EXIT_USAGE
        except click.Abort:
            raise KeyboardInterrupt from None
        return EXIT_OK

    return guarded(invoke)


from agenthook.hookcli import register; register(cli)  # noqa: E402, E702 - the git hook commands
