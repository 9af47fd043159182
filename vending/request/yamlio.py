"""Reading YAML safely (bounded size, one document, no duplicate keys) and writing it deterministically."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning
from ruamel.yaml.nodes import MappingNode, ScalarNode
from ruamel.yaml.resolver import implicit_resolvers

from vending.errors import Finding
from vending.request.yamlemit import fast_dump
from vending.request.yamlfast import fast_parse

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 20_000
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]


class YamlLoadError(Exception):
    """A YAML file could not be read; carries one finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.render())
        self.finding = finding


@dataclass(frozen=True)
class YamlDocument:
    """A loaded mapping as plain Python data, with the line of every key."""

    source: str
    data: dict[str, Any]
    lines: Mapping[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of the deepest known node along ``path``."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def _fail(source: str, message: str, line: int | None = None) -> YamlLoadError:
    return YamlLoadError(Finding(source, "", message, line))


def read_text_bounded(path: Path, source: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 file no larger than ``max_bytes``."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise _fail(source, "file not found") from exc
    except IsADirectoryError as exc:
        raise _fail(source, "is a directory, not a file") from exc
    except OSError as exc:
        raise _fail(source, f"cannot read file: {exc.strerror}") from exc
    if len(raw) > max_bytes:
        raise _fail(source, f"file is larger than {max_bytes // 1024} KiB; a request is a few hundred bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(source, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from exc


class _BoundedComposer(Composer):
    """Stops as soon as the stream holds more than ``MAX_NODES`` nodes, before the rest is parsed, and refuses a
    mapping or list as a key before it is constructed: hashing nested keys takes time exponential in their
    depth (``{{{{{{{{{{{{{{{{{{{{}}}}}}}}}}}}}}}}}}}}`` would never finish)."""

    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            mark = self.parser.peek_event().start_mark
            raise ComposerError(None, None, f"the document holds more than {MAX_NODES} values", mark)
        node = super().compose_node(parent, index)
        if isinstance(parent, MappingNode) and index is None and not isinstance(node, ScalarNode):
            kind = "a mapping" if isinstance(node, MappingNode) else "a list"
            raise ComposerError(None, None, f"keys must be strings, found {kind}", node.start_mark)
        return node


def _parser() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    yaml.Composer = _BoundedComposer
    return yaml


_CONSTRUCTION_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError, OverflowError)
"""What ruamel's constructors raise, unwrapped, for malformed tagged or typed scalars (``!!int x``)."""


def _load_documents(text: str, source: str) -> list[Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", YAMLWarning)  # a reused anchor, a YAML 1.1 float without a dot
            return list(_parser().load_all(text))
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        problem = (exc.problem or str(exc)).strip().splitlines()[0]
        if "duplicate key" in str(exc.problem or ""):
            problem = str(exc.problem).strip().splitlines()[0]
        if "'\\t'" in problem:
            problem = "a tab where YAML needs spaces; indent with spaces only (YAML does not allow tabs there)"
        if "maximum depth" in problem:
            problem = f"values are nested more than {MAX_DEPTH} levels deep"
        raise _fail(source, f"invalid YAML: {problem}", line) from exc
    except RecursionError as exc:
        raise _fail(source, f"invalid YAML: values are nested more than {MAX_DEPTH} levels deep") from exc
    except YAMLError as exc:
        raise _fail(source, f"invalid YAML: {str(exc).strip().splitlines()[0]}") from exc
    except _CONSTRUCTION_ERRORS as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _fail(source, f"invalid YAML: a value cannot be read ({detail}); quote it to keep it a string") from exc


def parse_yaml_mapping(text: str, source: str) -> YamlDocument:
    """Parse exactly one YAML document whose top level is a mapping. Plain files take a fast path; anything
    unusual is read by the round-trip parser, which reports precisely what is wrong."""
    fast = fast_parse(text, MAX_NODES, MAX_DEPTH)
    if fast is not None:
        return YamlDocument(source, fast[0], fast[1])
    documents = _load_documents(text, source)
    if not documents:
        raise _fail(source, "the file is empty; a request is a YAML mapping")
    if len(documents) != 1:
        raise _fail(source, f"expected exactly one YAML document, found {len(documents)}")
    root = documents[0]
    if not isinstance(root, CommentedMap):
        kind = "a list" if isinstance(root, CommentedSeq) else "empty" if root is None else "a scalar"
        raise _fail(source, f"the top level must be a mapping of keys to values, but it is {kind}")
    converter = _Converter(source)
    data = converter.convert(root, ())
    return YamlDocument(source, data, converter.lines)


def load_yaml_mapping(path: Path, source: str | None = None) -> YamlDocument:
    """Read and parse ``path`` (bounded, UTF-8, single mapping document)."""
    name = source if source is not None else str(path)
    return parse_yaml_mapping(read_text_bounded(path, name), name)


class _Converter:
    """Turns ruamel's round-trip nodes into plain data, counting nodes to bound alias expansion."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes = 0
        self.lines: dict[Path_, int] = {}

    def convert(self, node: Any, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _fail(self.source, f"document expands to more than {MAX_NODES} values (aliases?)")
        if isinstance(node, CommentedMap):
            return self._mapping(node, path)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, path)
        return _scalar(node)

    def _mapping(self, node: CommentedMap, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in node.items():
            if not isinstance(key, str):
                line = _key_line(node, key)
                raise _fail(self.source, f"keys must be strings, found {_scalar(key)!r}", line)
            line = _key_line(node, key)
            if line is not None:
                self.lines[(*path, key)] = line
            result[key] = self.convert(value, (*path, key))
        return result

    def _sequence(self, node: CommentedSeq, path: Path_) -> list[Any]:
        items: list[Any] = []
        for index, value in enumerate(node):
            with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
                self.lines[(*path, index)] = node.lc.item(index)[0] + 1
            items.append(self.convert(value, (*path, index)))
        return items


def _key_line(node: CommentedMap, key: Any) -> int | None:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (KeyError, TypeError, AttributeError):
        return None


def _scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def dump_yaml(data: Mapping[str, Any], header: str = "") -> str:
    """Block-style YAML, keys in the given order. Written by libyaml with YAML 1.1 rules, so strings
    such as ``no`` or ``0123`` are quoted and every Kubernetes reader gets them back as strings."""
    body = fast_dump(data, _YAML12_IMPLICIT) or yaml.dump(
        _plain(data), Dumper=_Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=4096
    )
    return header + body


def dump_yaml_list(items: list[Any]) -> str:
    """A top-level block sequence, as the items of a list under a key at column 0 are written."""
    return str(yaml.dump(_plain(items), Dumper=_Dumper, default_flow_style=False, allow_unicode=True, width=4096))


def load_plain_yaml(text: str) -> Any:
    """Parse YAML we wrote ourselves (libyaml, YAML 1.1 rules, as Kubernetes reads it)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NEEDS_ESCAPES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """libyaml's safe dumper; strings with line breaks or control characters are double-quoted."""


def _one_pattern(regexps: Any) -> re.Pattern[str]:
    """One compiled alternation of ``regexps`` (each keeps its own verbose flag): one match per string
    instead of one per resolver."""
    parts = [f"(?{'x' if regexp.flags & re.VERBOSE else ''}:{regexp.pattern})" for regexp in regexps]
    return re.compile("|".join(parts))


_YAML12_IMPLICIT = _one_pattern(regexp for versions, _, regexp, _ in implicit_resolvers if (1, 2) in versions)
"""Plain scalars YAML 1.2 (our own loader) reads as non-strings: ``1e3``, ``0E0``, ``.5``, ..."""


def _represent_str(dumper: Any, value: str) -> Any:
    if _NEEDS_ESCAPES.search(value):
        style: str | None = '"'
    elif _YAML12_IMPLICIT.match(value):
        style = "'"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
