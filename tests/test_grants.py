"""Permission rules are judged by what they let the agent do, not by their text."""
from __future__ import annotations

import random

import pytest

from agenthook.grants import (Grant, judge_claude_rule, judge_command, judge_gemini_tool, judge_terminal_pattern,
                              split_commands)
from agenthook.model import Severity

CRITICAL, HIGH, MEDIUM, LOW = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW

EVERY_COMMAND = [
    "Bash",
    "Bash(*)",
    "Bash(:*)",
    "Bash( *)",
    "PowerShell",
    "PowerShell(*)",
    "Bash(FOO=*)",
]

SHELLS_AND_INTERPRETERS = [
    "Bash(bash:*)",
    "Bash(sh -c *)",
    "Bash(bash -lc *)",
    "Bash(zsh *)",
    "Bash(python:*)",
    "Bash(python3 *)",
    "Bash(python3 -c:*)",
    "Bash(node:*)",
    "Bash(node -e *)",
    "Bash(deno *)",
    "Bash(perl *)",
    "Bash(ruby *)",
    "Bash(pwsh *)",
    "Bash(eval *)",
    "Bash(source *)",
    "Bash(bun *)",
    "PowerShell(Invoke-Expression *)",
    "PowerShell(iex *)",
]

WRAPPERS_AND_RUNNERS = [
    "Bash(sudo:*)",
    "Bash(sudo -u deploy:*)",
    "Bash(env *)",
    "Bash(env -S *)",
    "Bash(xargs:*)",
    "Bash(timeout:*)",
    "Bash(timeout 30 *)",
    "Bash(nohup *)",
    "Bash(nice -n 10 *)",
    "Bash(watch *)",
    "Bash(setsid *)",
    "Bash(strace *)",
    "Bash(gdb *)",
    "Bash(script *)",
    "Bash(doas *)",
    "Bash(su *)",
    "Bash(chroot *)",
    "Bash(nsenter *)",
    "Bash(direnv exec:*)",
    "Bash(mise exec *)",
    "Bash(devbox run *)",
    "Bash(npx:*)",
    "Bash(npx -y *)",
    "Bash(npm exec *)",
    "Bash(pnpm dlx *)",
    "Bash(bunx *)",
    "Bash(uvx *)",
    "Bash(pipx run *)",
    "Bash(uv run *)",
    "Bash(docker run:*)",
    "Bash(docker *)",
    "Bash(podman run *)",
    "Bash(ssh *)",
]

# Commands that run whatever their arguments say, reached through the forms
# people write: env assignments, paths, versions, partial words, wrappers.
PINNED_THROUGH = [
    "Bash(FOO=1 python:*)",
    "Bash(/usr/bin/python3 *)",
    "Bash(python3.12 *)",
    "Bash(./node_modules/.bin/tsx *)",
    "Bash(py*)",
    "Bash(n*)",
    "Bash(npm ex*)",
    "Bash(timeout 60 bash -c *)",
    "Bash(sudo python3 *)",
    "Bash(env FOO=1 node *)",
    "Bash(uv run python *)",
    "Bash(npx -c *)",
    "Bash(npx jest*)",
    "Bash(mise exec node@20 -- node *)",
    "Bash(busybox sh -c *)",
    "Bash(python -m pytest; bash -c *)",
    "Bash(curl * | sh)",
    'Bash(sh -c "npm test && curl *)',
]

OPTION_EXEC = [
    "Bash(find:*)",
    "Bash(find . -name:*)",
    'Bash(find . -name "*.py")',
    "Bash(git:*)",
    "Bash(git -c:*)",
    "Bash(git *)",
    "Bash(git * main)",
    "Bash(git diff*)",
    "Bash(git push *)",
    "Bash(git push:*)",
    "Bash(git config *)",
    "Bash(go test:*)",
    "Bash(go run *)",
    "Bash(go generate *)",
    "Bash(make:*)",
    "Bash(make test:*)",
    "Bash(sed *)",
    "Bash(awk *)",
    "Bash(gawk *)",
    "Bash(tar *)",
    "Bash(rsync *)",
    "Bash(zip *)",
    "Bash(man *)",
    "Bash(less *)",
    "Bash(sort *)",
    "Bash(rg *)",
    "Bash(fd *)",
    "Bash(npm *)",
    "Bash(npm:*)",
    "Bash(npm install *)",
    "Bash(npm i:*)",
    "Bash(yarn *)",
    "Bash(pnpm *)",
    "Bash(pip install *)",
    "Bash(pip3 install:*)",
    "Bash(python -m pip install:*)",
    "Bash(cargo *)",
    "Bash(cargo test:*)",
    "Bash(kubectl *)",
    "Bash(kubectl get:*)",
    "Bash(terraform *)",
    "Bash(terraform plan:*)",
    "Bash(helm *)",
    "Bash(gh *)",
    "Bash(sudo apt-get install:*)",
]

