# Role assignments: owners (built-in Owner) and the extra assignments.
#
# Each assignment is keyed by stable strings from the request and named by a
# UUIDv5 of subscription, principal and role definition, so adding or removing
# one assignment never touches the others, and re-creating the same assignment
# after a lost state reuses the same name.

# Role names are resolved at the subscription scope (built-in roles and the
# custom roles assignable there), one lookup per distinct name.
data "azapi_resource_list" "role_definitions" {
  for_each = local.role_name_filters

  type      = "Microsoft.Authorization/roleDefinitions@2022-04-01"
  parent_id = local.ready_subscription_resource_id
  query_parameters = {
    "$filter" = [each.value]
  }
  response_export_values = {
    ids = "value[].name"
  }

  retry = {
    error_message_regex = ["AuthorizationFailed", "SubscriptionNotFound"]
  }

  lifecycle {
    postcondition {
      condition     = try(length(self.output.ids), 0) == 1
      error_message = "Role \"${each.key}\" was not found as exactly one role definition at the subscription scope; give its exact name or its role definition id."
    }
  }
}

locals {
  resolved_role_guids = {
    for name, d in data.azapi_resource_list.role_definitions : name => lower(one(d.output.ids))
  }

  role_assignments = {
    for key, a in merge(local.owner_assignments, local.extra_assignments) : key => merge(a, {
      role_guid = a.role_definition != null ? a.role_definition : lookup(local.resolved_role_guids, coalesce(a.role_name, "-"), null)
    })
  }

  role_assignment_names = {
    for key, a in local.role_assignments : key => uuidv5("url", "${local.ready_subscription_resource_id}/principals/${a.principal_id}/roleDefinitions/${a.role_guid}")
  }
}

resource "azapi_resource" "role_assignment" {
  for_each = local.role_assignments

  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = local.role_assignment_names[each.key]
  parent_id = local.ready_subscription_resource_id
  body = {
    properties = merge(
      {
        principalId      = each.value.principal_id
        roleDefinitionId = "${local.ready_subscription_resource_id}/providers/Microsoft.Authorization/roleDefinitions/${each.value.role_guid}"
      },
      each.value.principal_type == null ? {} : { principalType = each.value.principal_type },
    )
  }

  # Role assignments cannot be updated: a different principal type means a new one.
  replace_triggers_external_values = {
    principal_type = each.value.principal_type
  }

  retry = {
    error_message_regex = ["AuthorizationFailed", "PrincipalNotFound"]
  }

  timeouts {
    create = "15m"
  }

  lifecycle {
    precondition {
      condition     = length(local.owner_duplicates) == 0
      error_message = "role_assignments repeat the Owner role for principals already listed in owners: ${join(", ", local.owner_duplicates)}."
    }

    precondition {
      condition     = length(distinct(values(local.role_assignment_names))) == length(local.role_assignment_names)
      error_message = "Two role assignments resolve to the same principal and role definition (for example a role given once by name and once by id)."
    }
  }
}
