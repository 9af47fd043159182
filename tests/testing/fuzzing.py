"""A mutation fuzzer over request files, and the property every case must keep.

Seeds are the example requests and the golden cases' ``request.yaml``. A case is one seed changed by a few
mutations (bytes, YAML structure, odd scalars, hostile strings, strings at and around each limit). Driving a
case runs ``load_request`` → ``validate_batch`` → ``render_subscription`` and the self-checks in-process; the
property: no uncaught exception and no ``RenderBugError`` (both are exit 1), every finding names the file,
and a valid request renders and its rendered ``request.yaml`` loads back as the same request.
"""

from __future__ import annotations

import json
import random
import signal
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from testing.requests import BUDGET, GUID_B, MCA_SCOPE, request_data
from testing.trunks import write_trunk_layout
from vending.errors import VendingError
from vending.render.subscription import REQUEST_FILE, initial_deletion
from vending.render_requests import render_checked
from vending.request.load import load_request
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.state import TrunkState, read_state
from vending.validate import validate_batch
from vending.version import INTERFACE_VERSION

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent


def seed_texts() -> dict[str, bytes]:
    """Every seed request by a short name: the examples and the golden cases."""
    seeds = {f"example/{p.stem}": p.read_bytes() for p in sorted((ROOT / "examples" / "requests").glob("*.yaml"))}
    for path in sorted((TESTS / "render" / "golden").glob("*/request.yaml")):
        seeds[f"golden/{path.parent.name}"] = path.read_bytes()
    return seeds


HOSTILE = [
    "",
    " ",
    "~",
    "null",
    "no",
    "0x10",
    "0o17",
    "1e3",
    ".inf",
    "-.inf",
    ".nan",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "12:30:45",
    "<<",
    "=",
    "!!binary aGVsbG8=",
    "${var.x}",
    "%{ if true }x%{ endif }",
    '"quoted"',
    "'single'",
    "back\\slash",
    "line\nbreak",
    "cr\rlf",
    "nul\x00byte",
    "tab\there",
    "\u202eevil",
    "zero\u200bwidth",
    "\ufeffbom",
    "\u2028sep",
    "\x85nel",
    "\U0001f600",
    "\ud800",
    "\udc00x",
    "\ud83d\ude00",
    "é" * 3,
    "#comment",
    "- item",
    "key: value",
    "[flow]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "|",
    ">",
    "@",
    "`",
    "---",
    "...",
    "%YAML 1.1",
    "a" * 65,
    "a" * 513,
    "a" * 257,
    "mg-" + "x" * 88,
    "x" * 129,
]
ODD_SCALARS = [
    "~",
    "null",
    ".inf",
    "-.inf",
    ".nan",
    "0x10",
    "0o17",
    "0b101",
    "1_000",
    "1:30",
    "2024-02-30",
    "2024-01-01T00:00:00Z",
    "yes",
    "Off",
    "!!binary aGVsbG8=",
    "!!int 0x1F",
    "!!float 1e400",
    "!!str 12",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!timestamp 2001-12-14",
    "!!python/object:os.system x",
    "!custom x",
    "1e400",
    "-1e400",
    "1" * 400,
    "-0",
    "0.0000000001",
    "'\\ud800'",
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"\\ud83d\\ude00"',
    '"\\x00"',
    '"\\u202e"',
    '"\\N"',
    "&a x",
    "*a",
    "*undefined",
    "[]",
    "{}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "? complex",
    "|\n  block\n  text",
    ">-\n  folded",
    '"a\\\n  b"',
]


def _limits() -> list[str]:
    """Strings at and around each length limit of the contract."""
    values = []
    for limit in (3, 50, 64, 90, 128, 256, 512):
        for size in (limit - 1, limit, limit + 1):
            values += ["a" * size, "a" + "-" * (size - 2) + "a" if size > 1 else "a", "é" * size]
    return values


LIMITS = _limits()


@dataclass(frozen=True)
class Case:
    """One fuzz case: its seed, the mutations applied (readable) and the bytes of the file."""

    seed: str
    mutations: tuple[str, ...]
    data: bytes

    def describe(self) -> str:
        return f"{self.seed} + {' + '.join(self.mutations) or 'nothing'}: {self.data[:300]!r}"


