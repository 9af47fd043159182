"""``vending codeowners lint`` and ``which`` through the CLI's entry point, against real files and git trunks."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from vending.cli.main import main
from vending.codeowners import render_codeowners

BAD = "* @ok\n!vendor/ @a\n* alice # comment\n"


@dataclass(frozen=True)
class _Result:
    exit_code: int
    stdout: str
    stderr: str


def _run(*args: str) -> _Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return _Result(code, out.getvalue(), err.getvalue())


# ---- lint -------------------------------------------------------------------------------


def test_lint_clean(tmp_path: Path) -> None:
    file = tmp_path / "CODEOWNERS"
    file.write_text(render_codeowners(["@org/admins"], [("subscriptions/dev", ["@org/dev"])], "x"))
    result = _run("codeowners", "lint", str(file))
    assert result.exit_code == 0
    assert result.stdout == f"{file}: ok\n"
    assert result.stderr == ""


def test_lint_findings_text(tmp_path: Path) -> None:
    file = tmp_path / "CODEOWNERS"
    file.write_text(BAD)
    result = _run("codeowners", "lint", str(file))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{file}:2: '!' negation is not supported by GitHub; list the owned paths instead",
        f"{file}:3: 'alice' is not an owner: use @user, @org/team or an email address",
    ]


@pytest.mark.parametrize("after_command", [False, True])
def test_lint_findings_json(tmp_path: Path, after_command: bool) -> None:
    file = tmp_path / "CODEOWNERS"
    file.write_text(BAD)
    args = ["codeowners", "lint", str(file)]
    result = _run(*args, "--output", "json") if after_command else _run("--output", "json", *args)
    assert result.exit_code == 2
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["field"], f["line"]) for f in findings] == [
        (str(file), "line 2", 2),
        (str(file), "line 3", 3),
    ]


def test_lint_clean_json(tmp_path: Path) -> None:
    file = tmp_path / "CODEOWNERS"
    file.write_text("* @a\n")
    result = _run("--output", "json", "codeowners", "lint", str(file))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"findings": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"* @a\n\xff\xfe @b\n", "not UTF-8 text (invalid byte at offset 5)"),
    ],
)
def test_lint_unreadable(tmp_path: Path, content: bytes | None, message: str) -> None:
    file = tmp_path / "CODEOWNERS"
    if content is not None:
        file.write_bytes(content)
    result = _run("codeowners", "lint", str(file))
    assert result.exit_code == 2
    assert result.stderr == f"{file}: {message}\n"
    json_result = _run("--output", "json", "codeowners", "lint", str(file))
    assert json_result.exit_code == 2
    assert json.loads(json_result.stdout)["findings"][0]["message"] == message


def test_lint_directory_is_usage_error(tmp_path: Path) -> None:
    result = _run("codeowners", "lint", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


# ---- which ------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True)


def _make_trunk(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    _git(path, "init", "--quiet", "--initial-branch", "main")
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    _git(path, "add", "--all")
    _git(path, "commit", "--quiet", "--message", "trunk")
    return path


@pytest.fixture
def trunk(tmp_path: Path) -> Path:
    text = render_codeowners(
        ["@example/platform-admins"],
        [
            ("subscriptions/dev", ["@example/platform-dev"]),
            ("subscriptions/prod", ["@example/platform-prod"]),
        ],
        "generated",
    )
    files = {"CODEOWNERS": text + "/subscriptions/dev/orphan/\n", "vending.yaml": "environments: {}\n"}
    return _make_trunk(tmp_path / "trunk", files)


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        ("subscriptions/dev/x/main.tf", "@example/platform-dev"),
        ("./subscriptions/prod/y/main.tf", "@example/platform-prod"),
        ("vending.yaml", "@example/platform-admins"),
        ("CODEOWNERS", "@example/platform-admins"),
        ("README.md", "@example/platform-admins"),
    ],
)
def test_which(trunk: Path, path: str, owners: str) -> None:
    result = _run("codeowners", "which", path, "--trunk", str(trunk))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == owners + "\n"


def test_which_unowned_prints_nothing(trunk: Path) -> None:
    result = _run("codeowners", "which", "subscriptions/dev/orphan/main.tf", "--trunk", str(trunk))
    assert result.exit_code == 0
    assert result.stdout == ""


def test_which_json(trunk: Path) -> None:
    args = ("codeowners", "which", "subscriptions/dev/x/main.tf", "--trunk", str(trunk))
    result = _run("--output", "json", *args)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "path": "subscriptions/dev/x/main.tf",
        "owners": ["@example/platform-dev"],
    }


def test_which_absolute_path_inside_local_trunk(trunk: Path) -> None:
    inside = trunk / "subscriptions" / "dev" / "x" / "main.tf"
    result = _run("codeowners", "which", str(inside), "--trunk", str(trunk))
    assert result.exit_code == 0
    assert result.stdout == "@example/platform-dev\n"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.txt", "'..' is not allowed"),
        ("subscriptions/../../etc/passwd", "'..' is not allowed"),
        ("/etc/passwd", "absolute path outside the trunk"),
        (".", "give a file path relative to the repository root"),
    ],
)
def test_which_rejects_paths_outside_the_repo(trunk: Path, path: str, message: str) -> None:
    result = _run("codeowners", "which", path, "--trunk", str(trunk))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_which_reads_the_given_branch(tmp_path: Path) -> None:
    trunk = _make_trunk(tmp_path / "trunk", {".github/CODEOWNERS": "* @main-owner\n"})
    _git(trunk, "checkout", "--quiet", "-b", "other")
    (trunk / ".github" / "CODEOWNERS").write_text("* @other-owner\n")
    _git(trunk, "commit", "--quiet", "--all", "--message", "other")
    main = _run("codeowners", "which", "a.txt", "--trunk", str(trunk))
    other = _run("codeowners", "which", "a.txt", "--trunk", str(trunk), "--branch", "other")
    assert (main.stdout, other.stdout) == ("@main-owner\n", "@other-owner\n")


def test_which_without_codeowners(tmp_path: Path) -> None:
    trunk = _make_trunk(tmp_path / "trunk", {"README.md": "hi\n"})
    result = _run("codeowners", "which", "README.md", "--trunk", str(trunk))
    assert result.exit_code == 2
    assert "no CODEOWNERS file" in result.stderr


def test_which_unreachable_trunk(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = _run("codeowners", "which", "README.md", "--trunk", str(missing))
    assert result.exit_code == 5
    assert result.stderr.startswith(f"{missing}: cannot clone branch 'main'")


def test_exit_code_is_returned_by_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "CODEOWNERS"
    file.write_text(BAD)
    code = main(["codeowners", "lint", str(file)])
    assert code == 2
    assert f"{file}:2: '!' negation" in capsys.readouterr().err
