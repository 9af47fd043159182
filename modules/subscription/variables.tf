variable "subscription_alias_name" {
  type        = string
  description = "Alias of the subscription and its immutable identity (3-50 characters: a lowercase letter, then lowercase letters, digits or hyphens, ending in a letter or digit)."
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,48}[a-z0-9]$", var.subscription_alias_name))
    error_message = "subscription_alias_name must match ^[a-z][a-z0-9-]{1,48}[a-z0-9]$ (3-50 characters)."
  }
}

variable "subscription_display_name" {
  type        = string
  description = "Display name of the subscription (1-64 characters, no < > ; | and no control characters). Changes rename the subscription in place."
  nullable    = false

  validation {
    condition     = length(var.subscription_display_name) >= 1 && length(var.subscription_display_name) <= 64
    error_message = "subscription_display_name must be 1-64 characters long."
  }

  validation {
    condition     = !can(regex("[<>;|\\x00-\\x1f\\x7f]", var.subscription_display_name))
    error_message = "subscription_display_name must not contain < > ; | or control characters."
  }
}

variable "subscription_billing_scope" {
  type        = string
  default     = null
  description = "Billing scope the subscription is created under: EA /providers/Microsoft.Billing/billingAccounts/{ba}/enrollmentAccounts/{ea}, MCA .../billingAccounts/{ba}/billingProfiles/{bp}/invoiceSections/{is} or MPA .../billingAccounts/{ba}/customers/{c}. Required when subscription_id is null; ignored otherwise."

  validation {
    condition = var.subscription_billing_scope == null || can(regex(
      "^/providers/Microsoft\\.Billing/billingAccounts/[^/]+/(enrollmentAccounts/[^/]+|billingProfiles/[^/]+/invoiceSections/[^/]+|customers/[^/]+)$",
      var.subscription_billing_scope,
    ))
    error_message = "subscription_billing_scope must be an EA, MCA or MPA billing scope starting with /providers/Microsoft.Billing/billingAccounts/."
  }
}

