"""The trunk's configuration, ``vending.yaml``: environments, module pin, Flux and state settings, and loading it."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from vending.errors import Finding, InputError
from vending.request.fields import LOCATION_RE, MANAGEMENT_GROUP_RE, DnsLabel, Duration, StrictModel, rule_error
from vending.request.load import validate_model
from vending.request.yamlio import YamlLoadError, parse_yaml_mapping, read_text_bounded
from vending.trunk import safe_read
from vending.trunk.layout import CONFIG_FILE as CONFIG_FILE
from vending.trunk.layout import RESERVED_TOP_LEVEL

OWNER_RE = re.compile(
    r"^(@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?"
    r"|[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$"
)
ENV_KEY_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$")
TRUNK_SECRET = "vending-trunk-auth"  # noqa: S105 - a Secret's name, not a secret
MODULE_SECRET = "vending-module-auth"  # noqa: S105 - a Secret's name, not a secret
DRIFT_INTERVAL = "24h"
"""How often a settled ``Terraform`` object is re-planned for drift; changes apply at once whatever it is. See the
arithmetic in docs/flux.md: one day keeps up with 10,000 subscriptions at the chart's default 24 runners."""
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$")


def _check_owner(value: str) -> str:
    if not OWNER_RE.fullmatch(value):
        raise ValueError(f"must be @user, @org/team or an email address (got {value!r})")
    return value


def _check_repo_path(value: str) -> str:
    path = PurePosixPath(value)
    if value != value.strip() or not value or path.is_absolute() or "\\" in value:
        raise ValueError(f"must be a relative path inside the trunk such as subscriptions/dev (got {value!r})")
    if any(part in ("..", ".", "") for part in value.split("/")) or value.endswith("/"):
        raise ValueError(f"must not contain '..', '.', empty segments or a trailing '/' (got {value!r})")
    if not all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", part) for part in path.parts):
        raise ValueError(f"segments may hold letters, digits, '_', '.', '-' only (got {value!r})")
    return value


def _check_ref(value: str) -> str:
    if not REF_RE.fullmatch(value) or ".." in value:
        raise ValueError(f"must be a git tag such as v0.1.0 (got {value!r})")
    return value


def needs_ssh_key(url: str) -> bool:
    """Git over ssh always authenticates (GitHub and Azure DevOps refuse anonymous ssh)."""
    return url.startswith(("ssh://", "git@"))


Owner = Annotated[str, AfterValidator(_check_owner)]
RepoPath = Annotated[str, AfterValidator(_check_repo_path)]
GitRef = Annotated[str, AfterValidator(_check_ref)]
ManagementGroupId = Annotated[str, Field(pattern=MANAGEMENT_GROUP_RE.pattern)]
LocationName = Annotated[str, Field(pattern=LOCATION_RE.pattern)]


class Environment(StrictModel):
    """One environment: where its subscriptions live, who owns them, and its policy."""

    path: RepoPath
    owners: list[Owner] = Field(min_length=1)
    workload: Literal["Production", "DevTest"]
    approval: Literal["auto", "manual"]
    deletion: Literal["cancel", "retain"]
    decommission_allowed: bool = Field(default=True, alias="decommissionAllowed")
    management_groups: list[ManagementGroupId] | None = Field(default=None, alias="managementGroups")
    locations: list[LocationName] | None = None
    required_tags: list[str] = Field(default_factory=list, alias="requiredTags")
    budget_required: bool = Field(default=False, alias="budgetRequired")
    hub_network_id: str | None = Field(default=None, alias="hubNetworkId")
    interval: Duration = DRIFT_INTERVAL
    drift_detection: bool = Field(default=True, alias="driftDetection")


class ModuleSource(StrictModel):
    """The Terraform module every subscription uses, pinned to a release tag."""

    url: str = Field(min_length=1, pattern=r"^(https://|ssh://|git@)[^\s\"'\\]+$")
    ref: GitRef
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{40}$")
    path: RepoPath = "modules/subscription"


class Flux(StrictModel):
    """Names and settings of the Flux objects in the trunk."""

    namespace: DnsLabel = "flux-system"
    cluster: DnsLabel = "main"
    trunk_url: str = Field(
        default="https://github.com/example/subscriptions",
        alias="trunkUrl",
        pattern=r"^(https://|ssh://|git@|file://)[^\s\"'\\]+$",
    )
    trunk_source: DnsLabel = Field(default="vending-trunk", alias="trunkSource")
    module_source: DnsLabel = Field(default="vending-module", alias="moduleSource")
    trunk_secret: DnsLabel | None = Field(default=None, alias="trunkSecret")
    module_secret: DnsLabel | None = Field(default=None, alias="moduleSecret")
    interval: Duration = "10m"
    source_interval: Duration = Field(default="5m", alias="sourceInterval")
    retry_interval: Duration = Field(default="2m", alias="retryInterval")
    delivery: Literal["module", "trunk"] = "module"
    service_account: DnsLabel = Field(default="tf-runner", alias="serviceAccount")
    workload_identity: bool = Field(default=True, alias="workloadIdentity")

    def trunk_secret_name(self) -> str | None:
        """The Secret the trunk source authenticates with: the configured one; for ssh, always one."""
        return self.trunk_secret or (TRUNK_SECRET if needs_ssh_key(self.trunk_url) else None)

    def module_secret_name(self, url: str) -> str | None:
        """The Secret the module source authenticates with: the configured one; for ssh, always one."""
        return self.module_secret or (MODULE_SECRET if needs_ssh_key(url) else None)


