"""The git entry points: `pre-commit`, `pre-push`, `pre-receive` and `install`.

Each hook command reads what git, or the pre-commit framework, hands a hook,
turns it into changes and judges them as `check-diff` does. Exit codes as
everywhere: 0 passed, 1 blocked, 2 usage or configuration, 3 the check failed.
The server hook fails closed: whatever goes wrong rejects the push, unless the
server's own policy sets fail_open.

`main` is the `agenthook` command itself. A plain pre-commit hook runs for
every commit, so a commit that stages no agent file ends here after a single
git call, before click, the rules and the engine load.
"""
from __future__ import annotations

import os
import sys

from agenthook.errors import EXIT_BLOCKED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, AgenthookError, GitError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the fast path
if TYPE_CHECKING:
    from collections.abc import Sequence

    import click

    from agenthook.git import Deadline, RawEntry
    from agenthook.model import FileChange, Finding
    from agenthook.policy import Policy
    from agenthook.report import Result
    from agenthook.sources.push import RefUpdate
    from agenthook.targets import Targets

SERVER_EXCLUDE = ("--branches", "--tags")  # what a server has vetted: see sources/push.py
PROGRESS_AT = 1000  # new commits from which the pusher is told that a check is under way
CONTINUED = "agenthook:     "  # the start of a message's wrapped line
POLICY_FILES = (".agenthook.toml", "pyproject.toml")  # policy.POLICY_FILE, policy.PYPROJECT, without its imports
GITLINK, SYMLINK = "160000", "120000"  # gitsource's, without its imports


def _under_framework() -> bool:
    return os.environ.get("PRE_COMMIT") == "1"


def _read_stdin(command: str, *, required: bool = True) -> bytes:
    """All of standard input, so git never writes into a closed pipe."""
    if sys.stdin is None or sys.stdin.isatty():
        if required:
            raise AgenthookError(f"{command} reads git's list of refs on standard input; git runs it as a hook")
        return b""
    return sys.stdin.buffer.read()


def _targets(policy: Policy) -> Targets:
    from agenthook.targets import DEFAULT  # noqa: PLC0415

    return DEFAULT.with_extra(policy.paths)


def _load_rules() -> None:
    """Compile the rules now, while git works in its own processes: the two overlap.
    A broken catalogue is left for judge() to load again and report."""
    try:
        from agenthook import engine, rules, special, suppress  # noqa: F401, PLC0415
        from agenthook.structured import settings, tamper  # noqa: F401, PLC0415

        rules.load()
    except Exception:  # noqa: BLE001, S110
        pass


def _commit(rev: str, what: str) -> str:
    from agenthook import git  # noqa: PLC0415

    commit = git.resolve(rev)
    if commit is None:
        raise AgenthookError(f"{what} names no commit: {rev!r}")
    return commit


# -- pre-commit ---------------------------------------------------------------


def pre_commit(files: Sequence[str], quiet: bool = False) -> int:
    """The staged change (the index git is about to commit: GIT_INDEX_FILE is honoured).

    Named FILES are judged on their staged change, or whole when they have none.
    Under the pre-commit framework, `--from-ref/--to-ref` judges those commits,
    and when nothing is staged (`run --all-files`, the manual stage) every
    watched file is judged whole instead of passing for want of a change.
    """
    listed = None if files else _quick_listing()
    if listed is not None and not any(_may_concern_agents(e) for e in listed) and not _maybe_hooked(listed):
        return EXIT_OK
    from agenthook import git, policy as policies  # noqa: PLC0415
    from agenthook.outcome import emit, judge  # noqa: PLC0415
    from agenthook.sources import gitsource, push  # noqa: PLC0415

    top, head = git.toplevel_and_head()
    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref and not files:
        tip, base = _commit(to_ref, "PRE_COMMIT_TO_REF"), _commit(from_ref, "PRE_COMMIT_FROM_REF")
        policy = policies.at(base, top)
        changes = push.commit_changes([tip], [base], _targets(policy), top)
    else:
        policy = policies.of_commit(head, "HEAD", top)
        targets = _targets(policy)
        if files:
            changes = _named_files(files, targets, top)
        else:
            changes = gitsource.staged(targets, top, head or git.empty_tree(top), listed)
            if not changes and _under_framework():
                changes = _whole_tree(targets, top)
    if not changes:
        return EXIT_OK
    return emit(judge(changes, policy), "text", quiet=quiet, stream="stderr")


