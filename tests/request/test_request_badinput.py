"""Bad request files through ``vending validate``: exit 2, a message naming file, field and line, nothing written."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from request_support import Sandbox
from testing.cli import Result
from testing.requests import DROP, EA_SCOPE, request_data

from vending.request import yamlio

CYRILLIC_A = "\u0430"


def line_of(path: Path, key: str) -> int:
    """The 1-based line where ``key:`` first starts a line (after indentation or a list dash)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip(" -").startswith(f"{key}:"):
            return number
    raise AssertionError(f"{key} not in {path}")


def validate(sandbox: Sandbox, *paths: Path, trunk: bool = True) -> Result:
    args: list[str | Path] = ["validate", *paths]
    if trunk:
        args += ["--trunk", sandbox.trunk]
    return sandbox.cli(*args)


def expect_invalid(sandbox: Sandbox, path: Path, field: str, line: int | None, *words: str) -> str:
    """Run validate on ``path`` and check exit 2, the message, and that nothing was written."""
    before = sandbox.snapshot()
    result = validate(sandbox, path)
    assert result.code == 2, result
    where = f"{path}:{line}" if line is not None else f"{path}"
    prefix = f"{where}: {field}: " if field else f"{where}: "
    lines = [text for text in result.stderr.splitlines() if text.startswith(prefix)]
    assert lines, f"no line starting with {prefix!r} in:\n{result.stderr}"
    for word in words:
        assert any(word in text for text in lines), f"{word!r} not in {lines}"
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    sandbox.assert_untouched(before)
    return "\n".join(lines)


# ---- files that are not one YAML mapping ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "word"),
    [
        ("name: [unclosed\ndisplayName: x\n", 2, "invalid YAML"),
        ("name: app-dev\n  displayName: x\n", 2, "invalid YAML"),
        ("name: 'open\n", 2, "invalid YAML"),
        ("name: app-dev\n\tdisplayName: x\n", 2, "invalid YAML"),
        ("name: *nowhere\n", 1, "undefined alias"),
        ("a: !!int x\n", None, "cannot be read"),
        ("a: 2024-02-30\n", None, "cannot be read"),
    ],
)
def test_malformed_yaml(sandbox: Sandbox, text: str, line: int | None, word: str) -> None:
    path = sandbox.write_text("broken.yaml", text)
    expect_invalid(sandbox, path, "", line, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("name: a\n---\nname: b\n", "exactly one YAML document, found 2"),
        ("---\nname: a\n---\n---\n", "exactly one YAML document, found 3"),
        ("- name: app-dev\n", "but it is a list"),
        ("just a string\n", "but it is a scalar"),
        ("42\n", "but it is a scalar"),
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("---\n...\n", "but it is empty"),
    ],
)
def test_not_one_mapping(sandbox: Sandbox, text: str, word: str) -> None:
    path = sandbox.write_text("shape.yaml", text)
    expect_invalid(sandbox, path, "", None, word)


def _laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_within_bounds(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    converted = 0
    original = yamlio._Converter.convert

    def counting(self: Any, node: Any, path: Any) -> Any:
        nonlocal converted
        converted += 1
        return original(self, node, path)

    monkeypatch.setattr(yamlio._Converter, "convert", counting)
    path = sandbox.write_text("bomb.yaml", _laughs(10))
    tracemalloc.start()
    try:
        message = expect_invalid(sandbox, path, "", None, f"more than {yamlio.MAX_NODES} values")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "aliases" in message
    assert converted <= yamlio.MAX_NODES + 100, "the alias graph was expanded past the bound"
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", 1),
        ("a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n", 1),
        ("".join(" " * depth + "k:\n" for depth in range(200)), yamlio.MAX_DEPTH),
    ],
)
def test_deep_nesting_is_bounded(sandbox: Sandbox, text: str, line: int) -> None:
    path = sandbox.write_text("deep.yaml", text)
    expect_invalid(sandbox, path, "", line, f"nested more than {yamlio.MAX_DEPTH} levels")


def test_many_values_stop_early(sandbox: Sandbox) -> None:
    text = "a: [" + "{b: 1}, " * (yamlio.MAX_NODES * 2) + "]\n"
    assert len(text.encode()) < yamlio.MAX_FILE_BYTES
    path = sandbox.write_text("wide.yaml", text)
    expect_invalid(sandbox, path, "", 1, f"more than {yamlio.MAX_NODES} values")


def test_file_over_one_mebibyte(sandbox: Sandbox) -> None:
    body = yaml.safe_dump(request_data(), sort_keys=False)
    padding = "#" * (yamlio.MAX_FILE_BYTES + 1 - len(body) - 1) + "\n"
    path = sandbox.write_text("app-dev.yaml", body + padding)
    assert path.stat().st_size == yamlio.MAX_FILE_BYTES + 1
    expect_invalid(sandbox, path, "", None, "larger than 1024 KiB")