EGRESS = [
    "Bash(curl *)",
    "Bash(curl:*)",
    "Bash(wget *)",
    "Bash(nc *)",
    "Bash(ncat *)",
    "Bash(scp *)",
    "Bash(gh api *)",
    "Bash(gh gist create:*)",
    "Bash(npm test && curl *)",
    "PowerShell(Invoke-WebRequest *)",
    "Bash(dig *)",
    "Bash(ping:*)",
    "Bash(nslookup *)",
    "Bash(host:*)",
]

DESTRUCTIVE = [
    "Bash(rm *)",
    "Bash(rm -rf *)",
    "Bash(rm:*)",
    "Bash(mv *)",
    "Bash(cp *)",
    "Bash(dd *)",
    "Bash(chmod *)",
    "Bash(chown *)",
    "Bash(tee *)",
    "PowerShell(Remove-Item *)",
]

ACCOUNTS = [
    "Bash(aws *)",
    "Bash(gcloud *)",
    "Bash(az *)",
    "Bash(gh pr:*)",
    "Bash(gh pr merge:*)",
]

FILES_HIGH = [
    "Read",
    "Read(~/.ssh/**)",
    "Read(~/.ssh)",
    "Read(~/.aws/**)",
    "Read(//**)",
    "Read(~/**)",
    "Read(**/.env)",
    "Read(.env)",
    "Read(./.env)",
    "Read(../**)",
    "Read(~/.kube/config)",
    "Edit",
    "Write",
    "MultiEdit",
    "Edit(//**)",
    "Edit(~/**)",
    "Edit(~/.bashrc)",
    "Edit(../**)",
    "Edit(.claude/**)",
    "Edit(/.claude/settings.json)",
    "Edit(.git/**)",
    "Edit(.vscode/**)",
    "Edit(.mcp.json)",
    "Edit(.husky/**)",
    "Edit(.envrc)",
    "Write(.claude/settings.json)",
]

WEB_HIGH = [
    "WebFetch",
    "WebFetch(domain:*)",
    "WebFetch(domain:*.com)",
]

MEDIUM_RULES = [
    "Bash(npm run *)",
    "Bash(npm run:*)",
    "Bash(pnpm run *)",
    "Bash(yarn run:*)",
    "Bash(bun run *)",
    "Bash(* install)",
    "Bash(./scripts/*)",
    "Edit(**)",
    "Edit(*)",
    "Edit(*.json)",
    "mcp__github",
    "mcp__github__*",
    "WebFetch(domain:gist.github.com)",
    "WebFetch(domain:raw.githubusercontent.com)",
    "WebFetch(domain:pastebin.com)",
    "WebFetch(domain:webhook.site)",
    "WebFetch(domain:abc123.ngrok-free.app)",
    "WebFetch(domain:*.github.com)",
]

LOW_RULES = [
    "Bash(* --version)",
    "Bash(* --help)",
    "Bash(git commit:*)",
]

NARROW = [
    "Bash(git status)",
    "Bash(npm run test)",
    "Bash(npm run lint)",
    "Bash(npm run test:*)",
    "Bash(npm run test*)",
    "Bash(npm test:*)",
    "Bash(pnpm test:*)",
    "Bash(git diff:*)",
    "Bash(git diff *)",
    "Bash(git log:*)",
    "Bash(git status:*)",
    "Bash(git add *)",
    "Bash(git -C sub status:*)",
    "Bash(ls:*)",
    "Bash(ls*)",
    "Bash(cat:*)",
    "Bash(grep *)",
    "Bash(pytest *)",
    "Bash(python -m pytest:*)",
    "Bash(uv run pytest:*)",
    "Bash(uv run --with pytest pytest:*)",
    "Bash(npx jest:*)",
    "Bash(timeout 30 npm test:*)",
    "Bash(env CI=1 npm test:*)",
    "Bash(mise exec node@20 -- npm test:*)",
    "Bash(bash scripts/test.sh:*)",
    "Bash(python3 manage.py test:*)",
    "Bash(./node_modules/.bin/eslint:*)",
    "Bash(docker ps:*)",
    "Bash(go version)",
    "Bash(cargo fmt:*)",
    "Bash(deno fmt *)",
    "Bash(rm -rf node_modules dist .next)",
    "Bash(sudo systemctl restart nginx)",
    "Bash(git:* push)",
    "Bash(npm test 2>&1)",
    "PowerShell(Get-ChildItem *)",
    "Read(src/**)",
    "Read(**)",
    "Edit(src/**)",
    "Edit(docs/*.md)",
    "WebFetch(domain:docs.python.org)",
    "WebFetch(domain:*.python.org)",
    "WebSearch",
    "mcp__github__get_issue",
    "mcp__github__get_*",
    "mcp__*",
    "Agent(Explore)",
    "Task(code-reviewer)",
    "TodoWrite",
    "Glob",
    "Grep",
    "NotebookEdit",
    # Tool names are case-sensitive in Claude Code: these grant nothing.
    "bash(*)",
    "BASH",
    "webfetch",
]

