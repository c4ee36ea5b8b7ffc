"""Repository scripts that a settings change makes the agent run on its own.

A hook written as `bash scripts/notify.sh` shows only that a local script
runs; what runs is in the script. A change that adds such a hook (or a helper
command such as `statusLine`) puts that script's code behind every event the
hook fires on, wherever in the repository it lives, so the script is judged
whole, as a file under `.claude/hooks/` is. Scripts under `.claude/hooks/` are
judged on their own changes; a script the repository does not hold is left to
the command's own verdict. A later change to a script, with its hook left as
it is, is judged as a hook script through `run_by` (sources/gitsource.py).
"""
from __future__ import annotations

import json
import posixpath
import shlex
from collections.abc import Callable, Mapping
from typing import Any

from agenthook import imports, lazyre
from agenthook.model import FileChange
from agenthook.structured import jsonloc, launch
from agenthook.structured.claude import CREDENTIAL_HELPERS
from agenthook.structured.hooks import HELPER_PARENTS
from agenthook.targets import (AMAZONQ_AGENT, CLAUDE_PLUGIN, CLAUDE_SETTINGS, CURSOR_SETTINGS, DEFAULT,
                               GEMINI_SETTINGS, HOOK_SCRIPT)

HOOK_KINDS = frozenset({CLAUDE_SETTINGS, CLAUDE_PLUGIN, GEMINI_SETTINGS, CURSOR_SETTINGS, AMAZONQ_AGENT})
# Places a script is looked for in one check (two per script: from the
# project directory and beside the settings file); each costs two git calls.
MAX_LOOKUPS = 512
# Containers read under the keys that run commands; past it the rest is reported, not skipped.
MAX_NODES = 100_000
# `$CLAUDE_PROJECT_DIR/x`, `${GEMINI_PROJECT_DIR}/x`, `$PWD/x`: the project directory.
_PROJECT_DIR = lazyre.compile(r"^\$(?:\{\w*PROJECT_DIR\}|\w*PROJECT_DIR\b|\{PWD\}|PWD\b)/?")
_PLUGIN_ROOT = lazyre.compile(r"^\$(?:\{CLAUDE_PLUGIN_ROOT\}|CLAUDE_PLUGIN_ROOT\b)/?")


def _commands(tree: Any) -> tuple[set[str], bool]:
    """Every command line a settings tree has the agent run by itself (hook
    handlers under the top-level `hooks`, helper commands, credential helpers),
    and whether all of them were read: hooks padded past MAX_NODES containers
    are not."""
    found: set[str] = set()
    if not isinstance(tree, dict):
        return found, True
    stack: list[Any] = []
    for key, value in tree.items():
        if key in CREDENTIAL_HELPERS and isinstance(value, str):
            found.add(value)
        elif key == "hooks" or key in HELPER_PARENTS:
            stack.append(value)
    for _ in range(MAX_NODES):
        if not stack:
            return found, True
        node = stack.pop()
        if isinstance(node, dict):
            command = node.get("command")
            if isinstance(command, str):
                args = node.get("args")
                extra = [a for a in args if isinstance(a, str)] if isinstance(args, list) else []
                found.add(shlex.join([command, *extra]) if extra else command)
            node = list(node.values())
        if isinstance(node, list):
            stack += [item for item in node if isinstance(item, (dict, list))]
    return found, not stack


def _parsed(change: FileChange, text: str | None) -> Any:
    return None if text is None else _parsed_path(change.path, text)


def _parsed_path(path: str, text: str) -> Any:
    """The settings tree, None where it does not parse (the settings analysis
    reports that). Strict JSON goes through the C parser: a push can carry
    hundreds of versions of a settings file, each read twice here."""
    from agenthook.structured.settings import JSONC_PATHS  # noqa: PLC0415 - settings imports the engine

    jsonc = bool(JSONC_PATHS.search(path))
    if not jsonc:
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            pass  # what the C parser refuses (a byte-order mark) the settings parser may still read
    try:
        return jsonloc.parse(text, jsonc=jsonc)[0]
    except jsonloc.JsonError:
        return None


def _bases(path: str, kind: str) -> tuple[str, str]:
    """The project directory a settings file's commands run in (the parent of
    its `.claude`, `.gemini`, … directory) and, for a plugin, its root."""
    parts = path.split("/")[:-1]
    dot = next((i for i in range(len(parts) - 1, -1, -1) if parts[i].startswith(".")), None)
    project = "/".join(parts[:dot]) if dot is not None else "/".join(parts)
    if kind != CLAUDE_PLUGIN:
        return project, project
    if dot is None and parts and parts[-1] == "hooks":  # <root>/hooks/hooks.json
        return "", "/".join(parts[:-1])
    return "", project


def _repo_paths(word: str, bases: tuple[str, ...], plugin: str) -> list[str]:
    """The repository paths a script word may name, relative to each of `bases`;
    none for a word outside the repository or known only at run time (another
    variable, a glob, the home directory)."""
    if _PLUGIN_ROOT.match(word):
        word, bases = _PLUGIN_ROOT.sub("", word, count=1), (plugin,)
    elif _PROJECT_DIR.match(word):
        word, bases = _PROJECT_DIR.sub("", word, count=1), bases[:1]
    if not word or word.startswith(("/", "~")) or any(c in word for c in "*?[$`\\") or "://" in word:
        return []
    if word.startswith("../"):
        bases = bases[:1]  # from beside the settings file, up and out is no project script
    found = [posixpath.normpath(posixpath.join(base, word)) for base in bases]
    return [p for p in dict.fromkeys(found) if p not in (".", "..") and not p.startswith("../")]