def test_file_of_exactly_one_mebibyte_is_read(sandbox: Sandbox) -> None:
    body = yaml.safe_dump(request_data(), sort_keys=False)
    path = sandbox.write_text("app-dev.yaml", body + "#" * (yamlio.MAX_FILE_BYTES - len(body) - 1) + "\n")
    assert path.stat().st_size == yamlio.MAX_FILE_BYTES
    assert validate(sandbox, path).code == 0


@pytest.mark.parametrize(
    "raw",
    [
        "displayName: caf\u00e9\n".encode("latin-1"),
        "displayName: x\n".encode("utf-16"),
        b"name: \xff\xfe\n",
    ],
)
def test_not_utf8(sandbox: Sandbox, raw: bytes) -> None:
    path = sandbox.write_text("latin.yaml", raw)
    expect_invalid(sandbox, path, "", None, "not valid UTF-8", "save the file as UTF-8")


def test_utf8_bom_is_accepted(sandbox: Sandbox) -> None:
    body = yaml.safe_dump(request_data(), sort_keys=False, allow_unicode=True)
    path = sandbox.write_text("app-dev.yaml", b"\xef\xbb\xbf" + body.encode())
    assert validate(sandbox, path).code == 0


def test_duplicate_keys(sandbox: Sandbox) -> None:
    text = yaml.safe_dump(request_data(), sort_keys=False) + "name: other-app\n"
    path = sandbox.write_text("app-dev.yaml", text)
    expect_invalid(sandbox, path, "", len(text.splitlines()), "duplicate key", "name")


def test_duplicate_nested_keys(sandbox: Sandbox) -> None:
    text = yaml.safe_dump(request_data(), sort_keys=False) + "tags:\n  a: x\n  a: y\n"
    path = sandbox.write_text("app-dev.yaml", text)
    expect_invalid(sandbox, path, "", len(text.splitlines()), "duplicate key")


@pytest.mark.parametrize("text", ["1: x\n", "? [a, b]\n: x\n", "~: x\n", "true: x\n"])
def test_non_string_keys(sandbox: Sandbox, text: str) -> None:
    path = sandbox.write_text("keys.yaml", text)
    expect_invalid(sandbox, path, "", 1, "keys must be strings")


# ---- fields ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "hint"), [("displayname", "displayName"), ("tagz", "tags"), ("managementgroup", "managementGroup")]
)
def test_unknown_key_hint(sandbox: Sandbox, key: str, hint: str) -> None:
    path = sandbox.write(request_data(**{key: "x"}))
    expect_invalid(sandbox, path, key, line_of(path, key), f"unknown key {key!r}", f"did you mean {hint!r}?")


@pytest.mark.parametrize(
    ("changes", "field", "key", "word"),
    [
        (
            {
                "budget": {
                    "amount": "lots",
                    "timeGrain": "Monthly",
                    "thresholds": [50],
                    "contactEmails": ["a@contoso.com"],
                }
            },
            "budget.amount",
            "amount",
            "valid number, got str 'lots'",
        ),
        ({"owners": "x"}, "owners", "owners", "valid list, got str 'x'"),
        (
            {"network": {"addressSpace": ["10.1.0.0/24"], "hubPeering": "yes"}},
            "network.hubPeering",
            "hubPeering",
            "valid boolean, got str 'yes'",
        ),
        ({"interfaceVersion": 0.1}, "interfaceVersion", "interfaceVersion", "valid string"),
        ({"tags": ["a"]}, "tags", "tags", "valid dictionary"),
    ],
)
def test_wrong_types(sandbox: Sandbox, changes: dict[str, Any], field: str, key: str, word: str) -> None:
    path = sandbox.write(request_data(**changes), "app-dev.yaml")
    expect_invalid(sandbox, path, field, line_of(path, key), word)


@pytest.mark.parametrize(
    "name", ["app..dev", "app/dev", "../etc", "App-dev", f"{CYRILLIC_A}pp-dev", "-app-dev", "a" * 51, "app-dev\u200b"]
)
def test_bad_names(sandbox: Sandbox, name: str) -> None:
    path = sandbox.write(request_data(name=name), "request.yaml")
    expect_invalid(sandbox, path, "name", line_of(path, "name"), "3-50 characters", repr(name))


@pytest.mark.parametrize(("value", "word"), [("a<b", "<"), ("a|b", "|"), ("two\nlines", "control"), ("x" * 65, "1-64")])
def test_bad_display_names(sandbox: Sandbox, value: str, word: str) -> None:
    path = sandbox.write(request_data(displayName=value))
    expect_invalid(sandbox, path, "displayName", line_of(path, "displayName"), word)


