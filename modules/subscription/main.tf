# The subscription itself: created through an alias, or adopted by id.

resource "azapi_resource" "alias" {
  count = local.creates_subscription ? 1 : 0

  type      = "Microsoft.Subscription/aliases@2021-10-01"
  name      = var.subscription_alias_name
  parent_id = "/"
  body = {
    properties = {
      displayName  = var.subscription_display_name
      workload     = var.subscription_workload
      billingScope = var.subscription_billing_scope
      additionalProperties = {
        managementGroupId = local.management_group_resource_id
        tags              = local.tags
      }
    }
  }
  response_export_values = ["properties.subscriptionId"]

  lifecycle {
    # The alias is write-once: Azure ignores a changed body, so later changes
    # (display name, tags, management group) are applied by the resources below.
    ignore_changes = [body]

    precondition {
      condition     = var.subscription_billing_scope != null
      error_message = "subscription_billing_scope is required when subscription_id is not given."
    }
  }
}

locals {
  subscription_id          = local.creates_subscription ? lower(one(azapi_resource.alias[*].output.properties.subscriptionId)) : lower(var.subscription_id)
  subscription_resource_id = "/subscriptions/${local.subscription_id}"
}

# Destroy-time cancellation. It exists only when cancel_on_destroy is true.
# Everything else in this module waits for it (through time_sleep below), so
# on destroy it runs last, after the module's own resources are gone.
resource "azapi_resource_action" "cancel" {
  count = var.cancel_on_destroy ? 1 : 0

  type        = "Microsoft.Resources/subscriptions@2021-10-01"
  resource_id = local.subscription_resource_id
  action      = "providers/Microsoft.Subscription/cancel"
  method      = "POST"
  when        = "destroy"

  retry = {
    error_message_regex  = ["ResourcesExistingOnSubscription"]
    interval_seconds     = 30
    max_interval_seconds = 300
  }

  timeouts {
    create = "60m"
    delete = "60m"
  }

  lifecycle {
    # The provider runs the destroy-time action from the stored state; keep
    # that state exactly as created.
    ignore_changes = all
  }
}

# Pause after creating a subscription so that the creator's access to it has
# propagated before role assignments and the rest are written.
resource "time_sleep" "after_creation" {
  create_duration = local.creates_subscription ? var.rbac_propagation_wait : null

  triggers = {
    subscription_id = local.subscription_id
  }

  depends_on = [azapi_resource_action.cancel]
}

locals {
  # Everything inside the subscription uses these, so it is created after the
  # pause and destroyed before the cancellation.
  ready_subscription_id          = time_sleep.after_creation.triggers["subscription_id"]
  ready_subscription_resource_id = "/subscriptions/${local.ready_subscription_id}"
}

# Display name, renamed in place whenever it changes.
resource "azapi_resource_action" "display_name" {
  type        = "Microsoft.Resources/subscriptions@2021-10-01"
  resource_id = local.ready_subscription_resource_id
  action      = "providers/Microsoft.Subscription/rename"
  method      = "POST"
  body = {
    subscriptionName = var.subscription_display_name
  }

  retry = {
    error_message_regex = ["AuthorizationFailed"]
  }
}

# Subscription tags, replaced as a whole whenever they change. A PUT on the
# tags/default resource sets exactly these tags; destroy leaves them in place.
resource "azapi_resource_action" "tags" {
  type        = "Microsoft.Resources/tags@2022-09-01"
  resource_id = "${local.ready_subscription_resource_id}/providers/Microsoft.Resources/tags/default"
  method      = "PUT"
  body = {
    properties = {
      tags = local.tags
    }
  }

  retry = {
    error_message_regex = ["AuthorizationFailed"]
  }
}

resource "azapi_resource_action" "resource_provider" {
  for_each = toset(local.resource_providers)

  type        = "Microsoft.Resources/subscriptions@2021-04-01"
  resource_id = local.ready_subscription_resource_id
  action      = "providers/${each.value}/register"
  method      = "POST"

  retry = {
    error_message_regex = ["AuthorizationFailed"]
  }
}
