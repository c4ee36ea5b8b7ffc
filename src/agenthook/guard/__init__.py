"""`agenthook guard`: the coding agent's own hook, judging an edit of an agent
file before the agent writes it.

A commit or push hook sees a change to `.claude/settings.json` after the agent
has already run with it: a setting takes effect the moment the file is
written. The agent's pre-tool hook hands over the call instead (a write, an
edit, a shell command), on standard input, before it runs. The guard reads
that event in its agent's contract (contracts.py), builds the change the call
would make to an agent file (sources/agentedit.py), judges it with the same
rules and committed policy as the commit hook, and answers in the agent's
contract: a blocking finding refuses the call with the report as the reason,
a shell command that would write an agent file is asked about, and anything
else passes without a word. The file on disk is never touched.

An event that cannot be read is refused with exit code 2 and the reason on
standard error, which every supported agent treats as a refusal; a change
that cannot be judged (the replaced text is not in the file, the file cannot
be read or is too large) is refused in the agent's contract, saying why.

Most calls edit ordinary files: they end after reading the event and testing
one path, before the rules load.
"""
from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from agenthook.guard.contracts import ToolCall
    from agenthook.policy import Policy
    from agenthook.report import Result
    from agenthook.sources.agentedit import Replacement
    from agenthook.targets import Targets

MAX_EVENT = 64 * 1024 * 1024  # bytes of event read; a larger one is refused unread
_POLICY_FILES = (".agenthook.toml", "pyproject.toml")  # policy.POLICY_FILE, policy.PYPROJECT, without their imports


class Refusal(Exception):
    """The call is refused (or, with decision "ask", put to the user) for this reason."""

    def __init__(self, reason: str, summary: str, decision: str = "deny") -> None:
        super().__init__(reason)
        self.reason, self.summary, self.decision = reason, summary, decision


class Place:
    """Where a tool call writes: the absolute path, the repository it is in
    (None outside one), the path as the targets and reports name it, and the
    kind of agent file it is (None for any other file)."""

    __slots__ = ("path", "root", "rel", "kind")

    def __init__(self, path: str, root: str | None, rel: str, kind: str | None) -> None:
        self.path, self.root, self.rel, self.kind = path, root, rel, kind


def main() -> int:
    """Read the event on standard input, answer on standard output and error."""
    try:
        data = b"" if sys.stdin is None else sys.stdin.buffer.read(MAX_EVENT + 1)
        code, out, err = run(data)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the call is refused with a message
        if os.environ.get("AGENTHOOK_DEBUG"):
            raise
        code, out, err = 2, "", f"agenthook guard: internal error: {type(exc).__name__}: {exc}; the call is refused\n"
    except KeyboardInterrupt:
        code, out, err = 2, "", "agenthook guard: interrupted; the call is refused\n"
    if out:
        sys.stdout.write(out)
        sys.stdout.flush()
    if err:
        sys.stderr.write(err)
        sys.stderr.flush()
    return code


def run(data: bytes) -> tuple[int, str, str]:
    """(exit code, standard output, standard error) for one hook event."""
    from agenthook.guard import contracts  # noqa: PLC0415

    if len(data) > MAX_EVENT:
        return 2, "", f"agenthook guard: the hook event is larger than {MAX_EVENT // (1024 * 1024)} MiB; " \
                      "the call is refused unread\n"
    try:
        event = json.loads(data)
        name = contracts.recognise(event)
        call = contracts.tool_call(name, event)
    except (ValueError, RecursionError) as exc:
        return 2, "", f"agenthook guard: the hook event is not valid JSON ({_short(exc)}); the call is refused\n"
    except contracts.UnknownEvent as exc:
        return 2, "", f"agenthook guard: {exc}; the call is refused\n"
    if call is None:
        return 0, "", ""
    try:
        _judge_call(call)
    except Refusal as refusal:
        return contracts.answer(name, refusal.decision, refusal.reason, refusal.summary)
    except RecursionError:
        return contracts.answer(name, "deny", "agenthook cannot judge this call: its input nests too deeply.",
                                "agenthook refused a call it could not judge")
    except Exception as exc:  # noqa: BLE001 - a change that cannot be judged is not let through
        if os.environ.get("AGENTHOOK_DEBUG"):
            raise
        what = str(exc) if _is_ours(exc) else f"internal error: {type(exc).__name__}: {exc}"
        return contracts.answer(name, "deny", f"agenthook cannot judge this call ({what}), so it is refused.",
                                "agenthook refused a call it could not judge")
    return 0, "", ""


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _is_ours(exc: BaseException) -> bool:
    from agenthook.errors import AgenthookError  # noqa: PLC0415

    return isinstance(exc, AgenthookError)


