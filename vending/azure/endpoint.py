"""The ARM endpoint, parsed once: the host the HTTP stack will connect to, and nothing ambiguous.

``urllib.parse`` (what Python code usually reads a URL with) and ``urllib3.util.parse_url`` (what
requests, and so azure-core, connects by) disagree on userinfo, backslashes, odd authority characters
and whitespace: ``https://127.0.0.1\\@evil.example`` is loopback to one and ``evil.example`` to the
other. An endpoint is accepted only when it is plain (scheme, host, optional port, nothing else), made
of characters both read the same way, and both parsers agree on its scheme, host and port. The
accepted endpoint is then rebuilt from those parts, so every later reading sees the same string.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from vending.errors import InputError

ENDPOINT_OPTION = "--arm-endpoint / VENDING_ARM_ENDPOINT"
_PLAIN = re.compile(r"(?i:https)://(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?/?")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoint:
    """An https endpoint both parsers read alike: ``url`` is ``https://host[:port]`` rebuilt from the parts."""

    host: str
    port: int | None

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{shown}" if self.port is None else f"https://{shown}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 (a host already read by :func:`connect_host`)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_endpoint(text: str) -> Endpoint:
    """The endpoint ``text`` names; ``InputError`` (exit 2) naming the option when it is not plain."""
    problem = endpoint_problem(text)
    if problem is not None:
        raise InputError(
            f"{ENDPOINT_OPTION}: {problem}; give an https URL with only a host and an optional port, like "
            f"https://management.azure.com (got {text!r})"
        )
    match = _PLAIN.fullmatch(text)
    assert match is not None  # endpoint_problem checked it
    port = match.group("port")
    return Endpoint(match.group("host").strip("[]").lower(), int(port) if port else None)


def endpoint_problem(text: str) -> str | None:
    """Why ``text`` is not a plain endpoint both parsers read alike, or None."""
    if any(ord(char) < 0x21 or ord(char) >= 0x7F for char in text):
        return "contains whitespace, control or non-ASCII characters"
    for char, what in (("\\", "a backslash"), ("@", "user information (@)"), ("%", "percent-escapes")):
        if char in text:
            return f"contains {what}"
    if not text.lower().startswith("https://"):
        return "must be an https URL"
    match = _PLAIN.fullmatch(text)
    if match is None:
        return "must have no path, query, fragment or unusual characters in its host"
    host, port = match.group("host"), match.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return f"port {port} is out of range"
    if _ambiguous_number(host):
        return f"host {host} reads as a number some resolvers take for an IPv4 address"
    if readings(text) != (host.strip("[]").lower(), int(port) if port else None):
        return "urllib and urllib3 read its host or port differently"
    return None


def _ambiguous_number(host: str) -> bool:
    """A host whose last label is numeric but which is not a dotted-quad IPv4 address (``127.1``, ``0x7f.1``)."""
    if host.startswith("["):
        return False
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if not _NUMERIC_LABEL.fullmatch(last):
        return False
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return True
    return False


def readings(text: str) -> tuple[str, int | None] | None:
    """``(host, port)`` when urllib.parse and urllib3 agree on the URL's scheme, host and port, else None."""
    try:
        ours = urlsplit(text)
        theirs = parse_url(text)
        our_port = ours.port
    except (ValueError, LocationParseError):
        return None
    our_host = (ours.hostname or "").lower()
    their_host = (theirs.host or "").strip("[]").lower()
    same = (ours.scheme.lower(), our_host, our_port) == ((theirs.scheme or "").lower(), their_host, theirs.port)
    if not same or not our_host or ours.username is not None or theirs.auth is not None:
        return None
    return our_host, our_port


def connect_host(url: str) -> str:
    """The host a request to ``url`` connects to, lowercase; empty when the parsers disagree about it."""
    read = readings(url)
    return "" if read is None else read[0]


def path_segment(value: str, what: str) -> str:
    """``value`` unchanged when it is safe as one URL path segment of an ARM call, else ``InputError``.

    The SDK percent-encodes ``/`` and friends but leaves dots alone, and a server (or a proxy) removes
    dot segments: a management group named ``..`` would be looked up at the list URL. Azure refuses
    names that end with a period, so refusing them here changes nothing that Azure accepts.
    """
    if not value or value.endswith(".") or any(ord(char) < 0x20 or char in "/\\?#%" for char in value):
        raise InputError(
            f"{what} {value!r} cannot be part of an Azure Resource Manager URL: it must not be empty, end "
            "with a period, or contain / \\ ? # % or control characters"
        )
    return value
