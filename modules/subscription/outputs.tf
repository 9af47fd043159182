output "subscription_id" {
  description = "GUID of the subscription (created or adopted)."
  value       = local.subscription_id
}

output "subscription_resource_id" {
  description = "Resource id of the subscription: /subscriptions/<guid>."
  value       = local.subscription_resource_id
}

output "management_group_id" {
  description = "Id of the management group the subscription is placed in."
  value       = var.management_group_id

  depends_on = [azapi_resource_action.management_group_placement]
}

output "virtual_network_resource_id" {
  description = "Resource id of the spoke virtual network, or null when no network was requested."
  value       = one(azapi_resource.virtual_network[*].id)
}