# -- structural mutations over parsed data ---------------------------------------------------------------


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _replace(rng: random.Random, data: Any, path: tuple[Any, ...]) -> str:
    value = rng.choice(
        [
            rng.choice(HOSTILE),
            rng.choice(LIMITS),
            rng.choice([0, -1, 10**30, -(10**30), 2**63, 1e308, float("inf"), float("nan"), 0.1, True, None]),
            [],
            {},
            [rng.choice(HOSTILE)],
            {rng.choice(HOSTILE): rng.choice(HOSTILE)},
            _nested(rng.randint(2, 80)),
        ]
    )
    _parent(data, path)[path[-1]] = value
    return f"set {_show(path)} to {value!r:.60}"


def _nested(depth: int) -> Any:
    value: Any = "x"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def _drop(rng: random.Random, data: Any, path: tuple[Any, ...]) -> str:
    del _parent(data, path)[path[-1]]
    return f"drop {_show(path)}"


def _rekey(rng: random.Random, data: Any, path: tuple[Any, ...]) -> str:
    parent = _parent(data, path)
    if not isinstance(parent, dict):
        return _replace(rng, data, path)
    new = rng.choice([*HOSTILE, str(path[-1]).upper(), str(path[-1]) + "s", "tag", "budgets"])
    parent[new] = parent.pop(path[-1])
    return f"rename {_show(path)} to {new!r:.40}"


def _stringify(rng: random.Random, data: Any, path: tuple[Any, ...]) -> str:
    parent = _parent(data, path)
    value = parent[path[-1]]
    parent[path[-1]] = rng.choice([str(value), [value], {"value": value}, 12345, 1.5, False])
    return f"retype {_show(path)}"


def _show(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path)


STRUCTURAL: list[Callable[[random.Random, Any, tuple[Any, ...]], str]] = [_replace, _drop, _rekey, _stringify]


def _structural(rng: random.Random, text: bytes) -> tuple[bytes, str]:
    data = yaml.safe_load(text.decode("utf-8"))
    paths = _paths(data)
    path = rng.choice(paths)
    note = rng.choice(STRUCTURAL)(rng, data, path)
    style = rng.choice(["block", "flow", "json"])
    if style == "json":
        dumped = json.dumps(data, ensure_ascii=rng.random() < 0.5, default=str).encode("utf-8", "surrogatepass")
    else:
        dumped = yaml.safe_dump(
            data, default_flow_style=style == "flow", allow_unicode=rng.random() < 0.5, sort_keys=False
        ).encode("utf-8", "surrogatepass")
    return dumped, f"{note} ({style})"


# -- text and byte mutations ------------------------------------------------------------------------------


def _odd_scalar(rng: random.Random, text: bytes) -> tuple[bytes, str]:
    lines = text.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if b": " in line and not line.lstrip().startswith(b"#")]
    if not candidates:
        return text, "no scalar"
    index = rng.choice(candidates)
    key = lines[index].split(b": ", 1)[0]
    scalar = rng.choice(ODD_SCALARS).replace("\n", "\n" + " " * (len(key) - len(key.lstrip()) + 2))
    lines[index] = key + b": " + scalar.encode("utf-8", "surrogatepass")
    return b"\n".join(lines), f"line {index + 1} value {scalar!r:.40}"


def _text_wide(rng: random.Random, text: bytes) -> tuple[bytes, str]:
    choice = rng.randrange(12)
    if choice == 0:
        return b"\xef\xbb\xbf" + text, "BOM"
    if choice == 1:
        return text.replace(b"\n", b"\r\n"), "CRLF"
    if choice == 2:
        return text + b"\n---\n" + text, "two documents"
    if choice == 3:
        return b"---\n" + text + b"\n...\n", "explicit document"
    if choice == 4:
        return b"%YAML 1.1\n---\n" + text, "YAML 1.1 directive"
    if choice == 5:
        return text.replace(b"\n", b"\r"), "CR only"
    if choice == 6:
        return b"\xff\xfe" + text.decode("utf-8").encode("utf-16-le", "surrogatepass"), "UTF-16"
    if choice == 7:
        return text + b"\nextra: &a [*a]\n", "self alias"
    if choice == 8:
        bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n".encode()
            for i in range(9)
        )
        return text + b"\n" + bomb, "alias bomb"
    if choice == 9:
        return text + b"\n<<: {name: merged}\n", "merge key"
    if choice == 10:
        return text.replace(b"  ", b"\t", 1), "tab indent"
    return b"{" * rng.randint(30, 300) + b"}" * rng.randint(0, 300), "deep flow nesting"