def _named_files(files: Sequence[str], targets: Targets, top: str) -> list[FileChange]:
    from agenthook.sources import files as whole, gitsource  # noqa: PLC0415

    named = {os.path.relpath(os.path.abspath(f), top).replace(os.sep, "/"): f for f in files}
    staged = [c for c in gitsource.staged(targets, top) if c.path in named]
    rest = [named[p] for p in named if p not in {c.path for c in staged}]
    return staged + (whole.files(rest, targets, top) if rest else [])


def _whole_tree(targets: Targets, top: str) -> list[FileChange]:
    """Every watched file of the checkout, as if added whole."""
    from agenthook import git  # noqa: PLC0415
    from agenthook.sources import files as whole  # noqa: PLC0415

    paths = [os.path.join(top, p) for p in git.tracked_files(top) if targets.kind_of(p)]
    return whole.files([p for p in paths if os.path.lexists(p)], targets, top)


def _quick_listing() -> list[RawEntry] | None:
    """The staged entries, for a plain pre-commit hook (run, as git runs hooks, at
    the top of the working tree) to answer a commit without agent files at once;
    the full check reuses them. None where the built-in watched paths may not be
    the whole story (a policy file could add more: away from the top its absence
    proves nothing; the framework may ask for other commits) or git failed (the
    full command reports it)."""
    if _under_framework() or os.environ.get("PRE_COMMIT_TO_REF") or not os.path.lexists(".git") \
            or _has_policy_file():
        return None
    from agenthook import git  # noqa: PLC0415

    try:
        return git.staged_entries()
    except AgenthookError:
        return None


def _may_concern_agents(entry: RawEntry) -> bool:
    """A watched path, a submodule or a symlink: the last two can sit where
    agent files live (.claude, .cursor/rules), and the full check knows those places."""
    from agenthook.targets import DEFAULT  # noqa: PLC0415

    return DEFAULT.kind_of(entry.path) is not None or GITLINK in (entry.old_mode, entry.new_mode) \
        or entry.new_mode == SYMLINK  # a link can stand where a directory of agent files lives


# Where settings that run hooks sit at the top of a working tree (the
# hook-running kinds of targets.py at the root; tests keep the two in step).
ROOT_HOOK_SETTINGS = (".claude/settings.json", ".claude/settings.local.json", "managed-settings.json",
                      ".claude-plugin/plugin.json", "hooks/hooks.json", ".cursor/hooks.json",
                      ".cursor/permissions.json", ".cursor/sandbox.json", ".cursor/cli.json", ".gemini/settings.json")
ROOT_HOOK_DIRS = ("managed-settings.d", ".amazonq/cli-agents")
_MAX_SETTINGS = 8 * 1024 * 1024  # gitsource.MAX_TEXT, without its imports


def _maybe_hooked(listed: list[RawEntry]) -> bool:
    """A staged file that a hook may run: its name occurs in a settings file at
    the top of the working tree. A cheap, generous test (the full check reads
    the committed hooks exactly); settings nested deeper are left to it and to
    the server."""
    names = {e.path.rsplit("/", 1)[-1].encode("utf-8", "surrogateescape") for e in listed}
    paths = [*ROOT_HOOK_SETTINGS, *(os.path.join(d, n) for d in ROOT_HOOK_DIRS if os.path.isdir(d)
                                    for n in os.listdir(d) if n.endswith(".json"))]
    for path in paths:
        try:
            with open(path, "rb") as handle:
                text = handle.read(_MAX_SETTINGS + 1)
        except OSError:
            continue
        # A settings file this large, or one spelling characters as `\u` escapes
        # (a name written that way is not found as bytes), is left to the full check.
        if len(text) > _MAX_SETTINGS or b"\\u" in text or any(name in text for name in names):
            return True
    return False


def _has_policy_file() -> bool:
    if os.path.lexists(POLICY_FILES[0]):
        return True
    try:
        with open(POLICY_FILES[1], "rb") as handle:
            return b"agenthook" in handle.read()
    except OSError:
        return False


