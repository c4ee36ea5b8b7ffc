"""Where a URL or host name in agent configuration sends traffic.

Settings name hosts for model endpoints, proxies, telemetry collectors and MCP
servers. A host on this machine or on the private network is the team's own;
a public host receives whatever the setting sends; a tunnel or capture
service is where anyone can read it back.

`ipaddress` and `urllib.parse` load when a URL or address is first judged:
most commits that touch settings have none, and pay for every import.
"""
from __future__ import annotations

import functools
import re

from agenthook import context, lazyre

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import ipaddress

# Services that exist to receive traffic from anywhere and show it to whoever
# holds the link, or to expose a laptop to the internet.
_RELAYS = lazyre.compile(
    r"(?:^|\.)(?:ngrok(?:-free)?\.(?:io|app|dev)|ngrok\.pizza|trycloudflare\.com|webhook\.site"
    r"|requestbin\.(?:com|net)|pipedream\.net|interact\.sh|oast\.(?:fun|live|me|pro|site|online)"
    r"|burpcollaborator\.net|oastify\.com|dnslog\.cn|ceye\.io|loca\.lt|localtunnel\.me|serveo\.net"
    r"|localhost\.run|lhr\.life|pagekite\.me|bore\.pub|pinggy\.(?:io|link)|tunnelmole\.net|playit\.gg)$",
    re.IGNORECASE,
)
_INTERNAL_SUFFIXES = (".local", ".internal", ".lan", ".corp", ".home.arpa", ".intranet", ".private")
_VARIABLE = lazyre.compile(r"\$\{|\$[A-Za-z_]|\{\{|%[A-Za-z_]+%")


@functools.cache
def _private_nets() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Private ranges only: the documentation ranges (198.51.100.0/24 and kin)
    stand for somebody else's host in examples, so they count as outside."""
    import ipaddress  # noqa: PLC0415

    return tuple(ipaddress.ip_network(n) for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"))


def url_host(url: str) -> str | None:
    """The host a URL names, or None when there is none or it is a variable."""
    text = url.strip()
    if "://" not in text:
        return None
    from urllib.parse import urlsplit  # noqa: PLC0415

    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or _VARIABLE.search(text.split("://", 1)[1].split("/", 1)[0]):
        return None
    return host.rstrip(".").lower()


def scheme(url: str) -> str:
    return url.strip().split("://", 1)[0].lower() if "://" in url else ""


def is_internal(host: str) -> bool:
    """This machine, a reserved documentation name, or the private network:
    loopback and private addresses, single-label names (a compose service,
    `jenkins`) and internal-only suffixes."""
    if context.is_local_host(host):
        return True
    import ipaddress  # noqa: PLC0415

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "." not in host or host.lower().endswith(_INTERNAL_SUFFIXES)
    return address.is_loopback or address.is_link_local or any(address in net for net in _private_nets())


def is_ip_literal(host: str) -> bool:
    import ipaddress  # noqa: PLC0415

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_relay(host: str) -> bool:
    """A tunnel or request-capture service: anyone can receive what is sent there."""
    return bool(_RELAYS.search(host))


def has_variable(text: str) -> bool:
    return bool(_VARIABLE.search(text))
