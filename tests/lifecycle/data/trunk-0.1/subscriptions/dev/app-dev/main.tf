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
    secret_suffix     = "app-dev"
    namespace         = "flux-system"
    in_cluster_config = true
  }
}

provider "azapi" {}

module "subscription" {
  source                     = "git::https://github.com/example/vending//modules/subscription?ref=v0.1.0"
  subscription_alias_name    = "app-dev"
  subscription_display_name  = "App team (dev)"
  subscription_billing_scope = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
  subscription_workload      = "DevTest"
  management_group_id        = "mg-corp-dev"
  location                   = "westeurope"
  owners = [
    {
      principal_id   = "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
      principal_type = "Group"
    },
  ]
  cancel_on_destroy = true
  requested_by      = "alice@contoso.com"
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
