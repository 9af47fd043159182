"""Handlers: tenant and billing account subscription policies, and the operations list."""

from __future__ import annotations

import uuid
from typing import Any

from vending.emulator import views
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    Context,
    bad_request,
    body_object,
    not_found,
    ok,
)

POLICY_FLAGS = {
    "blockSubscriptionsLeavingTenant": "block_subscriptions_leaving_tenant",
    "blockSubscriptionsIntoTenant": "block_subscriptions_into_tenant",
}


def get_tenant_policy(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(views.tenant_policy_json(ctx.state.tenant_policy))


def list_tenant_policies(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok({"value": [views.tenant_policy_json(ctx.state.tenant_policy)]})


def _principals(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise bad_request("InvalidParameter", "exemptedPrincipals must be a list of object ids.")
    try:
        return [str(uuid.UUID(str(item))) for item in value]
    except ValueError as error:
        raise bad_request("InvalidParameter", "exemptedPrincipals must hold GUIDs.") from error


def put_tenant_policy(ctx: Context, request: ApiRequest) -> ApiResponse:
    body = body_object(request)
    policy = ctx.state.tenant_policy
    for field_name, attribute in POLICY_FLAGS.items():
        if field_name in body:
            if not isinstance(body[field_name], bool):
                raise bad_request("InvalidParameter", f"{field_name} must be true or false.")
            setattr(policy, attribute, body[field_name])
    if "exemptedPrincipals" in body:
        policy.exempted_principals = _principals(body["exemptedPrincipals"])
    return ok(views.tenant_policy_json(policy))


def get_billing_account_policy(ctx: Context, request: ApiRequest) -> ApiResponse:
    account = request.params["account"]
    policy = ctx.state.billing_accounts.get(account.lower())
    if policy is None:
        raise not_found("BillingAccountNotFound", f"The billing account '{account}' was not found.")
    return ok(
        {
            "id": f"/providers/Microsoft.Billing/billingAccounts/{account}"
            "/providers/Microsoft.Subscription/policies/default",
            "name": "default",
            "type": "Microsoft.Subscription/policies",
            "properties": {
                "serviceTenants": [dict(tenant) for tenant in policy.service_tenants],
                "allowTransfers": policy.allow_transfers,
            },
        }
    )


def list_operations(ctx: Context, request: ApiRequest) -> ApiResponse:
    operations = [
        ("Microsoft.Subscription/aliases/write", "Aliases", "Create a subscription alias"),
        ("Microsoft.Subscription/aliases/read", "Aliases", "Read subscription aliases"),
        ("Microsoft.Subscription/cancel/action", "Subscriptions", "Cancel a subscription"),
        ("Microsoft.Subscription/rename/action", "Subscriptions", "Rename a subscription"),
        ("Microsoft.Subscription/enable/action", "Subscriptions", "Enable a subscription"),
    ]
    value = [
        {
            "name": name,
            "isDataAction": False,
            "display": {"provider": "Microsoft Subscription", "resource": resource, "operation": text},
        }
        for name, resource, text in operations
    ]
    return ok({"value": value})