# -- pre-push -----------------------------------------------------------------


def pre_push(remote: str | None, quiet: bool = False) -> int:
    """Every ref of the push, each judged by the commits the remote does not have.

    Under the pre-commit framework standard input is already consumed; its
    PRE_COMMIT_FROM_REF/TO_REF (or, on a first push, the local branch) say what
    is pushed, and with neither every watched file is judged whole.
    """
    from agenthook import git, policy as policies  # noqa: PLC0415
    from agenthook.outcome import emit, judge  # noqa: PLC0415
    from agenthook.sources import push  # noqa: PLC0415

    framework = _under_framework()
    data = _read_stdin("agenthook pre-push", required=not framework)
    policy = policies.committed(git.toplevel())
    targets = _targets(policy)
    if framework:
        changes = _framework_push(targets)
    else:
        updates = push.parse_pre_push(data)
        peeled = push.tips(updates)
        exclude = push.remote_exclusions(remote, updates)
        changes = push.commit_changes(list(peeled.values()), exclude, targets)
    if not changes:
        return EXIT_OK
    return emit(judge(changes, policy), "text", quiet=quiet, stream="stderr")


def _framework_push(targets: Targets) -> list[FileChange]:
    from agenthook import git  # noqa: PLC0415
    from agenthook.sources import push  # noqa: PLC0415

    env = os.environ
    to_ref = env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_LOCAL_BRANCH")
    if not to_ref:
        return _whole_tree(targets, git.toplevel())
    exclude = push.remote_exclusions(env.get("PRE_COMMIT_REMOTE_NAME"), [])
    if env.get("PRE_COMMIT_FROM_REF"):
        exclude.append(_commit(env["PRE_COMMIT_FROM_REF"], "PRE_COMMIT_FROM_REF"))
    return push.commit_changes([_commit(to_ref, "the pushed ref")], exclude, targets)


# -- pre-receive --------------------------------------------------------------


def _say(*lines: str) -> None:
    sys.stderr.write("".join(f"agenthook: {line}\n" for line in lines))
    sys.stderr.flush()


def _advise(text: str) -> None:
    """Prose for the pusher, wrapped as the report is (words never cut); every line
    starts `agenthook: `, so that a reader, or a log filter, can tell it from git's own.
    Errors go through _say instead: one line each, whole, for whoever searches for them."""
    import textwrap  # noqa: PLC0415

    from agenthook.report.text import COMPACT_WIDTH  # noqa: PLC0415

    wrapped = textwrap.wrap(f"agenthook: {text}", COMPACT_WIDTH, subsequent_indent=CONTINUED,
                            break_long_words=False, break_on_hyphens=False)
    sys.stderr.write("".join(f"{part}\n" for part in wrapped))
    sys.stderr.flush()


def _reject(message: str) -> None:
    """A refusal, also shown by GitLab's web UI (merge button, web editor)."""
    _say(f"push rejected: {message}")
    if os.environ.get("GL_ID"):
        sys.stderr.write(f"GL-HOOK-ERR: agenthook: push rejected: {message.splitlines()[0]}\n")


def pre_receive(config: str | None) -> int:
    """Every ref of a push as the server receives it; the push is refused as a whole."""
    from agenthook import serverpolicy  # noqa: PLC0415
    from agenthook.sources import push  # noqa: PLC0415

    data = _read_stdin("agenthook pre-receive")
    try:
        policy = serverpolicy.load(config)
    except Exception as exc:  # noqa: BLE001 - without its policy the server cannot fail open either
        _reject(f"the server policy cannot be used: {_describe(exc)}")
        return EXIT_USAGE
    try:
        updates = push.parse_pre_receive(data)
    except push.PushInputError as exc:
        _reject(str(exc))
        return EXIT_USAGE
    reason = serverpolicy.break_glass_reason(serverpolicy.push_options(os.environ))
    if reason is not None and policy.break_glass:
        return _break_glass(reason, updates)
    if reason is not None:
        _say("break-glass is not enabled on this server; the push is checked as usual")
    try:
        result = _judge_in_time(updates, policy)
    except (push.RefusedRef, push.PushTooLarge) as exc:
        _reject(str(exc))
        return EXIT_BLOCKED
    except Exception as exc:  # noqa: BLE001 - the server hook fails closed, whatever failed
        return _failed(exc, policy)
    return _report(result)


