"""How to reach Azure: resolved once by the CLI from flags and environment, then passed down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vending.azure.endpoint import connect_host, is_loopback_host, parse_endpoint
from vending.errors import InputError

DEFAULT_ARM_ENDPOINT = "https://management.azure.com"
DEFAULT_TIMEOUT = 300.0
CredentialKind = Literal["default", "static-test", "azure-pipelines"]
PIPELINES_VARIABLES = (
    "SYSTEM_OIDCREQUESTURI",
    "AZURESUBSCRIPTION_TENANT_ID",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    "SYSTEM_ACCESSTOKEN",
)
TENANT_VARIABLES = ("VENDING_TENANT_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURE_TENANT_ID")


def endpoint_host(url: str) -> str:
    """The host a request to ``url`` connects to, lowercase, without brackets or port; empty when the
    URL parsers disagree about it (see ``vending/azure/endpoint.py``)."""
    return connect_host(url)


@dataclass(frozen=True)
class PipelinesConnection:
    """An Azure DevOps service connection using workload identity federation."""

    tenant_id: str
    client_id: str
    service_connection_id: str
    system_access_token: str = field(repr=False)


@dataclass(frozen=True)
class AzureSettings:
    """Connection settings of one run; ``credential`` picks how tokens are obtained.

    ``read_burst`` and ``read_refill_per_second`` mirror ARM's read bucket so the client paces
    itself instead of running into 429s. ``timeout`` bounds the whole Azure check phase (seconds);
    ``read_timeout`` bounds one read of one response.
    """

    arm_endpoint: str = DEFAULT_ARM_ENDPOINT
    ca_bundle: Path | None = None
    tenant_id: str | None = None
    max_concurrency: int = 16
    credential: CredentialKind = "default"
    pipelines: PipelinesConnection | None = None
    read_burst: int = 250
    read_refill_per_second: float = 25.0
    retry_total: int = 10
    read_timeout: float = 60.0
    timeout: float = DEFAULT_TIMEOUT
    max_pages: int = 1000

    def __post_init__(self) -> None:
        object.__setattr__(self, "arm_endpoint", parse_endpoint(self.arm_endpoint).url)
        if self.max_concurrency < 1 or self.read_burst < 1 or self.read_refill_per_second <= 0:
            raise InputError("max_concurrency, read_burst and read_refill_per_second must be positive")
        if not self.timeout > 0 or not self.read_timeout > 0 or self.max_pages < 1:
            raise InputError(f"--azure-timeout / VENDING_AZURE_TIMEOUT: must be a positive number (got {self.timeout})")
        if self.credential == "static-test" and not self.is_loopback:
            raise InputError(
                f"--arm-endpoint: the static test token is only used for a loopback endpoint "
                f"(127.0.0.0/8, ::1, localhost), not {self.host}"
            )
        if self.credential == "azure-pipelines" and self.pipelines is None:
            raise InputError("the azure-pipelines credential needs the service connection settings")

    @property
    def host(self) -> str:
        return endpoint_host(self.arm_endpoint)

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def token_scope(self) -> str:
        """The OAuth scope of ARM tokens for this endpoint (``<endpoint>/.default``)."""
        return f"{self.arm_endpoint}/.default"


def pipelines_connection(env: Mapping[str, str]) -> PipelinesConnection | None:
    """The Azure DevOps service connection when every variable it needs is set, else None."""
    if not all(env.get(name) for name in PIPELINES_VARIABLES):
        return None
    return PipelinesConnection(
        tenant_id=env["AZURESUBSCRIPTION_TENANT_ID"],
        client_id=env["AZURESUBSCRIPTION_CLIENT_ID"],
        service_connection_id=env["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"],
        system_access_token=env["SYSTEM_ACCESSTOKEN"],
    )


def settings_from_env(
    env: Mapping[str, str], arm_endpoint: str | None, ca_bundle: str | None, timeout: float = DEFAULT_TIMEOUT
) -> AzureSettings:
    """Resolve the settings: flags win over ``VENDING_ARM_ENDPOINT`` / ``VENDING_ARM_CA_BUNDLE``.

    A loopback endpoint gets the static test token; an Azure DevOps job with a workload identity
    service connection (``PIPELINES_VARIABLES``) gets ``AzurePipelinesCredential``; anything else
    gets ``DefaultAzureCredential``.
    """
    endpoint = arm_endpoint or env.get("VENDING_ARM_ENDPOINT") or DEFAULT_ARM_ENDPOINT
    bundle = ca_bundle or env.get("VENDING_ARM_CA_BUNDLE") or None
    bundle_path = Path(bundle).expanduser().resolve() if bundle else None
    if bundle_path is not None and not bundle_path.is_file():
        raise InputError(f"--ca-bundle: {bundle_path} is not a file")
    pipelines = pipelines_connection(env)
    kind: CredentialKind = "default"
    if parse_endpoint(endpoint).is_loopback:
        kind = "static-test"
    elif pipelines is not None:
        kind = "azure-pipelines"
    names = TENANT_VARIABLES[:1] if kind == "static-test" else TENANT_VARIABLES
    tenant = next((env[name] for name in names if env.get(name)), None)
    return AzureSettings(
        arm_endpoint=endpoint,
        ca_bundle=bundle_path,
        tenant_id=tenant,
        credential=kind,
        pipelines=pipelines,
        timeout=timeout,
    )
