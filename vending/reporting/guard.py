"""Printing user-controlled text on a CI host without it being read as a host command.

The rules follow the hosts' own parsers (read in their sources, not copied):

- GitHub Actions runner, ``actions/runner``: ``src/Runner.Sdk/ProcessInvoker.cs`` reads a step's stdout
  and stderr apart with ``StreamReader.ReadLine``, so a line ends at ``\\n``, ``\\r`` or ``\\r\\n``.
  ``src/Runner.Worker/ActionCommandManager.cs`` tries every line with ``ActionCommand.TryParseV2`` and then
  ``ActionCommand.TryParse`` (``src/Runner.Common/ActionCommand.cs``): ``::name k=v,k=v::data`` once
  ``TrimStart()`` removed the leading white space, and the legacy ``##[name k=v;k=v]data`` anywhere in a
  line. Command names (``add-mask``, ``set-output``, ``set-env``, ``add-path``, ``echo``, ``group``,
  ``error``, ``stop-commands``, ...) compare case-insensitively.
- Azure Pipelines agent, ``microsoft/azure-pipelines-agent``: ``src/Agent.Worker/WorkerCommandManager.cs``
  hands every line to ``Command.TryParse`` (``src/Microsoft.VisualStudio.Services.Agent/Command.cs``),
  which finds ``##vso[area.event k=v;]data`` anywhere in the line; the web log also formats lines that
  start with ``##[section]``, ``##[error]`` and the like.

Both find their prefixes with .NET's culture-sensitive ``StartsWith``/``IndexOf``. Under ICU (.NET on
Linux and macOS) such a search skips "ignorable" code points: C0/C1 controls, format characters such as
U+200B and U+2060, variation selectors. A guard that breaks ``##`` with an invisible joiner is therefore
no guard there. This one first shows every ignorable code point as a ``\\uXXXX`` escape, then breaks each
would-be prefix with a visible, non-ignorable look-alike: ``#`` becomes U+FF03 FULLWIDTH NUMBER SIGN before
another ``#``, and the first ``:`` of a line that starts with ``::`` becomes U+FF1A FULLWIDTH COLON
(width differences count in .NET's default comparison). JSON documents get ``#`` as ``\\u0023``: they
hold only ASCII, and every line starts with a bracket, a quote or spaces.
"""

from __future__ import annotations

import json
import re
from typing import Any

from vending.reporting.host import Host

FULLWIDTH_NUMBER_SIGN = "\uff03"
FULLWIDTH_COLON = "\uff1a"

_IGNORABLE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # controls other than tab and the line breaks
    "\u00ad\u034f\u061c\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "\ud800-\udfff"  # lone surrogates: they cannot even be encoded
    "]"
)
"""Code points .NET's ICU comparisons skip (Default_Ignorable_Code_Point, format and control characters)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_DOUBLE_HASH = re.compile(r"#(?=#)")
_LINE_START_COLONS = re.compile(r"(\A|[\r\n])(\s*):(?=:)")


def _escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def show_ignorables(text: str) -> str:
    """``text`` with every code point a host's parser could skip written as a visible escape."""
    return _IGNORABLE.sub(_escape, text)


def printable(text: str) -> str:
    """``text`` with lone surrogates (a file name that is not UTF-8, say) shown as escapes."""
    return _SURROGATE.sub(_escape, text)


def guard_text(text: str, host: Host) -> str:
    """``text`` as it may appear in the log of ``host``: no line holds a command either host acts on.

    Unchanged on a plain host, except for lone surrogates (shown as escapes: no encoding can print them).
    """
    if host is Host.PLAIN:
        return printable(text)
    text = show_ignorables(text)
    text = _DOUBLE_HASH.sub(FULLWIDTH_NUMBER_SIGN, text)
    return _LINE_START_COLONS.sub(rf"\1\2{FULLWIDTH_COLON}", text)


def guard_json(document: Any, host: Host, indent: int | None = 2, *, sort_keys: bool = False) -> str:
    """JSON that parses to the same document but contains no command on any host.

    ``json.dumps`` writes ASCII only (controls and every non-ASCII code point escaped; DEL is escaped
    here), so nothing in it is ignorable; ``#`` only occurs inside JSON strings, where ``\\u0023`` means
    the same character.
    """
    text = json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=True)
    text = text.replace("\x7f", "\\u007f")
    return text if host is Host.PLAIN else text.replace("#", "\\u0023")
