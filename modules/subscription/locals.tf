# Values derived from the inputs alone. Nothing in this file may refer to a
# resource or data source: the module tests evaluate it offline.
locals {
  guid_pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

  owner_role_definition_guid = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

  creates_subscription = var.subscription_id == null

  management_group_resource_id = "/providers/Microsoft.Management/managementGroups/${var.management_group_id}"

  # Reserved tags win over nothing: the tags variable refuses vending-* names,
  # so the merge below never overrides a user tag.
  vending_tags = merge(
    {
      "vending-alias"        = var.subscription_alias_name
      "vending-requested-by" = var.requested_by
    },
    var.ticket == null ? {} : { "vending-ticket" = var.ticket },
  )
  tags = merge(var.tags, local.vending_tags)

  # Owners, keyed by principal so that adding or removing one leaves the others alone.
  owner_assignments = {
    for o in var.owners : "owner/${lower(o.principal_id)}" => {
      principal_id    = lower(o.principal_id)
      principal_type  = o.principal_type
      role_definition = local.owner_role_definition_guid
      role_name       = null
    }
  }

  # Extra assignments, keyed by principal and role as written in the request.
  # role_definition is the GUID when the role is given as a GUID or an id;
  # role_name is set instead when the role is a name to look up.
  extra_assignments = {
    for r in var.role_assignments : "role/${lower(r.principal_id)}/${lower(r.role)}" => {
      principal_id   = lower(r.principal_id)
      principal_type = r.principal_type
      role_definition = (
        can(regex(local.guid_pattern, r.role)) ? lower(r.role) :
        can(regex("(?i)/providers/Microsoft\\.Authorization/roleDefinitions/", r.role)) ? lower(element(split("/", r.role), length(split("/", r.role)) - 1)) :
        null
      )
      role_name = (
        can(regex(local.guid_pattern, r.role)) || can(regex("(?i)/providers/Microsoft\\.Authorization/roleDefinitions/", r.role)) ? null : r.role
      )
    }
  }

  # Distinct role names to resolve, each with its OData filter (quotes doubled).
  role_name_filters = {
    for name in distinct(compact([for a in values(local.extra_assignments) : a.role_name])) :
    name => "roleName eq '${replace(name, "'", "''")}'"
  }

  # An extra assignment of Owner to a principal already listed in owners would
  # produce the same role assignment twice.
  owner_duplicates = [
    for k, a in local.extra_assignments : k
    if contains(keys(local.owner_assignments), "owner/${a.principal_id}") && (
      a.role_definition == local.owner_role_definition_guid || lower(coalesce(a.role_name, "-")) == "owner"
    )
  ]

  resource_providers = sort(distinct(concat(
    var.resource_providers,
    var.network == null ? [] : ["Microsoft.Network"],
    var.budget == null ? [] : ["Microsoft.Consumption"],
  )))

  network_resource_group_name = "rg-${var.subscription_alias_name}-network"
  virtual_network_name        = "vnet-${var.subscription_alias_name}-${var.location}"
  hub_peering_enabled         = var.network == null ? false : var.network.hub_peering
  hub_network_name            = var.hub_network_resource_id == null ? null : element(split("/", var.hub_network_resource_id), 8)

  budget_notifications = var.budget == null ? {} : {
    for t in var.budget.thresholds : replace(format("actual_ge_%g_percent", t), ".", "_") => {
      enabled       = true
      operator      = "GreaterThanOrEqualTo"
      threshold     = t
      thresholdType = "Actual"
      contactEmails = var.budget.contact_emails
    }
  }
}