def _script_groups(path: str, kind: str, commands: set[str]) -> list[tuple[str, list[str]]]:
    """Each script word `commands` of the settings file at `path` run, with the
    repository paths it may name. A relative path is looked for from the
    project directory and from the settings file's own directory: agents
    differ in which one they run hooks from."""
    project, plugin = _bases(path, kind)
    bases = (project, posixpath.dirname(path))
    return [(word, _repo_paths(word, bases, plugin)) for command in sorted(commands)
            for word in launch.scripts(command)]


def _script_paths(path: str, kind: str, commands: set[str]) -> list[str]:
    """Repository paths of the scripts `commands` of the settings file at `path` run."""
    return [found for _, paths in _script_groups(path, kind, commands) for found in paths]


def _new_commands(change: FileChange) -> tuple[set[str], bool]:
    """The commands of the hooks and helpers new in `change`, and whether every hook was read."""
    before = _commands(_parsed(change, change.old_text))[0] if change.status != "A" else set()
    after, complete = _commands(_parsed(change, change.new_text))
    return after - before, complete


def _missing(change: FileChange, commands: set[str], absent: set[str]) -> list[FileChange]:
    """A new hook that runs a script in a hidden directory of the repository
    that the tree does not hold (looked for everywhere it may be, and found
    nowhere) runs whatever is put there later: the Miasma worm's hooks ran
    `node .github/setup.js`, a file its own code wrote. A missing script in an
    ordinary directory (`bin/setup`) is usually a build output or one the
    checkout scanned lacks, and is left to the command's verdict; scripts
    under an agent's hook directory are judged as hook scripts when added."""
    found = []
    for word, paths in _script_groups(change.path, change.kind, commands):
        hidden = any(part.startswith(".") and part not in (".", "..") for part in paths[0].split("/")[:-1]) \
            if paths else False
        if hidden and all(p in absent for p in paths):
            found.append(imports.unreadable(paths[0], HOOK_SCRIPT, change.commit,
                                            f"A new hook in `{change.path}` runs `{word}`, which is not in the "
                                            "repository. Whatever is put there later runs on the agent's events "
                                            "without review; commit the script with the hook."))
    return list({c.path: c for c in found}.values())


# Where the settings that hold hooks live, as git pathspecs.
PATHSPECS = tuple(f":(glob,icase){glob}" for glob, kind in DEFAULT.patterns if kind in HOOK_KINDS)


def run_by(settings: Mapping[str, str]) -> set[str]:
    """Every repository path that the hooks and helpers of these settings files
    (path to text, as one snapshot holds them) run: a change to one of those
    files changes what runs on its own, as a change under `.claude/hooks/` does."""
    found: set[str] = set()
    for path, text in settings.items():
        kind = DEFAULT.kind_of(path)
        if kind in HOOK_KINDS:
            found.update(_script_paths(path, kind, _commands(_parsed_path(path, text))[0]))
    return found


def referenced(changes: list[FileChange], read_for: Callable[[str | None], imports.Reader]) -> list[FileChange]:
    """The scripts that hooks new in `changes` run, each a FileChange adding
    its whole text as a hook script (those under `.claude/hooks/`, and those
    the change set already adds whole, are judged there). What cannot be read
    (hooks padded past MAX_NODES, more than MAX_LOOKUPS places to look) is
    reported at the settings file, never passed."""
    result: list[FileChange] = []
    done = {(c.commit, c.path) for c in changes if c.kind == HOOK_SCRIPT and c.status == "A"}
    lookups = 0
    for change in changes:
        if change.kind not in HOOK_KINDS or change.status == "D" or change.is_symlink or change.is_submodule:
            continue
        if change.new_text is None:  # sources read whole only what an agent would: this one is too large
            result.append(imports.unreadable(change.path, HOOK_SCRIPT, change.commit,
                                             "It is larger than 8 MiB, so the scripts its hooks run were not read. "
                                             "Keep settings files small."))
            continue
        commands, complete = _new_commands(change)
        paths = _script_paths(change.path, change.kind, commands)
        absent: set[str] = set()
        if not complete:
            result.append(imports.unreadable(change.path, HOOK_SCRIPT, change.commit,
                                             f"Its hooks hold more than {MAX_NODES} entries; agenthook stops "
                                             "reading there, so the scripts they run were not all checked. Keep "
                                             "the hooks to the handlers the agent needs."))
        paths = [p for p in dict.fromkeys(paths)
                 if DEFAULT.kind_of(p) != HOOK_SCRIPT and (change.commit, p) not in done]
        for index, path in enumerate(paths):
            if lookups == MAX_LOOKUPS:
                result.append(imports.unreadable(change.path, HOOK_SCRIPT, change.commit,
                                                 f"Its new hooks name more scripts than agenthook looks for in "
                                                 f"one check ({MAX_LOOKUPS} places): {len(paths) - index} places, "
                                                 f"from `{path}` on, were not read. Add the hooks in smaller "
                                                 "changes."))
                return result
            lookups += 1
            done.add((change.commit, path))
            content = imports.read_text(read_for(change.commit), path)
            if isinstance(content, imports.Unreadable):
                result.append(imports.unreadable(path, HOOK_SCRIPT, change.commit,
                                                 f"A new hook in `{change.path}` runs it, and `{content.path}` "
                                                 f"{content.why}."))
            elif content is not None:
                result.append(imports.whole(content[0], HOOK_SCRIPT, content[1], change.commit))
            else:
                absent.add(path)
        result += _missing(change, commands, absent)
    return result