# -- where a call writes --------------------------------------------------------


def _repository(path: str) -> str | None:
    """The top of the working tree holding `path`: the nearest directory above
    it with a `.git`. Read from the file system, not git: most calls stop here."""
    directory = os.path.dirname(path)
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_policy(root: str) -> bool:
    if os.path.lexists(os.path.join(root, _POLICY_FILES[0])):
        return True
    try:
        with open(os.path.join(root, _POLICY_FILES[1]), "rb") as handle:
            return b"agenthook" in handle.read()
    except OSError:
        return False


def _place(path: str, cwd: str | None) -> Place:
    from agenthook.targets import DEFAULT  # noqa: PLC0415

    base = cwd if cwd and os.path.isabs(cwd) else os.getcwd()
    path = os.path.normpath(os.path.join(base, os.path.expanduser(path)))
    root = _repository(path)
    rel = os.path.relpath(path, root).replace(os.sep, "/") if root else path.replace(os.sep, "/")
    kind = DEFAULT.kind_of(rel)
    if kind is None and root is not None and _has_policy(root):
        kind = _targets(root).kind_of(rel)  # the committed policy may watch more paths
    if kind is None and root is not None and _run_by_hook(root, rel):
        from agenthook.targets import HOOK_SCRIPT  # noqa: PLC0415

        kind = HOOK_SCRIPT
    return Place(path, root, rel, kind)


_MAX_SETTINGS = 8 * 1024 * 1024  # gitsource.MAX_TEXT, without its imports


def _run_by_hook(root: str, rel: str) -> bool:
    """Whether a hook of the settings at the top of the working tree runs the
    file at `rel`: an edit of it changes what runs on every event the hook
    fires on. The settings are read as they are now, as the agent runs them;
    only those naming the file (or spelling characters as `\\u` escapes) are parsed."""
    from agenthook.hookcli import ROOT_HOOK_DIRS, ROOT_HOOK_SETTINGS  # noqa: PLC0415 - loaded already

    name = rel.rsplit("/", 1)[-1].encode("utf-8", "surrogateescape")
    paths = list(ROOT_HOOK_SETTINGS)
    for directory in ROOT_HOOK_DIRS:
        try:
            paths += [f"{directory}/{n}" for n in os.listdir(os.path.join(root, directory)) if n.endswith(".json")]
        except OSError:
            continue
    texts: dict[str, str] = {}
    for path in paths:
        try:
            with open(os.path.join(root, *path.split("/")), "rb") as handle:
                data = handle.read(_MAX_SETTINGS + 1)
        except OSError:
            continue
        if len(data) <= _MAX_SETTINGS and (name in data or b"\\u" in data):
            texts[path] = data.decode("utf-8", "surrogateescape")
    if not texts:
        return False
    from agenthook import hookscripts  # noqa: PLC0415

    return rel in hookscripts.run_by(texts)


def _where(path: str, cwd: str | None) -> Place:
    """The place a call writes; through a symbolic link, the file it writes is
    the one the link names, which may be an agent file where the link is not."""
    place = _place(path, cwd)
    if place.kind is not None:
        return place
    real = os.path.realpath(place.path)
    if real != place.path:
        through = _place(real, None)
        if through.kind is not None:
            return through
    if place.root is not None:
        linked = _linked_from_root(place.root, real)
        if linked is not None:
            return Place(place.path, place.root, linked, _place(os.path.join(place.root, linked), None).kind)
    return place


