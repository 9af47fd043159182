# Optional spoke network: a resource group and a virtual network, peered with
# the hub when asked.
#
# Subnets are not managed here. The virtual network is created once with its
# address space; later address-space changes go through azapi_update_resource,
# which reads the network and writes it back with the new prefixes, so subnets
# created by others are kept.

resource "azapi_resource" "network_resource_group" {
  count = var.network == null ? 0 : 1

  type      = "Microsoft.Resources/resourceGroups@2021-04-01"
  name      = local.network_resource_group_name
  parent_id = local.ready_subscription_resource_id
  location  = var.location
  tags      = local.tags

  retry = {
    error_message_regex = ["AuthorizationFailed", "MissingSubscriptionRegistration"]
  }

  depends_on = [azapi_resource_action.resource_provider]
}

resource "azapi_resource" "virtual_network" {
  count = var.network == null ? 0 : 1

  type      = "Microsoft.Network/virtualNetworks@2023-11-01"
  name      = local.virtual_network_name
  parent_id = azapi_resource.network_resource_group[0].id
  location  = var.location
  body = {
    properties = {
      addressSpace = {
        addressPrefixes = var.network.address_space
      }
    }
  }

  retry = {
    error_message_regex = ["MissingSubscriptionRegistration", "AnotherOperationInProgress"]
  }

  lifecycle {
    # A PUT of this body would drop subnets created outside this module.
    ignore_changes = [body]
  }
}

resource "azapi_update_resource" "virtual_network_address_space" {
  count = var.network == null ? 0 : 1

  type        = "Microsoft.Network/virtualNetworks@2023-11-01"
  resource_id = azapi_resource.virtual_network[0].id
  body = {
    properties = {
      addressSpace = {
        addressPrefixes = var.network.address_space
      }
    }
  }

  retry = {
    error_message_regex = ["AnotherOperationInProgress"]
  }
}

resource "azapi_resource" "spoke_to_hub_peering" {
  count = local.hub_peering_enabled ? 1 : 0

  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01"
  name      = "peer-to-${coalesce(local.hub_network_name, "hub")}"
  parent_id = azapi_resource.virtual_network[0].id
  body = {
    properties = {
      remoteVirtualNetwork = {
        id = var.hub_network_resource_id
      }
      allowVirtualNetworkAccess = true
      allowForwardedTraffic     = true
      allowGatewayTransit       = false
      useRemoteGateways         = false
    }
  }

  retry = {
    error_message_regex = ["AnotherOperationInProgress", "ReferencedResourceNotProvisioned"]
  }

  lifecycle {
    precondition {
      condition     = var.hub_network_resource_id != null
      error_message = "hub_network_resource_id is required when network.hub_peering is true."
    }
  }

  depends_on = [azapi_update_resource.virtual_network_address_space]
}

resource "azapi_resource" "hub_to_spoke_peering" {
  count = local.hub_peering_enabled && var.hub_peering_create_hub_side ? 1 : 0

  type      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01"
  name      = "peer-to-${var.subscription_alias_name}"
  parent_id = var.hub_network_resource_id
  body = {
    properties = {
      remoteVirtualNetwork = {
        id = azapi_resource.virtual_network[0].id
      }
      allowVirtualNetworkAccess = true
      allowForwardedTraffic     = true
      allowGatewayTransit       = false
      useRemoteGateways         = false
    }
  }

  retry = {
    error_message_regex = ["AnotherOperationInProgress", "ReferencedResourceNotProvisioned"]
  }

  lifecycle {
    precondition {
      condition     = var.hub_network_resource_id != null
      error_message = "hub_network_resource_id is required when network.hub_peering is true."
    }
  }

  depends_on = [azapi_resource.spoke_to_hub_peering]
}
