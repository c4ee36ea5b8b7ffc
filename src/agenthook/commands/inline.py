"""Interpreter one-liners read for what they do: `python -c`, `node -e`,
`ruby -e`, `perl -e`, `php -r` and PowerShell.

The code is not parsed as its language: it is searched for the calls that
matter (an HTTP client that sends, a fetch whose text is run, a decoder whose
output is run or written out, a shell command handed to `os.system`), and a
string handed to a shell is returned so the shell reading judges it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from agenthook import lazyre
from agenthook.commands import decode
from agenthook.commands.shell import Env
from agenthook.structured import hosts

_SENDS = lazyre.compile(
    r"requests\.(?:post|put|patch)|httpx\.(?:post|put|patch)|urlopen\([^)]{0,300}data|urllib\.request\.Request\([^)]{0,300}data"
    r"|http\.client|fetch\([^)]{0,300}method\s*:\s*['\"](?:POST|PUT)|axios\.(?:post|put)|https?\.request"
    r"|Net::HTTP\.post|Net::HTTP::Post|LWP::UserAgent|HTTP::Tiny[^;]{0,100}post|->post\(|socket\.(?:send|sendall|connect)"
    r"|IO::Socket|TCPSocket|fsockopen|curl_exec|Invoke-RestMethod[^|;]{0,300}-(?:Method\s+['\"]?(?:Post|Put)|InFile|Body)"
    r"|Invoke-WebRequest[^|;]{0,300}-(?:Method\s+['\"]?(?:Post|Put)|InFile|Body)|(?:iwr|irm)\s[^|;]{0,300}-(?:Method\s+['\"]?Post|InFile|Body)"
    r"|UploadFile|UploadString|UploadData|\bmethod\s*[:=]\s*['\"](?:POST|PUT|PATCH)['\"]",
    re.IGNORECASE,
)
_FETCHES = lazyre.compile(
    r"urlopen|requests\.get|httpx\.get|urllib\.request|fetch\(|https?\.get|Net::HTTP|open-uri|URI\.open|LWP::Simple|get\(\s*['\"]https?"
    r"|file_get_contents\(\s*['\"]https?|DownloadString|Invoke-WebRequest|Invoke-RestMethod|\biwr\b|\birm\b|Net\.WebClient",
    re.IGNORECASE,
)
_RUNS = lazyre.compile(r"\b(?:exec|eval|compile|Function|system|popen|spawn|execSync|IEX|Invoke-Expression|`)\s*[(\s'\"]"
                       r"|\|\s*(?:iex|Invoke-Expression)\b|\bsubprocess\.|\bchild_process\b|\bos\.exec", re.IGNORECASE)
_DECODES = lazyre.compile(r"b64decode|base64\.decode|decodebytes|atob\(|Buffer\.from\([^)]{0,2000}base64|decode64|unpack\(['\"]m"
                          r"|base64_decode|FromBase64String|fromhex|unhexlify|codecs\.decode", re.IGNORECASE)
_WRITES = lazyre.compile(r"\.write\(|writeFileSync|write_text|File\.write|file_put_contents|Set-Content|Out-File", re.IGNORECASE)
_SHELL_CALL = lazyre.compile(
    r"(?:os\.system|os\.popen|subprocess\.(?:run|call|check_output|check_call|Popen)|execSync|exec|system|spawnSync|`)"
    r"\s*\(?\s*(?P<q>['\"`])(?P<cmd>[^'\"`\n]{1,2000})(?P=q)", re.IGNORECASE)
_SECRET = lazyre.compile(r"\.env\b|\.ssh|id_rsa|id_ed25519|\.aws|credentials|\.netrc|\.npmrc|\.pypirc|\.kube|os\.environ|"
                         r"process\.env|ENV\[|\$ENV|getenv|\$env:|environ", re.IGNORECASE)
_ENV_DUMP = lazyre.compile(r"\bdict\(os\.environ\)|os\.environ(?!\s*[\[.(])|JSON\.stringify\(process\.env\)|"
                           r"Get-ChildItem\s+env:|\bgci\s+env:|\bls\s+env:", re.IGNORECASE)
# A header, cookie or auth argument built from the environment sends that secret with any request method.
_ENV_IN_HEADERS = lazyre.compile(
    r"\b(?:headers|cookies|auth)\s*[=:]\s*[{(\[][^;]{0,300}?(?:os\.environ(?:\.get)?\s*[\[(]\s*|os\.getenv\(\s*|getenv\(\s*"
    r"|ENV\[\s*|process\.env\.|\$env:)['\"]?(\w{1,80})", re.IGNORECASE)
_URL = lazyre.compile(r"https?://([^/\s'\"`)]{1,253})|\b(?:host|hostname)\s*[:=]\s*['\"]([\w.-]{1,253})['\"]",
                      re.IGNORECASE)

Verdict = tuple[str, str, str, str]  # rule, severity, says, shell text to judge


def _outside(code: str) -> str:
    """The first outside host the code names; 'an outside host' when it names none."""
    found = [(m.group(1) or m.group(2)).split(":")[0].split("@")[-1].lower() for m in _URL.finditer(code)]
    outside = [h for h in found if not hosts.is_internal(h)]
    if found and not outside:
        return ""
    return outside[0] if outside else "a host it names at run time"


def judge(kind: str, code: str, env: Env) -> Iterator[Verdict]:
    code = code[:decode.MAX_ENCODED]
    for match in _SHELL_CALL.finditer(code):
        yield "", "", "", match.group("cmd")
    decodes = _DECODES.search(code)
    runs = _RUNS.search(code)
    if decodes:
        payloads = decode.literals(code)
        if runs or _WRITES.search(code):
            shown = payloads[0][:60] if payloads else decodes.group()
            yield "AH902", "high", f"decodes a hidden payload and {'runs' if runs else 'writes'} it (`{shown}`)", ""
        for payload in payloads:
            yield "", "", "", payload
            if kind != "shell":
                yield from judge(kind, payload, env) if len(payload) < len(code) else ()
    if _FETCHES.search(code) and runs:
        host = _outside(code)
        if host:
            yield "AH901", "high", f"downloads code from {host} and runs it", ""
    if _SENDS.search(code):
        host = _outside(code)
        if host:
            secret = _SECRET.search(code)
            yield ("AH204", "critical" if secret else "high",
                   f"sends {'`' + secret.group() + '`' if secret else 'data'} to {host} from a {kind} one-liner", "")
    header = _ENV_IN_HEADERS.search(code)
    if header and not _SENDS.search(code):
        from agenthook.commands import effects  # noqa: PLC0415

        host = _outside(code)
        named = _URL.search(code)
        dest = (named.group(1) or named.group(2) or "") if named else ""
        if "." in host and not effects.own_service([header.group(1)], host, dest):
            yield ("AH204", "critical" if effects.known_secret(header.group(1)) else "high",
                   f"sends the value of `{header.group(1)}` to {host} in a request header from a {kind} one-liner", "")
    dump = _ENV_DUMP.search(code)
    if dump:
        yield "AH802", "high", f"reads every environment variable (`{dump.group()}`)", ""