def _linked_from_root(root: str, real: str) -> str | None:
    """The agent path at the top of the working tree that is a symbolic link to
    `real`, or to a directory holding it: the agent reads `CLAUDE.md -> docs/agent.md`
    or `.claude -> config` through the link, so writing the target is writing the
    agent file. Links deeper in the tree are left to the commit hook (AH1204)."""
    from agenthook.targets import DEFAULT  # noqa: PLC0415

    try:
        entries = [e for e in os.scandir(root) if e.is_symlink()]
    except OSError:
        return None
    for entry in entries:
        target = os.path.realpath(entry.path)
        if target == real and DEFAULT.kind_of(entry.name) is not None:
            return entry.name
        if real.startswith(target + os.sep):
            inside = entry.name + "/" + os.path.relpath(real, target).replace(os.sep, "/")
            if DEFAULT.kind_of(inside) is not None:
                return inside
    return None


_POLICY: dict[str, Policy] = {}


def _policy(root: str | None) -> Policy:
    """The committed policy of the repository (HEAD): an edit in the working
    tree, the policy file's included, does not change what judges it."""
    from agenthook import policy as policies  # noqa: PLC0415

    if root is None:
        return policies.Policy()
    if root not in _POLICY:
        _POLICY[root] = policies.committed(root)
    return _POLICY[root]


def _targets(root: str | None) -> Targets:
    from agenthook.targets import DEFAULT  # noqa: PLC0415

    return DEFAULT.with_extra(_policy(root).paths)


# -- judging a call -------------------------------------------------------------


def _text(value: object, what: str, place: Place) -> str:
    if not isinstance(value, str):
        raise Refusal(f"agenthook cannot judge this edit of {place.rel}: its {what} is not text.",
                      f"agenthook refused an edit of {place.rel} it could not judge")
    return value


def _judge_call(call: ToolCall) -> None:
    if call.action == "shell":
        _judge_shell(call)
        return
    raw = call.args.get(call.spec["path"])
    if not isinstance(raw, str) or not raw:
        return  # no file named: the tool itself refuses the call
    place = _where(raw, call.cwd)
    if place.kind is None and not _holds_guard(place):
        return
    _judge_edit(call, place)


def _holds_guard(place: Place) -> bool:
    """Whether `place` is a settings file `agenthook install --agent` writes the
    guard into (some, like Windsurf's hooks.json, are no agent file otherwise)."""
    from agenthook.guard import contracts  # noqa: PLC0415

    for agent in contracts.agents().values():
        install = agent.get("install")
        if install and (place.path == os.path.expanduser(install["user"])
                        or (place.root is not None and place.rel == install["project"])):
            return True
    return False


def _turns_hooks_off(place: Place, before: str | None, after: str) -> bool:
    """Whether the edit sets a key that turns every hook of the agent off."""
    from agenthook.guard import contracts  # noqa: PLC0415

    for agent in contracts.agents().values():
        off = agent.get("hooks_off")
        if off and off["kind"] == place.kind and _top_level(after, off["key"]) == off["value"] \
                and _top_level(before, off["key"]) != off["value"]:
            return True
    return False


def _top_level(text: str | None, key: str) -> object:
    try:
        value = json.loads(text or "{}")
    except (ValueError, RecursionError):
        return None
    return value.get(key) if isinstance(value, dict) else None


def _guards(text: str | None) -> int:
    """How many times agenthook's own guard command is written in a settings text."""
    from agenthook.agentinstall import PORTABLE, installed_command  # noqa: PLC0415

    return sum((text or "").count(json.dumps(command)) for command in {PORTABLE, installed_command()})


def _replacements(call: ToolCall, place: Place) -> list[Replacement]:
    from agenthook.sources.agentedit import Replacement  # noqa: PLC0415

    spec = call.spec
    items = [call.args] if call.action == "edit" else call.args.get(spec["edits"])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Refusal(f"agenthook cannot judge this edit of {place.rel}: its `{spec.get('edits')}` is not a list "
                      "of edits.", f"agenthook refused an edit of {place.rel} it could not judge")
    found = []
    for item in items:
        every = bool(item.get(spec["every"])) if "every" in spec else False
        count = item.get(spec["count"]) if "count" in spec else None
        if isinstance(count, int) and not isinstance(count, bool) and count > 1:
            every = True
        found.append(Replacement(_text(item.get(spec["old"]), "text to replace", place),
                                 _text(item.get(spec["new"]), "replacement text", place), every))
    return found


