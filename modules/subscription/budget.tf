# Cost budget with one notification per threshold.
#
# Azure wants a budget's start date to be the first day of a month, not in the
# past, when the budget is created. The date is taken once, from the month the
# budget is first created (time_static keeps it in state), and later changes to
# the time period are ignored, so the plan never shows a perpetual diff.

resource "time_static" "budget_start" {
  count = var.budget == null ? 0 : 1
}

resource "azapi_resource" "budget" {
  count = var.budget == null ? 0 : 1

  type      = "Microsoft.Consumption/budgets@2021-10-01"
  name      = "vending-budget"
  parent_id = local.ready_subscription_resource_id
  body = {
    properties = {
      category  = "Cost"
      amount    = var.budget.amount
      timeGrain = var.budget.time_grain
      timePeriod = {
        startDate = formatdate("YYYY-MM-01'T00:00:00Z'", time_static.budget_start[0].rfc3339)
      }
      notifications = local.budget_notifications
    }
  }

  retry = {
    error_message_regex = ["AuthorizationFailed", "MissingSubscriptionRegistration"]
  }

  lifecycle {
    ignore_changes = [body.properties.timePeriod]
  }

  depends_on = [azapi_resource_action.resource_provider]
}
