"""VS Code tasks (`.vscode/tasks.json`) that run when the folder is opened.

A task with `"runOptions": {"runOn": "folderOpen"}` starts as soon as the
workspace opens, with no command typed: the Miasma worm and other campaigns
start their dropper this way, and agents that open the folder start it too.
Tasks run only by hand are left alone; a task that runs on open is judged by
what it runs, as a hook is.
Documented at https://code.visualstudio.com/docs/debugtest/tasks#_run-behavior.
"""
from __future__ import annotations

import shlex
from collections.abc import Iterator
from typing import Any

from agenthook.model import Finding, Severity
from agenthook.structured import launch, unprompted
from agenthook.structured.delta import MISSING, Path
from agenthook.structured.doc import Doc
from agenthook.structured.hooks import command_findings, concern_findings

# Per-platform overrides of a task's command (`"windows": {"command": …}`).
_PLATFORMS = ("windows", "linux", "osx")


def _tasks(doc: Doc) -> Iterator[tuple[Path, dict[str, Any]]]:
    tasks = doc.at(("tasks",))
    if isinstance(tasks, list):
        for index, task in enumerate(tasks):
            if isinstance(task, dict):
                yield ("tasks", index), task
    elif doc.partial:  # a hunk below the `tasks` key: any object that runs on open
        for d in doc.deltas:
            if d.added and d.key == "runOn" and len(d.path) >= 2:
                task = doc.at(d.path[:-2])
                if isinstance(task, dict):
                    yield d.path[:-2], task


def _runs_on_open(task: dict[str, Any]) -> bool:
    options = task.get("runOptions")
    return isinstance(options, dict) and str(options.get("runOn", "")).lower() == "folderopen"


def _changed(doc: Doc, path: Path, task: dict[str, Any]) -> bool:
    if doc.partial:
        return bool(doc.member_lines(path) & doc.added_lines) or doc.is_added(path)
    before = doc.before(path)
    return before is MISSING or before != task


def _commands(task: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(where, command as written) for the task and each platform override:
    a `shell` task's command is a shell line, a `process` task's a program."""
    for where, node in (("", task), *((f" on {p}", task.get(p)) for p in _PLATFORMS)):
        if not isinstance(node, dict):
            continue
        command, args = node.get("command", task.get("command") if where else None), node.get("args")
        if isinstance(command, dict):  # `{"value": …, "quoting": …}`
            command = command.get("value")
        if not isinstance(command, str) or not command.strip():
            continue
        words = [a.get("value") if isinstance(a, dict) else a for a in args] if isinstance(args, list) else []
        words = [w for w in words if isinstance(w, str)]
        if task.get("type", node.get("type")) == "process":
            yield where, [command, *words]
        else:
            yield where, " ".join([command, *(shlex.quote(w) for w in words)])


def analyze(doc: Doc) -> Iterator[Finding]:
    for path, task in _tasks(doc):
        if not _runs_on_open(task) or not _changed(doc, path, task):
            continue
        label = task.get("label") or task.get("taskName") or "(unnamed)"
        line = doc.line(path + ("runOptions", "runOn"), doc.line(path))
        shown_any = False
        for where, command in _commands(task):
            shown_any = True
            text = shlex.join(command) if isinstance(command, list) else command
            judged = launch.judge_argv(command) if isinstance(command, list) else launch.judge_line(command)
            subject = f"The task `{label}` runs when the folder opens{where}; it starts"
            yield doc.finding("AH959", line, f"{subject} `{text[:120]}` without anyone asking for it.",
                              Severity.HIGH, str(label))
            findings = list(command_findings(doc, line, judged, "AH959", Severity.HIGH, subject, text, command))
            # The task's own finding says it runs on open; keep what the command adds.
            yield from (f for f in findings if f.rule.id != "AH959")
            if isinstance(command, list):
                yield from concern_findings(doc, line, subject, text,
                                            [c for c in unprompted.judge(command, True, judged)
                                             if c.rule_id == "AH957"])
        if not shown_any and task.get("type") == "npm":
            yield doc.finding("AH959", line, f"The npm task `{label}` runs the script `{task.get('script', '')}` "
                                             "whenever the folder is opened.", Severity.HIGH, str(label))