def _bytes(rng: random.Random, text: bytes) -> tuple[bytes, str]:
    data = bytearray(text)
    notes = []
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        kind = rng.randrange(5)
        if kind == 0:
            data[at] ^= 1 << rng.randrange(8)
            notes.append(f"flip@{at}")
        elif kind == 1:
            del data[at : at + rng.randint(1, 16)]
            notes.append(f"cut@{at}")
        elif kind == 2:
            token = rng.choice([b"\x00", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b":", b"-", b"'", b'"', b"\\", b"\t"])
            data[at:at] = token
            notes.append(f"insert {token!r}@{at}")
        elif kind == 3:
            start = rng.randrange(len(data))
            data[at:at] = data[start : start + rng.randint(1, 40)]
            notes.append(f"splice@{at}")
        else:
            data[at:at] = rng.choice(ODD_SCALARS).encode("utf-8", "surrogatepass")
            notes.append(f"scalar@{at}")
    return bytes(data), "bytes " + ",".join(notes)


def _duplicate_key(rng: random.Random, text: bytes) -> tuple[bytes, str]:
    lines = [line for line in text.split(b"\n") if line[:1].isalpha() and b":" in line]
    if not lines:
        return text, "no key"
    line = rng.choice(lines)
    return text + b"\n" + line + b"\n", f"duplicate {line[:30]!r}"


MUTATORS: list[Callable[[random.Random, bytes], tuple[bytes, str]]] = [
    _structural,
    _structural,
    _structural,
    _odd_scalar,
    _odd_scalar,
    _text_wide,
    _bytes,
    _duplicate_key,
]


def make_case(rng: random.Random, seeds: dict[str, bytes]) -> Case:
    """A seed with one to three mutations (a structural one needs the text to still parse)."""
    seed = rng.choice(sorted(seeds))
    data, notes = seeds[seed], []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutator = rng.choice(MUTATORS)
        try:
            data, note = mutator(rng, data)
        except (
            yaml.YAMLError,
            UnicodeError,
            ValueError,
            TypeError,
            IndexError,
            KeyError,
            AttributeError,
            RecursionError,
        ):
            continue
        notes.append(note)
    return Case(seed, tuple(notes), data)


# -- requests built field by field (hypothesis) -----------------------------------------------------------


HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE + LIMITS),
    st.text(st.characters(exclude_categories=()), max_size=80),
    st.text(st.sampled_from("a-.:#&*!|>'\"\\{}[],%@`~ \n\t\x00\u202e\ud800\U0001f600"), max_size=40),
)
ODD_VALUE = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(HOSTILE_TEXT, max_size=3),
    st.dictionaries(HOSTILE_TEXT, HOSTILE_TEXT, max_size=3),
)
FIELDS = [*request_data(), "workload", "tags", "budget", "network", "roleAssignments", "resourceProviders", "ticket"]
FULL = request_data(
    billingScope=MCA_SCOPE,
    tags={"costCenter": "4711"},
    budget=BUDGET,
    network={"addressSpace": ["10.20.0.0/24"], "hubPeering": False},
    roleAssignments=[{"principalId": GUID_B, "role": "Reader"}],
    resourceProviders=["Microsoft.KeyVault"],
    ticket="CHG-1",
)


