# Management group placement.
#
# A PUT on managementGroups/{id}/subscriptions/{sub} moves the subscription
# straight from wherever it is, so a change of management_group_id is one move.
# Destroying these resources does nothing: the subscription stays where it is.

resource "azapi_resource_action" "management_group_placement" {
  type        = "Microsoft.Management/managementGroups/subscriptions@2023-04-01"
  resource_id = "${local.management_group_resource_id}/subscriptions/${local.ready_subscription_id}"
  method      = "PUT"

  retry = {
    error_message_regex = ["AuthorizationFailed"]
  }
}

# Drift check: the subscriptions directly under the target group. It is read
# after any pending placement, so a requested move never looks like drift.
data "azapi_resource_list" "management_group_subscriptions" {
  type      = "Microsoft.Management/managementGroups/subscriptions@2023-04-01"
  parent_id = local.management_group_resource_id
  response_export_values = {
    names = "value[].name"
  }

  depends_on = [azapi_resource_action.management_group_placement]
}

resource "terraform_data" "management_group_check" {
  # Becomes false when the subscription was moved out of the group outside
  # this module; that change replaces the repair below, which moves it back.
  input = contains(
    try([for n in data.azapi_resource_list.management_group_subscriptions.output.names : lower(n)], []),
    local.ready_subscription_id,
  )
}

resource "azapi_resource_action" "management_group_repair" {
  type        = "Microsoft.Management/managementGroups/subscriptions@2023-04-01"
  resource_id = "${local.management_group_resource_id}/subscriptions/${local.ready_subscription_id}"
  method      = "PUT"

  retry = {
    error_message_regex = ["AuthorizationFailed"]
  }

  lifecycle {
    replace_triggered_by = [terraform_data.management_group_check]
  }
}