@pytest.mark.parametrize(
    ("scope", "word"),
    [
        (EA_SCOPE + "/", "remove the trailing '/'"),
        (EA_SCOPE.replace("Microsoft.Billing", "microsoft.billing"), "must start with"),
        ("/providers/Microsoft.Billing/billingAccounts/1234567", "enrollmentAccounts"),
    ],
)
def test_bad_billing_scopes(sandbox: Sandbox, scope: str, word: str) -> None:
    path = sandbox.write(request_data(billingScope=scope))
    expect_invalid(sandbox, path, "billingScope", line_of(path, "billingScope"), word)


def test_public_cidr(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data(network={"addressSpace": ["10.1.0.0/24", "8.8.8.0/24"]}))
    line = line_of(path, "addressSpace") + 2
    expect_invalid(sandbox, path, "network.addressSpace[1]", line, "8.8.8.0/24 is not in a private range")


def test_overlap_within_request(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data(network={"addressSpace": ["10.1.0.0/16", "10.1.7.0/24"]}))
    expect_invalid(
        sandbox, path, "network.addressSpace", line_of(path, "addressSpace"), "10.1.0.0/16 and 10.1.7.0/24 overlap"
    )


def test_missing_file(sandbox: Sandbox) -> None:
    before = sandbox.snapshot()
    missing = sandbox.requests / "nope.yaml"
    result = validate(sandbox, missing)
    assert result.code == 2
    assert f"{missing}: file not found" in result.stderr
    sandbox.assert_untouched(before)


def test_directory_instead_of_file(sandbox: Sandbox) -> None:
    folder = sandbox.requests / "folder.yaml"
    folder.mkdir()
    result = validate(sandbox, folder)
    assert result.code == 2
    assert str(folder) in result.stderr


# ---- interface version -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["0.1", "latest", "v0.1.0", "0.1.0.0", ""])
def test_interface_version_not_semver(sandbox: Sandbox, version: str) -> None:
    path = sandbox.write(request_data(interfaceVersion=version))
    expect_invalid(
        sandbox, path, "interfaceVersion", line_of(path, "interfaceVersion"), "not a semantic version", "0.1.0"
    )


@pytest.mark.parametrize(
    ("version", "advice"),
    [("0.2.0", "pin a pipeline template"), ("1.0.0", "pin a pipeline template"), ("0.0.9", "migrate the request")],
)
def test_interface_version_incompatible(sandbox: Sandbox, version: str, advice: str) -> None:
    path = sandbox.write(request_data(interfaceVersion=version))
    expect_invalid(sandbox, path, "interfaceVersion", 1, f"interface {version}", "0.1.0", advice)


@pytest.mark.parametrize("version", ["0.1.0", "0.1.7", "0.1.0-rc.1+build.5"])
def test_interface_version_compatible(sandbox: Sandbox, version: str) -> None:
    path = sandbox.write(request_data(interfaceVersion=version))
    assert validate(sandbox, path).code == 0


def test_interface_version_reported_with_schema_errors(sandbox: Sandbox) -> None:
    """A request for a newer interface gets the version finding, which explains its unknown keys."""
    path = sandbox.write(request_data(interfaceVersion="0.2.0", costCenter="4711"))
    result = validate(sandbox, path)
    assert result.code == 2
    assert f"{path}:1: interfaceVersion: request is written for interface 0.2.0" in result.stderr
    assert "unknown key 'costCenter'" in result.stderr


# ---- file name and name ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["app-dev.yaml", "request.yaml", "app-dev.yml"])
def test_file_names_without_warning(sandbox: Sandbox, filename: str) -> None:
    path = sandbox.write(request_data(), filename)
    result = validate(sandbox, path)
    assert result.code == 0
    assert "warning" not in result.stderr
    assert result.stdout == f"{path}: ok (app-dev)\n"


def test_file_name_differs_from_name_is_a_warning(sandbox: Sandbox) -> None:
    before = sandbox.snapshot()
    path = sandbox.write(request_data(), "my-app.yaml")
    before = (before[0], before[1] | {"my-app.yaml"})
    result = validate(sandbox, path)
    assert result.code == 0
    assert f"warning: {path}:{line_of(path, 'name')}: name: file is named 'my-app.yaml'" in result.stderr
    assert "name it app-dev.yaml" in result.stderr
    sandbox.assert_untouched(before)


def test_without_trunk_policy_is_not_checked(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data(environment="qa", budget=DROP))
    assert validate(sandbox, path, trunk=False).code == 0
    assert validate(sandbox, path).code == 2
