"""Serve the emulator over HTTPS: a threaded server, a background runner and ``run_emulator``."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import ssl
import struct
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from vending.emulator.app import LOG, Application
from vending.emulator.config import EmulatorConfig
from vending.emulator.defaults import default_state
from vending.emulator.protocol import ApiResponse
from vending.emulator.state import EmulatorState
from vending.emulator.stats import Stats
from vending.emulator.tls import create_server_tls

HANDSHAKE_TIMEOUT = 10.0
IDLE_TIMEOUT = 60.0


class _HttpsServer(ThreadingHTTPServer):
    """Accepts plain sockets and does each TLS handshake in the connection's own thread."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], app: Application, tls: ssl.SSLContext) -> None:
        self.app = app
        self.tls = tls
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(HANDSHAKE_TIMEOUT)
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            connection = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        connection.settimeout(IDLE_TIMEOUT)
        with self.connections_lock:
            self.open_connections.add(connection)
        try:
            _Handler(connection, client_address, self)
        except (ssl.SSLError, OSError):
            pass
        finally:
            with self.connections_lock:
                self.open_connections.discard(connection)
            connection.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        LOG.debug("connection from %s failed", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Wake every idle keep-alive connection so its thread ends."""
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpsServer

    def do_GET(self) -> None:
        self._serve()

    do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        headers = dict(self.headers.items())
        response = self.server.app.respond(self.command, self.path, _Caseless(headers), raw)
        if response is None:
            self._reset()
            return
        self._send(response)

    def _send(self, response: ApiResponse) -> None:
        payload = response.raw if response.raw is not None else _json_payload(response.body)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if payload and "Content-Type" not in response.headers:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _reset(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug("%s - %s", self.address_string(), format % args)


def _json_payload(body: Any) -> bytes:
    return b"" if body is None else json.dumps(body).encode("utf-8")


class _Caseless(dict[str, str]):
    """Header lookup that ignores case, as HTTP does."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__({key.lower(): value for key, value in headers.items()})

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


class Emulator:
    """A running emulator: ``endpoint``, ``ca_bundle``, ``state``, ``stats``; stop with ``stop()``."""

    def __init__(
        self,
        state: EmulatorState | None = None,
        config: EmulatorConfig | None = None,
        workdir: Path | None = None,
    ) -> None:
        self.config = config or EmulatorConfig()
        self.state = state or default_state(seed=self.config.seed)
        self.stats = Stats()
        self._owned_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="vending-emulator-"))
        self.app = Application(self.state, self.config, self.stats)
        self._server: _HttpsServer | None = None
        self._thread: threading.Thread | None = None
        self.endpoint = ""
        self.ca_bundle = Path()

    def start(self) -> Emulator:
        tls = create_server_tls(self.workdir)
        self.ca_bundle = tls.ca_bundle
        server = _HttpsServer((self.config.host, self.config.port), self.app, tls.context)
        host, port = server.server_address[:2]
        self.endpoint = f"https://{host!s}:{port}"
        self.app.endpoint = self.endpoint
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="vending-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        self.app.stopping.set()
        server.shutdown()
        thread.join()
        server.close_connections()
        server.server_close()
        if self._owned_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def info(self) -> dict[str, str]:
        """The info-file document: ``{"endpoint", "ca_bundle"}``."""
        return {"endpoint": self.endpoint, "ca_bundle": str(self.ca_bundle)}

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


@contextlib.contextmanager
def run_emulator(
    state: EmulatorState | None = None, workdir: Path | None = None, **settings: Any
) -> Iterator[Emulator]:
    """Run an emulator in a background thread for the ``with`` block.

    ``settings`` are ``EmulatorConfig`` fields (``throttle``, ``latency_ms``, ``polling``, ``polls``,
    ``retry_after``, ``page_size``, ``fail_rate``, ``seed``, ``token``, ``limits`` ...).
    """
    emulator = Emulator(state, EmulatorConfig(**settings), workdir)
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def write_info_file(path: Path, info: dict[str, str]) -> None:
    """Write the info file atomically (temporary file in the same folder, then rename)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(info) + "\n", encoding="utf-8")
    temporary.replace(path)
