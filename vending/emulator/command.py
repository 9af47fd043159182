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

from vending.emulator.config import EmulatorConfig
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
) -> None:
    """Run the local Azure Resource Manager emulator over https until SIGTERM or SIGINT."""
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