def _judge_in_time(updates: Sequence[RefUpdate], policy: Policy) -> Result:
    """git calls stop at the deadline; the alarm stops whatever runs in Python by then.
    There is always a limit: the policy takes only a positive number of seconds
    (25 by default), since a server hook that may run forever holds the push forever."""
    import signal  # noqa: PLC0415

    from agenthook import git  # noqa: PLC0415

    seconds = policy.time_limit

    def expire(signum: int, frame: object) -> None:
        raise GitError(f"time limit of {seconds:g} s reached before the check finished")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return _judge_push(updates, policy, git.Deadline.after(seconds))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _judge_push(updates: Sequence[RefUpdate], policy: Policy, deadline: Deadline) -> Result:
    """The new commits, then what the ref endpoints show beyond them."""
    from agenthook.outcome import judge  # noqa: PLC0415
    from agenthook.report import Result  # noqa: PLC0415
    from agenthook.sources import push  # noqa: PLC0415

    targets = _targets(policy)
    peeled = push.tips(updates, deadline=deadline)
    at_tips: list[Finding] = []
    with push.Walk(list(peeled.values()), SERVER_EXCLUDE, targets, deadline=deadline) as walk:
        at_endpoints = push.endpoint_changes(peeled, SERVER_EXCLUDE, targets, deadline=deadline)
        if at_endpoints:
            # Judged while git is still walking the commits; the rules the tips
            # need are mostly those the commits need, and are then compiled.
            at_tips = judge(at_endpoints, policy).findings
        elif walk.running():
            _load_rules()
        walk.listed(targets, deadline=deadline)
        if len(walk.commits) >= PROGRESS_AT:
            _say(f"checking {len(walk.commits):,} new commits …")
        by_commit = walk.changes(targets, deadline=deadline)
    if not (by_commit or at_endpoints):
        return Result(findings=[], policy=policy)
    result = judge(by_commit, policy)
    seen = {_same_finding(f) for f in result.findings}
    result.findings += [f for f in at_tips if _same_finding(f) not in seen]
    result.files = len({c.path for c in [*by_commit, *at_endpoints]})
    return result


def _same_finding(f: Finding) -> tuple[str, str, str]:
    """A finding at a ref tip repeats one of a commit when path, rule and added text
    agree; the line number may differ between the commit and the tip."""
    return f.path, f.rule.id, f.text


def _report(result: Result) -> int:
    """Findings as `remote:` lines, for a pusher who may never have heard of
    agenthook: each with where, what, why and the fix; nothing at all for a clean push."""
    from agenthook.outcome import emit  # noqa: PLC0415
    from agenthook.report import text  # noqa: PLC0415

    if not result.findings:
        return EXIT_OK
    code = emit(result, "text", compact=True, stream="stderr")
    if code == EXIT_OK:
        return code
    blocking = result.blocking
    if os.environ.get("GL_ID") and blocking:
        first = blocking[0]
        more = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
        sys.stderr.write(f"GL-HOOK-ERR: agenthook refused the push: {text.printable(first.path)}:{first.line} "
                         f"{first.rule.id} {first.rule.name} ({first.severity.label}){more}\n")
    elif os.environ.get("GL_ID"):
        sys.stderr.write(f"GL-HOOK-ERR: {text.summary(result)}\n")
    for finding, origin, reason in _repository_allowed(blocking):
        _advise(f"{text.printable(finding.path)}:{finding.line} {finding.rule.id} is accepted by the repository's "
                f"own policy ({origin}: {text.printable(reason, 200)}), but this server ignores repository allow "
                "entries and disabled rules: only the server's policy decides what it accepts.")
    _advise("this server refuses changes to coding-agent files (CLAUDE.md, AGENTS.md, .claude/settings.json, "
            ".mcp.json, ...) that could make an agent leak data or run code unasked. Change the lines above as "
            "each fix says; if a finding is wrong or the change is needed, ask the server's administrator.")
    if result.policy.break_glass:
        _advise("in an emergency, your administrator can tell you how to push past this check (break-glass; "
                "every such push is logged).")
    return code


