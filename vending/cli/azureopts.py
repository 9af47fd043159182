"""The Azure connection options shared by ``validate`` and ``submit``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from vending.azure.run import AzureRunner
    from vending.errors import Finding
    from vending.request.model import Request

F = TypeVar("F", bound=Callable[..., Any])
TIMEOUT_KEY = "vending.azure_timeout"
DEFAULT_TIMEOUT = 300.0


def _keep_timeout(ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
    """Kept in the context for ``azure_runner``: the commands' signatures stay as they are."""
    ctx.meta[TIMEOUT_KEY] = DEFAULT_TIMEOUT if value is None else value


def azure_options(function: F) -> F:
    function = click.option(
        "--azure-timeout",
        envvar="VENDING_AZURE_TIMEOUT",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        expose_value=False,
        callback=_keep_timeout,
        help="Give up the Azure checks after this many seconds, exit 3 (env VENDING_AZURE_TIMEOUT).",
    )(function)
    function = click.option(
        "--ca-bundle",
        envvar="VENDING_ARM_CA_BUNDLE",
        metavar="PATH",
        help="CA bundle for the ARM endpoint (env VENDING_ARM_CA_BUNDLE).",
    )(function)
    function = click.option(
        "--arm-endpoint",
        envvar="VENDING_ARM_ENDPOINT",
        metavar="URL",
        help="Azure Resource Manager endpoint (env VENDING_ARM_ENDPOINT; default https://management.azure.com).",
    )(function)
    return function


def azure_runner(arm_endpoint: str | None, ca_bundle: str | None, env: Mapping[str, str]) -> AzureRunner:
    """The Azure pre-flight checks, bound to the connection settings; imported only when used."""
    from vending.azure import settings_from_env
    from vending.azure.run import findings_in_order, run_azure_checks

    ctx = click.get_current_context(silent=True)
    timeout = DEFAULT_TIMEOUT if ctx is None else ctx.meta.get(TIMEOUT_KEY, DEFAULT_TIMEOUT)
    settings = settings_from_env(env, arm_endpoint, ca_bundle, timeout)

    def run(items: Sequence[tuple[str, Request]], in_trunk: Collection[str] = ()) -> list[tuple[Finding, ...]]:
        return findings_in_order(run_azure_checks(items, settings, in_trunk))

    return run
