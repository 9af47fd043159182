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
    secret_suffix     = "billing-prod"
    namespace         = "flux-system"
    in_cluster_config = true
  }
}

provider "azapi" {}

module "subscription" {
  source                     = "git::https://github.com/example/vending//modules/subscription?ref=v0.1.0"
  subscription_alias_name    = "billing-prod"
  subscription_display_name  = "Billing (prod)"
  subscription_billing_scope = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
  subscription_workload      = "Production"
  management_group_id        = "mg-corp-prod"
  location                   = "northeurope"
  owners = [
    {
      principal_id   = "0f8fad5b-d9cb-469f-a165-70867728950e"
      principal_type = "User"
    },
  ]
  tags = {
    app = "billing"
  }
  budget = {
    amount         = 1000
    time_grain     = "Quarterly"
    thresholds     = [90]
    contact_emails = ["carol@contoso.com"]
  }
  cancel_on_destroy = false
  requested_by      = "carol@contoso.com"
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
