"""Text hygiene at load: surrogate pairs joined, lone halves refused, invisible characters refused by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from testing.cli import run_cli
from testing.requests import request_data, write_request
from testing.trunks import git, make_trunk

DEV_IDENTITY = "@example/platform-dev"
EMOJI = "\U0001f600"


def _json_request(directory: Path, data: dict[str, Any]) -> Path:
    """A request written by a JSON library: ``json.dumps`` writes non-BMP characters as surrogate pairs."""
    path = directory / f"{data['name']}.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "\\ud83d\\ude00" in path.read_text(encoding="utf-8")
    return path


def _rendered(directory: Path) -> Any:
    return yaml.safe_load((directory / "out" / "subscriptions" / "dev" / "app-dev" / "request.yaml").read_bytes())


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


def test_a_json_written_emoji_renders_and_submits(tmp_path: Path, remote: Path) -> None:
    """The crash: it passed validate, then render and submit failed with exit 1 writing the first file."""
    request = _json_request(tmp_path, request_data(displayName=f"App {EMOJI}", tags={"mood": EMOJI}))
    assert run_cli("validate", request).code == 0
    rendered = run_cli("render", request, "--trunk", remote, "--out", tmp_path / "out")
    assert rendered.code == 0, rendered.stderr
    assert _rendered(tmp_path)["displayName"] == f"App {EMOJI}"
    submitted = run_cli("submit", request, "--trunk", remote, "--as", DEV_IDENTITY, "--skip-azure-checks")
    assert submitted.code == 0, submitted.stderr
    assert yaml.safe_load(git(remote, "show", "main:subscriptions/dev/app-dev/request.yaml"))["tags"] == {"mood": EMOJI}


def test_yaml_double_quoted_surrogate_pair_is_one_character(tmp_path: Path, remote: Path) -> None:
    request = write_request(tmp_path, request_data())
    text = request.read_text(encoding="utf-8")
    request.write_text(text.replace("displayName: App team (dev)", 'displayName: "App \\ud83d\\ude00"'), "utf-8")
    result = run_cli("--output", "json", "render", request, "--out", tmp_path / "out", "--trunk", remote)
    assert result.code == 0, result.stdout
    assert _rendered(tmp_path)["displayName"] == f"App {EMOJI}"


@pytest.mark.parametrize("command", ["validate", "render", "submit"])
def test_a_lone_surrogate_is_refused_naming_the_field(tmp_path: Path, remote: Path, command: str) -> None:
    request = _json_request(tmp_path, request_data(displayName=f"App {EMOJI}", ticket="CHG-\ud83d"))
    before = git(remote, "rev-parse", "main")
    args: dict[str, list[Any]] = {
        "validate": [],
        "render": ["--trunk", remote, "--out", tmp_path / "out"],
        "submit": ["--trunk", remote, "--as", DEV_IDENTITY, "--skip-azure-checks"],
    }
    result = run_cli(command, request, *args[command])
    assert result.code == 2, result.stderr
    assert "ticket: holds U+D83D (half of a UTF-16 surrogate pair) without its other half" in result.stderr
    assert not (tmp_path / "out").exists()
    assert git(remote, "rev-parse", "main") == before


INVISIBLE = {
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
    "\u200f": "U+200F RIGHT-TO-LEFT MARK",
    "\u061c": "U+061C ARABIC LETTER MARK",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u200d": "U+200D ZERO WIDTH JOINER",
    "\u2060": "U+2060 WORD JOINER",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
}


def _refused(tmp_path: Path, remote: Path, data: dict[str, Any]) -> str:
    request = write_request(tmp_path, data)
    result = run_cli("render", request, "--trunk", remote, "--out", tmp_path / "out")
    assert result.code == 2, result.stderr
    assert not (tmp_path / "out").exists()
    return result.stderr


@pytest.mark.parametrize(("char", "named"), sorted(INVISIBLE.items()))
def test_invisible_characters_are_refused_in_display_names_and_tag_names(
    tmp_path: Path, remote: Path, char: str, named: str
) -> None:
    shown = _refused(tmp_path, remote, request_data(displayName=f"Pay{char}ments", tags={f"co{char}st": "1"}))
    assert f"displayName: must not contain {named}" in shown
    assert f"tags: tag name 'co\\u{ord(char):04x}st' must not contain {named}" in shown


@pytest.mark.parametrize(
    ("char", "named"), [("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x00", "U+0000 NULL"), ("\u2028", "U+2028")]
)
def test_control_characters_are_refused_in_tag_values(tmp_path: Path, remote: Path, char: str, named: str) -> None:
    shown = _refused(tmp_path, remote, request_data(tags={"team": f"a{char}b"}))
    assert "tags: value of tag 'team' must not contain control characters (found " + named in shown


def test_bidi_characters_tabs_and_line_breaks_stay_allowed_in_tag_values(tmp_path: Path) -> None:
    """Tag values are data Azure stores as given; only control characters that no writer shows are refused."""
    request = write_request(
        tmp_path, request_data(tags={"team": "\u05e9\u05dc\u05d5\u05dd \u200f", "note": "a\tb\r\nc"})
    )
    assert run_cli("validate", request).code == 0
