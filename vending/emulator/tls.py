"""A throwaway certificate authority and server certificate for the loopback names."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServerTls:
    context: ssl.SSLContext
    ca_bundle: Path


def create_server_tls(directory: Path) -> ServerTls:
    """Issue a CA and a server certificate; write the CA's PEM to ``directory/ca.pem``."""
    ca = trustme.CA(organization_name="vending local ARM emulator")
    leaf = ca.issue_cert(*LOOPBACK_NAMES)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    leaf.configure_cert(context)
    directory.mkdir(parents=True, exist_ok=True)
    ca_bundle = (directory / "ca.pem").resolve()
    ca.cert_pem.write_to_path(str(ca_bundle))
    return ServerTls(context, ca_bundle)
