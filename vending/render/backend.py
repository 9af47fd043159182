"""The state backend: one state per subscription, the same in the ``.tf`` and in the Flux object."""

from __future__ import annotations

from vending.render.hcl import hcl_attributes, hcl_key, hcl_value
from vending.trunk.config import TrunkConfig


def backend_settings(name: str, environment: str, config: TrunkConfig) -> tuple[str, dict[str, object]]:
    """(backend type, settings) for one subscription's state."""
    azurerm = config.state.azurerm
    if config.state.backend == "azurerm" and azurerm is not None:
        return "azurerm", {
            "resource_group_name": azurerm.resource_group,
            "storage_account_name": azurerm.storage_account,
            "container_name": azurerm.container,
            "key": f"{azurerm.key_prefix}/{environment}/{name}.tfstate",
            "use_oidc": True,
            "use_azuread_auth": True,
        }
    return "kubernetes", {"secret_suffix": name, "namespace": config.flux.namespace, "in_cluster_config": True}


def backend_block(kind: str, settings: dict[str, object]) -> str:
    """A ``backend`` block as the Flux object's ``customConfiguration`` carries it."""
    body = hcl_attributes([(hcl_key(k), hcl_value(v, 1)) for k, v in settings.items()], 1)
    return f"backend {hcl_value(kind)} {{\n{body}}}\n"