_ALLOW_CHECKS = 20  # commits whose repository policy is read to explain a refusal


def _repository_allowed(blocking: Sequence[Finding]) -> list[tuple[Finding, str, str]]:
    """The blocking findings that the repository's own policy (`.agenthook.toml` or
    pyproject.toml, as committed in the finding's commit) would accept, with the
    entry's origin and reason: the developer saw them pass locally."""
    from agenthook import policy as policies, suppress  # noqa: PLC0415

    policies_of: dict[str, Policy | None] = {}

    def of(commit: str) -> Policy | None:
        if commit not in policies_of and len(policies_of) < _ALLOW_CHECKS:
            try:
                policies_of[commit] = policies.of_commit(commit, commit)
            except AgenthookError:  # a broken repository policy explains nothing
                policies_of[commit] = None
        return policies_of.get(commit)

    found = []
    for finding in blocking:
        own = of(finding.commit) if finding.commit else None
        excused = suppress.apply([finding], [], own).suppressed if own is not None else []
        if excused:
            found.append((finding, excused[0].origin, excused[0].reason))
    return found


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, AgenthookError) else f"internal error: {type(exc).__name__}: {exc}"


def _failed(exc: BaseException, policy: Policy) -> int:
    if policy.fail_open:
        _say(f"WARNING: the check could not complete ({_describe(exc)}); "
             "the push is accepted because the server policy sets fail_open")
        return EXIT_OK
    message = _describe(exc)
    _reject(f"the check could not complete: {message}")
    hint = "; the server policy's time_limit sets how long it may take" if "time limit" in message else ""
    _say(f"a push that cannot be checked is refused{hint}")
    return EXIT_INTERNAL


def _break_glass(reason: str, updates: Sequence[RefUpdate]) -> int:
    """Accept the push unchecked, leaving a line that names who, why, which refs and commits."""
    from agenthook import git, serverpolicy  # noqa: PLC0415

    if not reason:
        _reject('break-glass needs a reason: git push -o agenthook.break-glass="why this cannot wait"')
        return EXIT_USAGE
    try:
        live = [u for u in updates if not u.deleted]
        commits = git.reachable([u.new for u in live], SERVER_EXCLUDE) if live else []
        line = serverpolicy.break_glass_line(serverpolicy.pusher(os.environ), reason,
                                             [(u.ref, u.old, u.new) for u in updates], commits)
        log = serverpolicy.log_path(os.environ)
        if log:
            serverpolicy.append_log(log, line)
    except Exception as exc:  # noqa: BLE001 - an unrecorded break-glass is refused
        _reject(f"break-glass could not be recorded: {_describe(exc)}")
        return EXIT_USAGE
    sys.stderr.write(line + "\n")
    return EXIT_OK


# -- install ------------------------------------------------------------------


def install(server: str | None, config: str | None, force: bool, shared_hooks: bool = False,
            agent: str | None = None, project: bool = False) -> int:
    from agenthook import install as installer  # noqa: PLC0415

    if agent is not None:
        if shared_hooks:
            raise AgenthookError("--shared-hooks is for the server hook: agenthook install --server REPO --shared-hooks")
        return _install_agent(agent, project, server, config)
    if project:
        raise AgenthookError("--project is for an agent's hook: agenthook install --agent NAME --project")
    if (config is not None or shared_hooks) and server is None:
        raise AgenthookError("--config and --shared-hooks are for the server hook: "
                             "agenthook install --server REPO [--config FILE] [--shared-hooks]")
    written = installer.server_hook(server, config, force, shared_hooks) if server else installer.client_hooks(force)
    for path in written:
        sys.stdout.write(f"agenthook: installed {path}\n")
        before = os.path.join(os.path.dirname(path), installer.CHAINED)
        if server and os.path.lexists(before):
            sys.stdout.write(f"agenthook: the pre-receive hook that was there runs first, from {before}; "
                             "a push must pass both\n")
    return EXIT_OK