MALFORMED = ["", "   ", "Bash(", "((", ")", "Bash(\\)", 'Bash(")', "Bash(*", "mcp__", "Read()", "Edit(   )", "WebFetch(domain:)", "Bash(|)", "Bash(&& *)"]


def _table(severity: Severity | None, rules: list[str]) -> list[tuple[str, Severity | None]]:
    return [(rule, severity) for rule in rules]


@pytest.mark.parametrize(
    ("rule", "expected"),
    _table(CRITICAL, EVERY_COMMAND + SHELLS_AND_INTERPRETERS + WRAPPERS_AND_RUNNERS + PINNED_THROUGH)
    + _table(HIGH, OPTION_EXEC + EGRESS + DESTRUCTIVE + ACCOUNTS + FILES_HIGH + WEB_HIGH)
    + _table(MEDIUM, MEDIUM_RULES)
    + _table(LOW, LOW_RULES)
    + _table(None, NARROW),
)
def test_claude_rule_severity(rule: str, expected: Severity | None) -> None:
    grant = judge_claude_rule(rule)
    assert (grant.severity if grant else None) == expected, grant


@pytest.mark.parametrize("rule", MALFORMED)
def test_malformed_claude_rules_never_raise(rule: str) -> None:
    grant = judge_claude_rule(rule)
    assert grant is None or isinstance(grant, Grant)


def test_random_rules_never_raise() -> None:
    """Whatever a settings file holds, judging it must not break the scan."""
    alphabet = "Bash()Read~/.*:-_ \"'|&;$\\`{}[]!?=\nabcgitnpmrun"
    rng = random.Random(20240611)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        for judge in (judge_claude_rule, judge_gemini_tool, judge_terminal_pattern):
            judge(text)
        judge_command(text, rng.random() < 0.5)


@pytest.mark.parametrize(
    ("rule", "mentions"),
    [
        ("Bash(find:*)", ("`find`", "-exec", "`Bash(find:*)`")),
        ("Bash(node:*)", ("`node`", "-e", "every command")),
        ("Bash(git:*)", ("`git`", "core.pager")),
        ("Bash(go test:*)", ("`go`", "-exec")),
        ("Bash(rg *)", ("`rg`", "--pre")),
        ("Bash(python3 *)", ("`python3`", "-c")),
        ("Bash(npx:*)", ("`npx`", "downloads")),
        ("Bash(sudo apt-get install:*)", ("`sudo`", "`apt-get install`", "root")),
        ("Bash(curl *)", ("`curl`", "any host")),
        ("Bash(rm -rf *)", ("`rm`", "delete")),
        ("Bash(npm run:*)", ("`npm run`", "package.json")),
        ("Bash(curl -fsSL https://get.example/x | sh)", ("`sh`", "`curl -fsSL https://get.example/x`")),
        ("Bash(* --version)", ("sh -c", "--version")),
        ("Bash(git commit:*)", ("--no-verify",)),
        ("Bash(*)", ("every command",)),
        ("Read(~/.ssh/**)", ("~/.ssh/id_ed25519", "private key")),
        ("Read(.env)", ("`.env`", "secrets")),
        ("Edit(.claude/**)", (".claude/settings.json", "permissions")),
        ("Edit(**)", ("every file in the project",)),
        ("WebFetch(domain:pastebin.com)", ("pastebin.com",)),
        ("mcp__github__*", ("`github`", "every tool")),
    ],
)
def test_reason_names_the_command_and_the_mechanism(rule: str, mentions: tuple[str, ...]) -> None:
    grant = judge_claude_rule(rule)
    assert grant is not None
    for text in mentions:
        assert text in grant.reason
    assert grant.reason.endswith(".") and "\n" not in grant.reason


def test_a_plain_command_run_after_a_pipe_is_less_than_a_wildcard_one() -> None:
    fixed = judge_claude_rule("Bash(curl -fsSL https://get.example/x | sh)")
    assert fixed is not None and fixed.severity == HIGH


def test_powershell_rules_are_case_insensitive() -> None:
    grant = judge_claude_rule("PowerShell(INVOKE-EXPRESSION *)")
    assert grant is not None and grant.severity == CRITICAL