variable "subscription_id" {
  type        = string
  default     = null
  description = "GUID of an existing subscription to adopt instead of creating one. When set, no alias is created and subscription_billing_scope is not used."

  validation {
    condition     = var.subscription_id == null || can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "subscription_workload" {
  type        = string
  description = "Workload type of a created subscription: Production or DevTest (DevTest is not available on MPA billing scopes)."
  nullable    = false

  validation {
    condition     = contains(["Production", "DevTest"], var.subscription_workload)
    error_message = "subscription_workload must be Production or DevTest."
  }
}

variable "management_group_id" {
  type        = string
  description = "Id (not the resource id) of the management group the subscription is placed in and kept in."
  nullable    = false

  validation {
    condition     = can(regex("^[().a-zA-Z0-9_-]{1,90}$", var.management_group_id))
    error_message = "management_group_id must match ^[().a-zA-Z0-9_-]{1,90}$."
  }
}

variable "location" {
  type        = string
  description = "Azure region name (lowercase letters and digits, e.g. westeurope) for the network resources."
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name made of lowercase letters and digits, e.g. westeurope."
  }
}

variable "owners" {
  type = list(object({
    principal_id   = string
    principal_type = string
  }))
  description = "Principals given the built-in Owner role on the subscription (at least one). principal_type is User, Group or ServicePrincipal."
  nullable    = false

  validation {
    condition     = length(var.owners) >= 1
    error_message = "owners must list at least one principal."
  }

  validation {
    condition = alltrue([
      for o in var.owners : can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", o.principal_id))
    ])
    error_message = "Every owners[].principal_id must be a GUID."
  }

  validation {
    condition     = alltrue([for o in var.owners : contains(["User", "Group", "ServicePrincipal"], o.principal_type)])
    error_message = "Every owners[].principal_type must be User, Group or ServicePrincipal."
  }

  validation {
    condition     = length(distinct([for o in var.owners : lower(o.principal_id)])) == length(var.owners)
    error_message = "owners must not list the same principal_id twice."
  }
}

variable "role_assignments" {
  type = list(object({
    principal_id   = string
    role           = string
    principal_type = optional(string)
  }))
  default     = []
  description = "Extra role assignments on the subscription. role is a role NAME (e.g. Reader) resolved at the subscription scope, a role definition GUID, or a role definition id ending in /providers/Microsoft.Authorization/roleDefinitions/<guid>. principal_type is optional (User, Group or ServicePrincipal)."
  nullable    = false

  validation {
    condition = alltrue([
      for r in var.role_assignments : can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", r.principal_id))
    ])
    error_message = "Every role_assignments[].principal_id must be a GUID."
  }

  validation {
    condition = alltrue([
      for r in var.role_assignments : r.principal_type == null || contains(["User", "Group", "ServicePrincipal"], coalesce(r.principal_type, "-"))
    ])
    error_message = "Every role_assignments[].principal_type must be User, Group or ServicePrincipal when given."
  }

  validation {
    condition = alltrue([
      for r in var.role_assignments : length(trimspace(r.role)) > 0 && length(r.role) <= 512 && !can(regex("[\\x00-\\x1f\\x7f]", r.role))
    ])
    error_message = "Every role_assignments[].role must be a non-empty role name, role definition GUID or role definition id without control characters."
  }

  validation {
    condition = alltrue([
      for r in var.role_assignments : !can(regex("(?i)/providers/Microsoft\\.Authorization/roleDefinitions", r.role)) || can(regex(
        "(?i)^(/[^/]+)*/providers/Microsoft\\.Authorization/roleDefinitions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        r.role,
      ))
    ])
    error_message = "A role_assignments[].role that is a role definition id must end in /providers/Microsoft.Authorization/roleDefinitions/<guid>."
  }

  validation {
    condition = length(distinct([
      for r in var.role_assignments : "${lower(r.principal_id)}|${lower(r.role)}"
    ])) == length(var.role_assignments)
    error_message = "role_assignments must not repeat the same principal_id and role."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags set on the subscription (and on the network resources). Names up to 512 characters without < > % & \\ ? / or control characters, values up to 256 characters, at most 47 entries. Names starting with vending- are reserved for the tags this module adds."
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.tags) : length(k) >= 1 && length(k) <= 512 && !can(regex("[<>%&\\\\?/\\x00-\\x1f\\x7f]", k))])
    error_message = "Tag names must be 1-512 characters without < > % & \\ ? / or control characters."
  }

  validation {
    condition     = alltrue([for v in values(var.tags) : length(v) <= 256])
    error_message = "Tag values must be at most 256 characters."
  }

  validation {
    condition     = alltrue([for k in keys(var.tags) : !startswith(lower(k), "vending-")])
    error_message = "Tag names starting with vending- are reserved for the tags this module sets (vending-alias, vending-requested-by, vending-ticket)."
  }

  validation {
    condition     = length(var.tags) <= 47
    error_message = "At most 47 tags may be given (Azure allows 50 per subscription and this module adds up to 3)."
  }

  validation {
    condition     = length(distinct([for k in keys(var.tags) : lower(k)])) == length(var.tags)
    error_message = "Tag names must be unique ignoring case (Azure treats tag names case-insensitively)."
  }
}

variable "budget" {
  type = object({
    amount         = number
    time_grain     = string
    thresholds     = list(number)
    contact_emails = list(string)
  })
  default     = null
  description = "Cost budget on the subscription: amount (> 0, in the billing currency), time_grain (Monthly, Quarterly or Annually), thresholds in percent of the amount (1-1000, at most 5, each one notification on actual cost) and contact_emails notified when a threshold is reached. null for no budget."

  validation {
    condition     = var.budget == null || try(var.budget.amount > 0, false)
    error_message = "budget.amount must be greater than 0."
  }

  validation {
    condition     = var.budget == null || contains(["Monthly", "Quarterly", "Annually"], try(var.budget.time_grain, ""))
    error_message = "budget.time_grain must be Monthly, Quarterly or Annually."
  }

  validation {
    condition = var.budget == null || try(
      alltrue([for t in var.budget.thresholds : t >= 1 && t <= 1000]) && length(var.budget.thresholds) <= 5 && length(distinct(var.budget.thresholds)) == length(var.budget.thresholds),
      false,
    )
    error_message = "budget.thresholds must be at most 5 distinct percentages between 1 and 1000."
  }

  validation {
    condition = var.budget == null || try(
      alltrue([for e in var.budget.contact_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))]) && (length(var.budget.thresholds) == 0 || length(var.budget.contact_emails) > 0),
      false,
    )
    error_message = "budget.contact_emails must be email addresses, and at least one is needed when thresholds are given."
  }
}