TRUNK_CANCEL_MESSAGE = (
    "'cancel' cannot be carried out with flux.delivery 'trunk': the controller's destroy needs the subscription's "
    "folder that the decommission removes; use flux.delivery 'module' (the default) or deletion 'retain'"
)


class AzurermBackend(StrictModel):
    resource_group: str = Field(alias="resourceGroup", pattern=r"^[-\w._()]{1,90}$")
    storage_account: str = Field(alias="storageAccount", pattern=r"^[a-z0-9]{3,24}$")
    container: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
    key_prefix: str = Field(default="subscriptions", alias="keyPrefix", pattern=r"^[A-Za-z0-9._/-]{1,200}$")


class State(StrictModel):
    """Where each subscription's Terraform state lives: one state per subscription either way."""

    backend: Literal["kubernetes", "azurerm"] = "kubernetes"
    azurerm: AzurermBackend | None = None

    @model_validator(mode="after")
    def _azurerm_settings(self) -> State:
        if self.backend == "azurerm" and self.azurerm is None:
            raise ValueError("azurerm: settings are required when backend is azurerm")
        return self


class TrunkConfig(StrictModel):
    """The whole of ``vending.yaml``."""

    organization: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")
    admins: list[Owner] = Field(min_length=1)
    module: ModuleSource
    flux: Flux = Flux()
    state: State = State()
    environments: dict[str, Environment] = Field(min_length=1)
    status_owners: list[Owner] = Field(default_factory=list, alias="statusOwners")
    """Who may record controller status under ``status/`` (``vending status --record``); the admins when empty."""

    @model_validator(mode="after")
    def _paths_distinct(self) -> TrunkConfig:
        for key in self.environments:
            if not ENV_KEY_RE.fullmatch(key):
                raise rule_error(("environments",), f"key {key!r} must be lowercase letters, digits and '-'")
        items = sorted((env.path, key) for key, env in self.environments.items())
        for index, (path_a, key_a) in enumerate(items):
            for path_b, key_b in items[index + 1 :]:
                if path_b == path_a or path_b.startswith(path_a + "/") or path_a.startswith(path_b + "/"):
                    raise rule_error(
                        ("environments",), f"paths of {key_a!r} and {key_b!r} overlap ({path_a}, {path_b})"
                    )
        for key, env in self.environments.items():
            if env.path.split("/")[0] in RESERVED_TOP_LEVEL:
                raise rule_error(("environments", key, "path"), f"{env.path!r} is reserved for the trunk's own files")
        return self

    @model_validator(mode="after")
    def _deletion_deliverable(self) -> TrunkConfig:
        """In trunk delivery the destroy would need the very folder a decommission removes: refused."""
        if self.flux.delivery != "trunk":
            return self
        for key, env in sorted(self.environments.items()):
            if env.deletion == "cancel":
                raise rule_error(("environments", key, "deletion"), TRUNK_CANCEL_MESSAGE)
        return self


def default_config(
    org: str, *, trunk_url: str | None = None, module_url: str | None = None, trunk_secret: str | None = TRUNK_SECRET
) -> dict[str, object]:
    """The ``vending.yaml`` that ``vending init`` writes, as plain data. The trunk is a private repository, so its
    source names a Secret by default (``trunk_secret=None``: a public https trunk)."""
    flux: dict[str, object] = {
        "namespace": "flux-system",
        "cluster": "main",
        "trunkUrl": trunk_url or f"https://github.com/{org}/subscriptions",
        **({"trunkSecret": trunk_secret} if trunk_secret else {}),
        "delivery": "module",
    }
    module = module_url or f"https://github.com/{org}/vending"
    return {
        "organization": org,
        "admins": [f"@{org}/platform-admins"],
        "module": {"url": module, "ref": "v0.1.0", "path": "modules/subscription"},
        "flux": flux,
        "state": {"backend": "kubernetes"},
        "environments": {
            "dev": {
                "path": "subscriptions/dev",
                "owners": [f"@{org}/platform-dev"],
                "workload": "DevTest",
                "approval": "auto",
                "deletion": "cancel",
            },
            "prod": {
                "path": "subscriptions/prod",
                "owners": [f"@{org}/platform-prod"],
                "workload": "Production",
                "approval": "manual",
                "deletion": "retain",
                "budgetRequired": True,
            },
        },
    }


def load_config_text(text: str, source: str = CONFIG_FILE) -> TrunkConfig:
    """Validate the text of a ``vending.yaml``; every problem is a finding."""

    try:
        document = parse_yaml_mapping(text, source)
    except YamlLoadError as exc:
        raise InputError(f"{source} is not valid", [exc.finding]) from exc
    config, findings = validate_model(TrunkConfig, document)
    if config is None:
        raise InputError(f"{source} is not valid", findings)
    return config


def load_config(trunk_dir: Path) -> TrunkConfig:
    """Load the trunk's ``vending.yaml``."""
    path = trunk_dir / CONFIG_FILE
    if not safe_read.is_file(trunk_dir, CONFIG_FILE):
        raise InputError(
            f"{CONFIG_FILE} not found", [Finding(CONFIG_FILE, "", "not found: is this a trunk made by 'vending init'?")]
        )
    try:
        text = read_text_bounded(path, CONFIG_FILE)
    except YamlLoadError as exc:
        raise InputError(f"{CONFIG_FILE} is not valid", [exc.finding]) from exc
    return load_config_text(text)