@st.composite
def hostile_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A valid request with a few fields replaced by hostile values, or hostile tags added."""
    data = json.loads(json.dumps(draw(st.sampled_from([request_data(), FULL]))))
    for key in draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True)):
        data[key] = draw(ODD_VALUE)
    if draw(st.booleans()):
        data["tags"] = draw(st.dictionaries(HOSTILE_TEXT, HOSTILE_TEXT, max_size=4))
    if draw(st.booleans()):
        data["displayName"] = draw(HOSTILE_TEXT)
    return data


VISIBLE = st.characters(exclude_categories=("Cc", "Cs"))
VISIBLE_TEXT = st.text(VISIBLE, min_size=1, max_size=60)
"""Any character a request may hold in free text: mostly valid, so these requests reach rendering."""


@st.composite
def renderable_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A valid request whose free-text fields (display name, tags, ticket) hold arbitrary visible text."""
    data = json.loads(json.dumps(draw(st.sampled_from([request_data(), FULL]))))
    data["displayName"] = draw(VISIBLE_TEXT)
    data["tags"] = draw(st.dictionaries(st.text(VISIBLE, min_size=1, max_size=20), VISIBLE_TEXT, max_size=4))
    data["ticket"] = draw(VISIBLE_TEXT)
    return data


def encoded(data: dict[str, Any], style: str) -> bytes:
    """``data`` as a request file: JSON (non-BMP characters and lone surrogates as ``\\u`` escapes), block or
    flow YAML."""
    if style == "json":
        return json.dumps(data, ensure_ascii=True).encode("ascii")
    return yaml.safe_dump(data, allow_unicode=False, default_flow_style=style == "flow").encode("utf-8")


# -- driving a case ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The trunk every case is validated and rendered against (files only, no git)."""

    config: TrunkConfig
    state: TrunkState

    @classmethod
    def at(cls, root: Path) -> Target:
        return cls(load_config(root), read_state(root, load_config(root)))

    @classmethod
    def written(cls, root: Path) -> Target:
        """A trunk laid out as ``vending init`` does at ``root``, with a hub network to peer with in both
        environments (so that every seed is valid)."""
        hub = {"hubNetworkId": HUB_NETWORK}
        write_trunk_layout(root, {"environments": {"dev": hub, "prod": hub}})
        return cls.at(root)


HUB_NETWORK = (
    "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-hub"
    "/providers/Microsoft.Network/virtualNetworks/vnet-hub"
)


@dataclass
class Tally:
    """Outcomes over a run: counts by outcome and the crashes with the case that caused them."""

    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[tuple[Case, str]] = field(default_factory=list)

    def add(self, case: Case, outcome: str, detail: str = "") -> None:
        self.outcomes[outcome] += 1
        if outcome == "crash":
            self.crashes.append((case, detail))


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def drive(path: Path, target: Target, *, seconds: int = 10) -> tuple[str, str]:
    """Run one request file through load, validate, render and self-check: ``(outcome, detail)`` where the
    outcome is ``invalid``, ``rendered`` or ``crash`` (with the traceback or the broken property; a warning
    counts, as pytest makes it an error, and so does a case that takes more than ``seconds``)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return _drive(path, target)
    except _Hang:
        return "crash", f"hang: no outcome after {seconds} s"
    except VendingError as exc:
        if exc.exit_code == 2:
            return "invalid", exc.message
        return "crash", f"{type(exc).__name__} (exit {int(exc.exit_code)}): {exc.message} {exc.findings}"
    except Exception:
        return "crash", traceback.format_exc(limit=-6)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _drive(path: Path, target: Target) -> tuple[str, str]:
    source = str(path)
    loaded = load_request(path)
    checked = validate_batch([loaded], INTERFACE_VERSION, target.config, target.state)[0]
    if not checked.valid:
        strays = [f for f in checked.findings if f.file != source or not f.message]
        return ("crash", f"finding without the file: {strays}") if strays else ("invalid", "")
    request = checked.loaded.request
    assert request is not None
    rendered = render_checked((request, initial_deletion(request, target.config)), target.config, INTERFACE_VERSION)
    readback = path.with_name("readback.yaml")
    readback.write_text(rendered.files[f"{rendered.directory}/{REQUEST_FILE}"], encoding="utf-8")
    again = load_request(readback)
    workload = target.config.environments[request.environment].workload
    if again.request is None or again.request.normalized(workload) != request.normalized(workload):
        return "crash", f"rendered request.yaml does not load back as the request: {again.findings}"
    return "rendered", ""
