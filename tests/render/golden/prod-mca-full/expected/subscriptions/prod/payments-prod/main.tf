# Rendered by vending: interface 0.1.0, module v0.1.0.
# Do not edit by hand: change the request and submit it again.

terraform {
  required_version = ">= 1.6"

  required_providers {
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.2"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.12"
    }
  }

  backend "kubernetes" {
    secret_suffix     = "payments-prod"
    namespace         = "flux-system"
    in_cluster_config = true
  }
}

provider "azapi" {}

module "subscription" {
  source                     = "git::https://github.com/example/vending//modules/subscription?ref=v0.1.0"
  subscription_alias_name    = "payments-prod"
  subscription_display_name  = "Payments \"core\" (prod) \u0024{var.x} #1"
  subscription_billing_scope = "/providers/Microsoft.Billing/billingAccounts/contoso-mca/billingProfiles/bp1/invoiceSections/is1"
  subscription_workload      = "Production"
  management_group_id        = "mg-corp-prod"
  location                   = "swedencentral"
  owners = [
    {
      principal_id   = "0f8fad5b-d9cb-469f-a165-70867728950e"
      principal_type = "Group"
    },
    {
      principal_id   = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
      principal_type = "ServicePrincipal"
    },
  ]
  role_assignments = [
    {
      principal_id   = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
      role           = "Reader"
      principal_type = "Group"
    },
    {
      principal_id = "9a7b3c2d-1e0f-4a5b-8c7d-6e5f4a3b2c1d"
      role         = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
    },
  ]
  tags = {
    "cost center (EU)" = "12.50"
    costCenter         = "4711"
    enabled            = "no"
    note               = "line one\nline two: \u0025{ if true }x\u0025{ endif } \\ done"
    owner              = "payments-team"
  }
  budget = {
    amount         = 25000.5
    time_grain     = "Monthly"
    thresholds     = [50, 80.5, 100]
    contact_emails = ["payments-finops@contoso.com", "cfo@contoso.com"]
  }
  network = {
    address_space = ["10.20.0.0/22", "172.16.4.0/24"]
    hub_peering   = true
  }
  hub_network_resource_id = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"
  resource_providers      = ["Microsoft.ContainerService", "Microsoft.KeyVault"]
  cancel_on_destroy       = false
  requested_by            = "bob.o'neil+finops@contoso.com"
  ticket                  = "CHG-42: approved by CAB"
}

output "subscription_id" {
  value = module.subscription.subscription_id
}

output "subscription_resource_id" {
  value = module.subscription.subscription_resource_id
}

output "management_group_id" {
  value = module.subscription.management_group_id
}