def _judge_edit(call: ToolCall, place: Place) -> None:
    from agenthook.outcome import judge  # noqa: PLC0415
    from agenthook.sources import agentedit  # noqa: PLC0415
    from agenthook.sources.gitsource import MAX_TEXT  # noqa: PLC0415

    cannot = f"agenthook refused an edit of {place.rel} it could not judge"
    if call.action == "notebook":
        raise Refusal(f"agenthook cannot judge a notebook cell edit of {place.rel}, an agent file; write the file "
                      "whole instead, and agenthook judges it.", cannot)
    try:
        before = agentedit.read_before(place.path)
        if call.action == "write":
            after = _text(call.args.get(call.spec["content"]), "content", place)
        else:
            after = agentedit.apply(before, _replacements(call, place), place.rel)
    except agentedit.EditError as exc:
        raise Refusal(f"agenthook cannot judge this edit: {exc}. Read the file again and retry the edit.",
                      cannot) from None
    if len(after) > MAX_TEXT or len(after.encode("utf-8", "surrogatepass")) > MAX_TEXT:
        raise Refusal(f"agenthook cannot judge this edit: {place.rel} would be larger than "
                      f"{MAX_TEXT // (1024 * 1024)} MiB, more than agenthook reads.", cannot)
    if _guards(before) > _guards(after) or _turns_hooks_off(place, before, after):
        raise Refusal(f"agenthook refused this edit of {place.rel}: it removes or turns off agenthook's guard hook, "
                      "which judges the agent's edits of its own configuration before they are written. Only the "
                      "user removes it (`agenthook install --agent` puts it back).",
                      f"agenthook refused an edit of {place.rel} that removes its guard hook; the file was not changed")
    if place.kind is None:
        return
    root = place.root or os.path.dirname(place.path)
    changes = agentedit.changes(place.rel, place.kind or "", before, after, root)
    if not changes:
        return
    result = judge(changes, _policy(place.root))
    if result.blocked:
        raise Refusal(_report(result, place), _summary(result, place))


def _report(result: Result, place: Place) -> str:
    from agenthook.report import text  # noqa: PLC0415

    body = text.render(result, colour=False, quiet=True)
    return (f"agenthook refused this edit of {place.rel}: it would make the agent's configuration riskier, and "
            f"takes effect as soon as the file is written.\n{body}"
            "Do not work around this check: tell the user what the change would do, and let them make it "
            "themselves if they want it.")


def _summary(result: Result, place: Place) -> str:
    rules = sorted({f.rule.id for f in result.blocking})
    return f"agenthook refused an edit of {place.rel} ({', '.join(rules)}); the file was not changed"


def _judge_shell(call: ToolCall) -> None:
    from agenthook.guard import shell  # noqa: PLC0415

    command = call.args.get(call.spec["command"])
    if not isinstance(command, str) or not command.strip():
        return
    places: dict[str, Place] = {}

    def is_agent(word: str) -> bool:
        if word not in places:
            places[word] = _where(word, call.cwd)
        return places[word].kind is not None

    def is_dir(word: str) -> bool:
        base = call.cwd if call.cwd and os.path.isabs(call.cwd) else os.getcwd()
        return os.path.isdir(os.path.join(base, os.path.expanduser(word)))

    written = [places[w].rel if w in places else w for w in shell.targets(command, is_agent, is_dir)]
    if not written:
        return
    names = ", ".join(f"`{w}`" for w in written)
    shown = command if len(command) <= 300 else command[:300] + "..."
    raise Refusal(
        f"agenthook: this command writes {names}, agent configuration that takes effect as soon as it is "
        f"written:\n    {shown}\nWhat a command writes cannot be judged before it runs. Allow it only if you "
        "expect this change; an edit made with the agent's file tools is judged by agenthook instead.",
        f"agenthook: the command writes {names}; approve it only if you expect that change", decision="ask")
