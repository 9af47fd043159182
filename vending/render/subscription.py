"""One subscription's directory: the normalized request, its root ``.tf`` and its Flux object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vending.render.backend import backend_block, backend_settings
from vending.render.flux import render_hash, terraform_object
from vending.render.inputs import MODULE_OUTPUTS, PROVIDERS, module_inputs, module_source_address
from vending.render.templating import render_template
from vending.request.model import Request
from vending.request.yamlio import dump_yaml
from vending.trunk.approvals import Approval, render_digest
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import FLUX_FILE as FLUX_FILE
from vending.trunk.layout import REQUEST_FILE as REQUEST_FILE
from vending.trunk.layout import TERRAFORM_FILE as TERRAFORM_FILE
from vending.trunk.state import Entry


@dataclass(frozen=True)
class RenderedSubscription:
    """The files of ``<env path>/<name>/`` and the data they were made from (for self-checks)."""

    name: str
    environment: str
    directory: str
    files: dict[str, str]
    inputs: dict[str, Any]
    flux_object: dict[str, Any]
    digest: str = ""
    approved_plan: str | None = None

    @property
    def flux_resource(self) -> str:
        return f"{self.name}/{FLUX_FILE}"


REQUEST_HINT = "change the request and submit it again"
CONFIG_HINT = "change vending.yaml and run 'vending check'"


def file_header(config: TrunkConfig, interface_version: str, hint: str = REQUEST_HINT) -> str:
    return (
        f"# Rendered by vending: interface {interface_version}, module {config.module.ref}.\n"
        f"# Do not edit by hand: {hint}.\n"
    )


def request_header(interface_version: str) -> str:
    """The header of ``request.yaml``: no module ref, which is trunk-wide (a module bump must not rewrite every
    request, the files whose owners review what a team asked for)."""
    return f"# Rendered by vending: interface {interface_version}.\n# Do not edit by hand: {REQUEST_HINT}.\n"


def initial_deletion(request: Request, config: TrunkConfig) -> str:
    """The deletion policy a subscription is vended with, recorded and never changed afterwards. An adopted
    subscription was created outside vending, so decommissioning it never cancels it."""
    return "retain" if request.subscription_id else config.environments[request.environment].deletion


def approvable(config: TrunkConfig, environment: str) -> bool:
    """Whether plans of the environment wait for an approval committed to the trunk: manual approval, and
    module delivery (in trunk delivery the approval's own commit would change the plan id)."""
    return config.environments[environment].approval == "manual" and config.flux.delivery == "module"


def render_subscription(
    request: Request,
    config: TrunkConfig,
    interface_version: str,
    deletion: str | None = None,
    approval: Approval | None = None,
) -> RenderedSubscription:
    """Render the files for one valid request whose environment exists in ``config``. ``deletion`` is the
    policy recorded when the subscription was vended (default: the environment's, for a new one). The
    object carries ``approval``'s plan id only when the approval was given for exactly this render."""
    env = config.environments[request.environment]
    policy = deletion or initial_deletion(request, config)
    inputs = module_inputs(request, env, policy)
    kind, settings = backend_settings(request.name, request.environment, config)
    custom_backend = None if kind == "kubernetes" else backend_block(kind, settings)
    header = file_header(config, interface_version)
    directory = f"{env.path}/{request.name}"
    normalized = request.normalized(env.workload)
    request_text = dump_yaml(normalized, request_header(interface_version))
    terraform_text = render_root_module(inputs, config, kind, settings, header)
    facts_text = Entry.from_request(request, default_workload=env.workload, deletion=policy).facts_text()
    rendered_hash = render_hash((request_text, terraform_text, facts_text))
    args = (request.name, request.environment, config, inputs, custom_backend, interface_version, policy)
    flux = terraform_object(*args, rendered_hash)
    pinned = f"{config.module.ref}@{config.module.commit}" if config.module.commit else config.module.ref
    digest = render_digest(normalized, flux["spec"], pinned)
    approved = approval.plan_id if approval and approval.approves(digest) else None
    if approved and approvable(config, request.environment):
        flux = terraform_object(*args, rendered_hash, approve_plan=approved)
    else:
        approved = None
    files = {
        f"{directory}/{REQUEST_FILE}": request_text,
        f"{directory}/{TERRAFORM_FILE}": terraform_text,
        f"{directory}/{FLUX_FILE}": dump_yaml(flux, header),
    }
    return RenderedSubscription(request.name, request.environment, directory, files, inputs, flux, digest, approved)


def render_root_module(
    inputs: dict[str, Any], config: TrunkConfig, backend_type: str, backend: dict[str, object], header: str
) -> str:
    """The subscription's Terraform root configuration: providers, backend, the pinned module call."""
    module_args = {"source": module_source_address(config), **inputs}
    return render_template(
        "main.tf.j2",
        header=header,
        providers=sorted(PROVIDERS.items()),
        backend_type=backend_type,
        backend=backend,
        module_args=module_args,
        outputs=MODULE_OUTPUTS,
    )
