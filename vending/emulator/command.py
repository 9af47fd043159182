"""``vending emulator``: run the local Azure Resource Manager emulator over HTTPS."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import click

from vending.emulator.config import SELECTABLE_FAULTS, EmulatorConfig
from vending.emulator.defaults import default_state
from vending.emulator.server import Emulator, write_info_file
from vending.emulator.state import EmulatorState
from vending.emulator.statefile import StateFileError, load_state
from vending.reporting.guard import guard_json
from vending.reporting.host import detect_host


def _load(state_file: Path | None, seed: int | None) -> EmulatorState:
    if state_file is None:
        return default_state(seed)
    try:
        return load_state(state_file, seed)
    except StateFileError as error:
        raise click.BadParameter(str(error), param_hint="--state") from error


UNAUTHORIZED_AFTER = "unauthorized-after"


def parse_faults(values: tuple[str, ...]) -> tuple[tuple[tuple[str, float], ...], int | None]:
    """``--fault KIND[:RATE]`` values as ``(kind, rate)`` pairs (rate 1 by default), and the N of
    ``unauthorized-after:N``; ``click.BadParameter`` naming the bad value."""
    faults: dict[str, float] = {}
    unauthorized_after: int | None = None
    for value in values:
        kind, _, argument = value.partition(":")
        if kind == UNAUTHORIZED_AFTER:
            if not argument.isdigit():
                raise click.BadParameter(f"{value!r}: give {UNAUTHORIZED_AFTER}:N, N a count", param_hint="--fault")
            unauthorized_after = int(argument)
            continue
        if kind not in SELECTABLE_FAULTS:
            choices = ", ".join((*SELECTABLE_FAULTS, f"{UNAUTHORIZED_AFTER}:N"))
            raise click.BadParameter(f"{value!r}: unknown kind; one of {choices}", param_hint="--fault")
        faults[kind] = _rate(value, argument)
    return tuple(faults.items()), unauthorized_after


def _rate(value: str, argument: str) -> float:
    try:
        rate = float(argument) if argument else 1.0
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise click.BadParameter(f"{value!r}: the rate must be a number from 0 to 1", param_hint="--fault")
    return rate


@contextmanager
def _stop_on_signal() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT, handled from the start so that a caller who reads the
    info line and signals at once still gets a clean stop."""
    stop = threading.Event()

    def _handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.command("emulator")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--info-file", type=click.Path(path_type=Path, dir_okay=False), help="Receives endpoint + CA JSON.")
@click.option("--latency-ms", type=click.IntRange(0), default=0, show_default=True, help="Delay per response.")
@click.option("--throttle", is_flag=True, help="Enforce ARM's per-principal token buckets (429 + Retry-After).")
@click.option(
    "--state",
    "state_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON state file.",
)
@click.option(
    "--polling",
    type=click.Choice(["body", "location"]),
    default="body",
    show_default=True,
    help="Alias progress: re-read the alias, or follow a Location operation.",
)
@click.option("--polls", type=click.IntRange(0), default=2, show_default=True, help="Accepted reads per alias.")
@click.option("--retry-after", type=click.IntRange(0), default=1, show_default=True, help="Seconds, for LROs.")
@click.option("--page-size", type=click.IntRange(1), default=50, show_default=True, help="Items per list page.")
@click.option("--fail-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Injected faults.")
@click.option("--seed", type=int, default=None, help="Seed for ids and fault injection.")
@click.option("--token", default=None, help="Accept only this bearer token (default: any).")
@click.option("--ca-dir", type=click.Path(path_type=Path, file_okay=False), help="Keep ca.pem here.")
@click.option(
    "--fault",
    "fault_values",
    multiple=True,
    metavar="KIND[:RATE]",
    help="Inject a fault into this share of requests (default 1), repeatable: "
    + ", ".join(SELECTABLE_FAULTS)
    + f"; or {UNAUTHORIZED_AFTER}:N (401 after N requests). Replaces --fail-rate.",
)
@click.option(
    "--stall-seconds", type=click.FloatRange(0), default=600.0, show_default=True, help="How long a stall lasts."
)
def emulator(
    port: int,
    info_file: Path | None,
    latency_ms: int,
    throttle: bool,
    state_file: Path | None,
    polling: str,
    polls: int,
    retry_after: int,
    page_size: int,
    fail_rate: float,
    seed: int | None,
    token: str | None,
    ca_dir: Path | None,
    fault_values: tuple[str, ...],
    stall_seconds: float,
) -> None:
    """Run the local Azure Resource Manager emulator over https until SIGTERM or SIGINT."""
    faults, unauthorized_after = parse_faults(fault_values)
    config = EmulatorConfig(
        port=port,
        throttle=throttle,
        latency_ms=latency_ms,
        polling="location" if polling == "location" else "body",
        polls=polls,
        retry_after=retry_after,
        page_size=page_size,
        fail_rate=fail_rate,
        seed=seed,
        token=token,
        faults=faults,
        unauthorized_after=unauthorized_after,
        stall_seconds=stall_seconds,
    )
    running = Emulator(_load(state_file, seed), config, ca_dir.resolve() if ca_dir else None)
    try:
        running.start()
    except OSError as error:
        raise click.UsageError(f"cannot listen on port {port}: {error}") from error
    try:
        with _stop_on_signal() as stop:
            if info_file is not None:
                write_info_file(info_file, running.info())
            click.echo(guard_json(running.info(), detect_host(os.environ), indent=None))
            click.echo(f"emulator listening on {running.endpoint}; stop with Ctrl-C or SIGTERM", err=True)
            while not stop.wait(0.5):
                pass
    finally:
        running.stop()
        if info_file is not None:
            info_file.unlink(missing_ok=True)
