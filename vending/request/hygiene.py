"""Text hygiene: UTF-16 surrogates joined or refused at load, and the invisible characters that can make a
trunk file or a commit read differently from what a reviewer sees, named by their code points.

A JSON library writes a character outside the Basic Multilingual Plane (any emoji) as a pair of ``\\uD83D``
style escapes, and YAML double-quoted strings read such a pair back as two surrogate code points, which no
encoding can write. Loading joins every pair into its character and refuses a lone half.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

Path_ = tuple[str | int, ...]

_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def code_point(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; a surrogate or a control without a name gets a description."""
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:
        return f"U+{point:04X} (half of a UTF-16 surrogate pair)"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(point, "a control character")
    return f"U+{point:04X} {name}"


_CONTROL_NAMES = {0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN", 0x00: "NULL"}


def _joined(match: re.Match[str]) -> str:
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def join_surrogates(text: str) -> str:
    """``text`` with every surrogate pair joined into the character it encodes (lone halves stay)."""
    return _PAIR.sub(_joined, text) if _SURROGATE.search(text) else text


def lone_surrogate(text: str) -> str | None:
    """Why ``text`` (already joined) cannot be stored, or None."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return (
        f"holds {code_point(found.group())} without its other half; write the character itself "
        "(or both halves of its \\u escape pair)"
    )


def invisible_character(text: str) -> str | None:
    """Why ``text`` may not hold a bidirectional control or a zero-width character, or None."""
    found = _INVISIBLE.search(text)
    if found is None:
        return None
    kind = "a bidirectional control" if found.group() in BIDI_CONTROLS else "a zero-width character"
    return f"must not contain {code_point(found.group())} ({kind}: the text would read differently from what it is)"


def control_character(text: str, *, allow: str = "") -> str | None:
    """Why ``text`` may not hold a control character (other than those in ``allow``), or None."""
    found = next((match for match in CONTROL.finditer(text) if match.group() not in allow), None)
    return None if found is None else f"must not contain control characters (found {code_point(found.group())})"


_TRAILER_LIKE = re.compile(r"(?i)(?<![a-z0-9-])[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)+\s*:|\bticket\s*:")


def message_text(text: str, *, limit: int) -> str | None:
    """Why ``text`` may not enter a commit message as a reason or a ticket, or None.

    One line (git reads a blank line as a paragraph break and the last paragraph as the trailers), no
    ``---`` (``git interpret-trailers`` stops at a line of dashes), nothing shaped like a trailer
    (``Signed-off-by:``, ``Requested-By:``, ``Ticket:``), no invisible or control characters.
    """
    if len(text) > limit:
        return f"must be at most {limit} characters (got {len(text)})"
    for problem in (control_character(text), invisible_character(text), lone_surrogate(text)):
        if problem is not None:
            return f"must be a single line: {problem}" if CONTROL.search(text) else problem
    if text != text.strip():
        return "must not start or end with white space (git trims it from a trailer)"
    if "---" in text:
        return "must not contain '---' (git reads a line of dashes as the end of a commit message)"
    trailer = _TRAILER_LIKE.search(text)
    if trailer is not None:
        return f"must not contain {trailer.group()!r} (it reads like a git trailer)"
    return None


def clean_surrogates(data: Any, path: Path_ = ()) -> tuple[Any, list[tuple[Path_, str]]]:
    """``data`` with surrogate pairs joined in every key and string, and where lone halves were found (they
    are shown as ``\\uXXXX`` escapes in the data returned, so that nothing downstream meets one)."""
    if isinstance(data, str):
        text = join_surrogates(data)
        problem = lone_surrogate(text)
        return _shown(text), [] if problem is None else [(path, problem)]
    if isinstance(data, list):
        items = [clean_surrogates(item, (*path, index)) for index, item in enumerate(data)]
        return [item for item, _ in items], [problem for _, found in items for problem in found]
    if isinstance(data, dict):
        return _clean_mapping(data, path)
    return data, []


def _clean_mapping(data: dict[Any, Any], path: Path_) -> tuple[dict[Any, Any], list[tuple[Path_, str]]]:
    result: dict[Any, Any] = {}
    problems: list[tuple[Path_, str]] = []
    for key, value in data.items():
        clean_key = join_surrogates(key) if isinstance(key, str) else key
        key_problem = lone_surrogate(clean_key) if isinstance(clean_key, str) else None
        if isinstance(clean_key, str):
            clean_key = _shown(clean_key)
        if key_problem is not None:
            problems.append(((*path, clean_key), f"key {key_problem}"))
        result[clean_key], found = clean_surrogates(value, (*path, clean_key))
        problems += found
    return result, problems


def _shown(key: str) -> str:
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", key)