def _install_agent(agent: str, project: bool, server: str | None, config: str | None) -> int:
    from agenthook import agentinstall  # noqa: PLC0415

    if server is not None or config is not None:
        raise AgenthookError("--agent writes a coding agent's hook; --server and --config are for git servers")
    path, changed = agentinstall.install(agent, project)
    what = "installed the guard in" if changed else "the guard is already in"
    sys.stdout.write(f"agenthook: {what} {path}\n")
    return EXIT_OK


# -- command line ---------------------------------------------------------------


def register(group: click.Group) -> None:
    """Add the hook commands to the `agenthook` group; click is loaded by then."""
    import click  # noqa: PLC0415

    quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print only blocking findings.")

    @group.command("pre-commit")
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
    @quiet_option
    def pre_commit_command(files: tuple[str, ...], quiet: bool) -> None:
        """Check the staged change: git's pre-commit hook, or the pre-commit framework's.

        FILES are judged on their staged change, or whole when they have none.
        """
        raise SystemExit(pre_commit(files, quiet))

    @group.command("pre-push")
    @click.argument("remote", required=False)
    @click.argument("url", required=False)
    @quiet_option
    def pre_push_command(remote: str | None, url: str | None, quiet: bool) -> None:
        """Check every ref of a push (git's pre-push hook: REMOTE URL, refs on standard input)."""
        del url  # git passes it; the remote's name is what says which commits it has
        raise SystemExit(pre_push(remote, quiet))

    @group.command("pre-receive")
    @click.option("--config", type=click.Path(dir_okay=False),
                  help="Server policy file (else git config agenthook.config, else $AGENTHOOK_CONFIG).")
    def pre_receive_command(config: str | None) -> None:
        """Check a push on the server (git's pre-receive hook; fails closed)."""
        raise SystemExit(pre_receive(config))

    @group.command("install")
    @click.option("--server", "server", metavar="BARE_REPO", type=click.Path(file_okay=False),
                  help="Install the pre-receive hook into this server repository instead.")
    @click.option("--config", type=click.Path(dir_okay=False), help="Server policy file the server hook uses.")
    @click.option("--force", is_flag=True, help="Replace a hook agenthook did not write (kept as a backup); "
                  "a server's hooks/pre-receive is chained instead, never replaced.")
    @click.option("--shared-hooks", is_flag=True, help="With --server: install into a core.hooksPath that the system "
                  "or global git configuration shares between repositories.")
    @click.option("--agent", metavar="NAME",
                  help="Write `agenthook guard` into a coding agent's hook settings instead "
                       "(claude-code, gemini-cli, windsurf): the user's, or the project's with --project.")
    @click.option("--project", is_flag=True, help="With --agent: the project's settings, not the user's.")
    def install_command(server: str | None, config: str | None, force: bool, shared_hooks: bool,
                        agent: str | None, project: bool) -> None:
        """Write git hooks: pre-commit and pre-push here, or pre-receive with --server;
        with --agent, the guard into a coding agent's settings."""
        raise SystemExit(install(server, config, force, shared_hooks, agent, project))


def main(argv: Sequence[str] | None = None) -> int:
    """The `agenthook` command. A hook called in the shape git, the pre-commit
    framework or `agenthook install` uses (`pre-commit`; `pre-push [REMOTE
    [URL]]`; `pre-receive [--config FILE]`; a coding agent's `guard`) runs
    without click; everything else, help included, goes through it."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["guard"]:  # before everything else: it runs on every tool call of a coding agent
        from agenthook.guard import main as guard  # noqa: PLC0415

        return guard()
    from agenthook.outcome import guarded  # noqa: PLC0415

    if args == ["pre-commit"]:
        return guarded(lambda: pre_commit(()))
    if args[:1] == ["pre-push"] and len(args) <= 3 and not any(a.startswith("-") for a in args[1:]):
        return guarded(lambda: pre_push(args[1] if len(args) > 1 else None))
    if args == ["pre-receive"] or (len(args) == 3 and args[:2] == ["pre-receive", "--config"]):
        return guarded(lambda: pre_receive(args[2] if len(args) == 3 else None))
    from agenthook.cli import main as cli_main  # noqa: PLC0415

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