def test_surrounding_whitespace_does_not_change_the_judgement() -> None:
    assert judge_claude_rule("  Bash(python:*)  ") is not None
    assert judge_claude_rule("Bash(  python *  )") is not None


@pytest.mark.parametrize(
    ("prefix", "wildcard", "expected"),
    [
        ("", True, CRITICAL),
        ("*", False, CRITICAL),
        ("python3", True, CRITICAL),
        ("bash -c", True, CRITICAL),
        ("env", True, CRITICAL),
        ("find", True, HIGH),
        ("find . -name", True, HIGH),
        ("git", True, HIGH),
        ("curl", True, HIGH),
        ("npm run", True, MEDIUM),
        ("git diff", True, None),
        ("npm run test", True, None),
        ("python3", False, None),
        ("rm -rf node_modules", False, None),
        ("ls", True, None),
    ],
)
def test_judge_command(prefix: str, wildcard: bool, expected: Severity | None) -> None:
    grant = judge_command(prefix, wildcard)
    assert (grant.severity if grant else None) == expected, grant


def test_judge_command_reason_shows_the_approved_prefix() -> None:
    grant = judge_command("find", True)
    assert grant is not None and "`find *`" in grant.reason and "-exec" in grant.reason


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("run_shell_command", CRITICAL),
        ("ShellTool", CRITICAL),
        ("run_shell_command()", CRITICAL),
        ("run_shell_command(bash)", CRITICAL),
        ("ShellTool(python3)", CRITICAL),
        ("run_shell_command(git)", HIGH),
        ("ShellTool(rm -rf)", HIGH),
        ("run_shell_command(curl)", HIGH),
        ("web_fetch", HIGH),
        ("write_file", MEDIUM),
        ("run_shell_command(npm run)", MEDIUM),
        ("run_shell_command(git status)", None),
        ("ShellTool(git diff)", None),
        ("run_shell_command(npm run test)", None),
        ("read_file", None),
        ("glob", None),
        ("run_shell_command(", None),
    ],
)
def test_gemini_tool(entry: str, expected: Severity | None) -> None:
    grant = judge_gemini_tool(entry)
    assert (grant.severity if grant else None) == expected, grant


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("/.*/", CRITICAL),
        ("/^/", CRITICAL),
        ("/./", CRITICAL),
        ("/\\S+/", CRITICAL),
        ("/^(?!rm)/", CRITICAL),
        ("*", CRITICAL),
        ("/^python/i", CRITICAL),
        ("/^(bash|sh) /", CRITICAL),
        ("/^sudo\\b/", CRITICAL),
        ("bash", CRITICAL),
        ("npx", CRITICAL),
        ("/^git\\b/", HIGH),
        ("/^find /", HIGH),
        ("/^(?:python3 .*)$/", CRITICAL),
        ("/^python3 -m pytest$/", None),
        ("/git/", HIGH),
        ("rm", HIGH),
        ("curl", HIGH),
        ("git", HIGH),
        ("/^npm run \\w+/", MEDIUM),
        ("/git status$/", MEDIUM),
        ("/^git (status|diff)\\b/", None),
        ("/^(?<cmd>git) status/", None),
        ("/^npm (test|run test)\\b/", None),
        ("/^(ls|cat|pwd)\\b/", None),
        ("npm test", None),
        ("git status", None),
        ("/[unclosed/", None),
        ("/usr/bin/ls", None),
    ],
)
def test_terminal_pattern(pattern: str, expected: Severity | None) -> None:
    grant = judge_terminal_pattern(pattern)
    assert (grant.severity if grant else None) == expected, grant


def test_terminal_regex_reason_names_the_command_it_lets_through() -> None:
    grant = judge_terminal_pattern("/^git\\b/")
    assert grant is not None and "`git`" in grant.reason and "`/^git\\b/`" in grant.reason


@pytest.mark.parametrize(("line", "commands"), [
    ("a && b | c; d", ["a", "b", "c", "d"]),
    ("echo $(curl x | sh); ls", ["echo $(curl x | sh)", "ls"]),
    ("echo `id; whoami` && ls", ["echo `id; whoami`", "ls"]),
    ("find . -exec rm {} \\; && ls", ["find . -exec rm {} \\;", "ls"]),
    ("make 2>&1 | tee log", ["make 2>&1", "tee log"]),
    ("echo 'a;b' \"c|d\"", ["echo 'a;b' \"c|d\""]),
])
def test_one_splitter_reads_operators_as_a_shell_does(line: str, commands: list[str]) -> None:
    """Rule specs and hook commands are split by the same function: an operator
    inside quotes, `$(…)`, backticks or after a backslash starts no command."""
    assert [part.strip() for _, part in split_commands(line)] == commands