variable "network" {
  type = object({
    address_space = list(string)
    hub_peering   = bool
  })
  default     = null
  description = "Spoke network: a resource group and a virtual network with address_space (canonical IPv4 CIDRs in private ranges) in location; with hub_peering, peered to hub_network_resource_id. null for no network."

  validation {
    condition     = var.network == null || try(length(var.network.address_space) >= 1, false)
    error_message = "network.address_space must list at least one CIDR."
  }

  validation {
    condition = var.network == null || try(alltrue([
      for c in var.network.address_space : can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+/[0-9]+$", c)) && can(cidrhost(c, 0)) && cidrhost(c, 0) == split("/", c)[0]
    ]), false)
    error_message = "Every network.address_space entry must be a canonical IPv4 CIDR (host bits zero), e.g. 10.1.0.0/24."
  }

  validation {
    condition = var.network == null || try(alltrue([
      for c in var.network.address_space : (
        (can(regex("^10\\.", c)) && tonumber(split("/", c)[1]) >= 8) ||
        (can(regex("^172\\.(1[6-9]|2[0-9]|3[01])\\.", c)) && tonumber(split("/", c)[1]) >= 12) ||
        (can(regex("^192\\.168\\.", c)) && tonumber(split("/", c)[1]) >= 16)
      )
    ]), false)
    error_message = "Every network.address_space entry must lie in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
  }
}

variable "hub_network_resource_id" {
  type        = string
  default     = null
  description = "Resource id of the hub virtual network to peer with. Required when network.hub_peering is true."

  validation {
    condition = var.hub_network_resource_id == null || can(regex(
      "(?i)^/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/resourceGroups/[^/]+/providers/Microsoft\\.Network/virtualNetworks/[^/]+$",
      var.hub_network_resource_id,
    ))
    error_message = "hub_network_resource_id must be a virtual network resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>."
  }
}

variable "hub_peering_create_hub_side" {
  type        = bool
  default     = true
  description = "With network.hub_peering, also create the hub-to-spoke peering on the hub network (needs write access on the hub). When false only the spoke side is created and the hub side must be created by its owners."
  nullable    = false
}

variable "resource_providers" {
  type        = list(string)
  default     = []
  description = "Resource provider namespaces to register on the subscription, e.g. Microsoft.ContainerService. Microsoft.Network (with network) and Microsoft.Consumption (with budget) are added automatically."
  nullable    = false

  validation {
    condition     = alltrue([for p in var.resource_providers : can(regex("^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)+$", p))])
    error_message = "Every resource_providers entry must be a namespace like Microsoft.ContainerService."
  }
}

variable "cancel_on_destroy" {
  type        = bool
  default     = false
  description = "When true, destroying this module cancels the subscription (POST .../Microsoft.Subscription/cancel, retried for up to 60 minutes while Azure answers ResourcesExistingOnSubscription). When false (the default) destroying never cancels: the subscription stays active. Fix it when the subscription is vended: switching it from true to false on an existing subscription removes the destroy-time action, and removing it runs the cancellation."
  nullable    = false
}

variable "requested_by" {
  type        = string
  description = "Email address of the requester, recorded in the vending-requested-by tag."
  nullable    = false

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.requested_by)) && length(var.requested_by) <= 256
    error_message = "requested_by must be an email address of at most 256 characters."
  }
}

variable "ticket" {
  type        = string
  default     = null
  description = "Change reference (free text, at most 128 characters), recorded in the vending-ticket tag when given."

  validation {
    condition     = var.ticket == null || try(length(var.ticket) <= 128 && !can(regex("[\\x00-\\x1f\\x7f]", var.ticket)), false)
    error_message = "ticket must be at most 128 characters without control characters."
  }
}

variable "rbac_propagation_wait" {
  type        = string
  default     = "60s"
  description = "Pause after a new subscription is created before anything else is done in it, so that the creator's access has propagated (Go duration). Not applied when adopting an existing subscription."
  nullable    = false

  validation {
    condition     = can(regex("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$", var.rbac_propagation_wait))
    error_message = "rbac_propagation_wait must be a Go duration such as 60s or 2m."
  }
}
