"""tools/engines/build: real engines from the Go module proxy, cached, announced as KEY=VALUE lines.

The first run on a machine builds OpenTofu and the providers from source (many minutes); later runs reuse
the cache (VENDING_ENGINES_CACHE or the per-user default). Skipped when `go` is missing, unless
VENDING_REQUIRE_TOOLS=1, in which case that fails. When the module proxy refuses a module (exit 3), the tools
that did build are still checked, and the checks of the complete set skip naming what the proxy refused: a
refusal is the registry's answer, not a tool missing from the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "tools" / "engines" / "build"
REQUIRED_KEYS = {
    "VENDING_TOFU",
    "TF_CLI_CONFIG_FILE",
    "VENDING_KUBECONFORM",
    "VENDING_ACTIONLINT",
    "VENDING_ENGINES_BIN",
    "VENDING_TOFU_VERSION",
    "VENDING_AZAPI_VERSION",
    "VENDING_TIME_VERSION",
    "VENDING_KUBECONFORM_VERSION",
    "VENDING_ACTIONLINT_VERSION",
}
BUILD_TIMEOUT = 3 * 3600  # a first build downloads ~1 GiB of modules and compiles OpenTofu and azapi


def _skip_or_fail(message: str) -> None:
    if os.environ.get("VENDING_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _run_build() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BUILD)], capture_output=True, text=True, timeout=BUILD_TIMEOUT, stdin=subprocess.DEVNULL, check=False
    )


def _parse(stdout: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in stdout.splitlines():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", line), f"stdout line is not KEY=VALUE: {line!r}"
        key, _, value = line.partition("=")
        values[key] = value
    return values


@pytest.fixture(scope="module")
def runs() -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    if shutil.which("go") is None:
        _skip_or_fail("go is not installed: the engines are built from source with the Go toolchain")
    first = _run_build()
    assert first.returncode in (0, 3), f"build failed ({first.returncode}):\n{first.stderr[-6000:]}"
    second = _run_build()
    assert second.returncode == first.returncode, f"second build: {second.returncode}:\n{second.stderr[-6000:]}"
    return first, second


@pytest.fixture(scope="module")
def built(runs: tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]) -> dict[str, str]:
    """What the build printed, complete or not."""
    return _parse(runs[0].stdout)


@pytest.fixture(scope="module")
def env(built: dict[str, str]) -> dict[str, str]:
    """The complete set; skips (even in CI) when the module proxy refused part of it, naming the part."""
    refused = built.get("VENDING_ENGINES_REFUSED")
    if refused:
        pytest.skip(f"the Go module proxy refuses {refused}: the complete engine set cannot be built here")
    return built


def test_tools_that_built_answer_even_when_a_module_is_refused(built: dict[str, str]) -> None:
    assert _version_line(built["VENDING_TOFU"], "version") == f"OpenTofu v{built['VENDING_TOFU_VERSION']}"
    assert _version_line(built["VENDING_KUBECONFORM"], "-v").startswith("v")
    assert _version_line(built["VENDING_ACTIONLINT"], "-version").startswith("v")
    if built.get("VENDING_ENGINES_REFUSED"):
        assert "TF_CLI_CONFIG_FILE" not in built, "a partial set must not offer a provider config"


def test_a_second_run_rebuilds_nothing(
    runs: tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]],
) -> None:
    first, second = runs
    assert second.stdout == first.stdout
    assert re.search(r"^engines: built 0, cached \d+", second.stderr, re.MULTILINE), second.stderr
    assert "engines: building:" not in second.stderr


def _version_line(*argv: str) -> str:
    # A TF_CLI_CONFIG_FILE naming a missing file makes tofu print a warning before its version.
    quiet = {k: v for k, v in os.environ.items() if k not in ("TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG")}
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=True, env=quiet)
    return done.stdout.splitlines()[0].strip()


def test_stdout_has_the_keys_and_absolute_paths(env: dict[str, str]) -> None:
    missing = REQUIRED_KEYS - env.keys()
    assert not missing, missing
    for key in (
        "VENDING_TOFU",
        "TF_CLI_CONFIG_FILE",
        "VENDING_KUBECONFORM",
        "VENDING_ACTIONLINT",
        "VENDING_ENGINES_BIN",
    ):
        assert Path(env[key]).is_absolute(), key
        assert Path(env[key]).exists(), key


def test_engines_answer_with_their_versions(env: dict[str, str]) -> None:
    bin_dir = Path(env["VENDING_ENGINES_BIN"])
    for key, name in (
        ("VENDING_TOFU", "tofu"),
        ("VENDING_KUBECONFORM", "kubeconform"),
        ("VENDING_ACTIONLINT", "actionlint"),
    ):
        path = Path(env[key])
        assert os.access(path, os.X_OK), key
        assert (bin_dir / name).samefile(path), f"{name} is not in VENDING_ENGINES_BIN"
    assert _version_line(env["VENDING_TOFU"], "version") == f"OpenTofu v{env['VENDING_TOFU_VERSION']}"
    assert _version_line(env["VENDING_KUBECONFORM"], "-v") == f"v{env['VENDING_KUBECONFORM_VERSION']}"
    assert _version_line(env["VENDING_ACTIONLINT"], "-version") == f"v{env['VENDING_ACTIONLINT_VERSION']}"


def test_cli_config_uses_only_the_mirror_with_both_providers(env: dict[str, str]) -> None:
    text = Path(env["TF_CLI_CONFIG_FILE"]).read_text()
    assert "filesystem_mirror" in text
    assert "direct" not in text
    match = re.search(r'path\s*=\s*"([^"]+)"', text)
    assert match, text
    mirror = Path(match.group(1))
    platform = Path(env["VENDING_TOFU"]).parent.parent.name.rsplit(".", 1)[-1]
    for rel in (
        f"registry.opentofu.org/azure/azapi/{env['VENDING_AZAPI_VERSION']}/{platform}"
        f"/terraform-provider-azapi_v{env['VENDING_AZAPI_VERSION']}",
        f"registry.opentofu.org/hashicorp/time/{env['VENDING_TIME_VERSION']}/{platform}"
        f"/terraform-provider-time_v{env['VENDING_TIME_VERSION']}",
    ):
        provider = mirror / rel
        assert provider.is_file(), rel
        assert os.access(provider, os.X_OK), rel


def test_second_run_of_the_complete_set_caches_all_five(
    env: dict[str, str], runs: tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]
) -> None:
    assert runs[1].stderr.count("engines: cached:") == 5


def test_tofu_init_uses_the_mirror_offline(env: dict[str, str], tmp_path: Path) -> None:
    module = tmp_path / "subscription"
    shutil.copytree(REPO / "modules" / "subscription", module)
    run_env = {**os.environ, "TF_CLI_CONFIG_FILE": env["TF_CLI_CONFIG_FILE"], "TF_IN_AUTOMATION": "1"}
    run_env.pop("TF_PLUGIN_CACHE_DIR", None)
    done = subprocess.run(
        [env["VENDING_TOFU"], "init", "-input=false", "-backend=false", "-no-color"],
        cwd=module,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lock = (module / ".terraform.lock.hcl").read_text()
    assert f'version     = "{env["VENDING_AZAPI_VERSION"]}"' in lock
    assert f'version     = "{env["VENDING_TIME_VERSION"]}"' in lock
