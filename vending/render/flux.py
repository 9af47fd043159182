"""Flux objects as plain data: per-subscription ``Terraform`` objects and the trunk's skeleton."""

from __future__ import annotations

import hashlib
from typing import Any

from vending.render.inputs import MODULE_OUTPUTS
from vending.trunk.config import Environment, TrunkConfig
from vending.trunk.layout import FACTS_FILE, RENDER_HASH_ANNOTATION, REQUEST_FILE, TERRAFORM_FILE

TERRAFORM_API = "infra.contrib.fluxcd.io/v1alpha2"
GITREPOSITORY_API = "source.toolkit.fluxcd.io/v1"
KUSTOMIZATION_API = "kustomize.toolkit.fluxcd.io/v1"
KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1"
PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune"
TOKEN_FILE = "/var/run/secrets/azure/tokens/azure-identity-token"  # noqa: S105 - a path, not a secret
LABEL_PREFIX = "vending.dev"
RENDER_HASH_FILES = (REQUEST_FILE, TERRAFORM_FILE, FACTS_FILE)
"""The files of a subscription's folder that its render hash covers, in this order: everything the Flux
object is made from, and nothing that holds the hash itself."""


def render_hash(texts: tuple[str, ...]) -> str:
    """The digest of a subscription's rendered files (:data:`RENDER_HASH_FILES`, in order): ``sha256:`` and
    the first 16 hex digits. The same texts give the same hash on every machine."""
    digest = hashlib.sha256()
    for name, text in zip(RENDER_HASH_FILES, texts, strict=True):
        digest.update(f"{name}\0{len(text.encode('utf-8'))}\0".encode())
        digest.update(text.encode("utf-8"))
    return f"sha256:{digest.hexdigest()[:16]}"


def terraform_object(
    name: str,
    environment: str,
    config: TrunkConfig,
    inputs: dict[str, Any],
    backend_block: str | None,
    interface_version: str,
    deletion: str,
    digest: str,
    approve_plan: str | None = None,
) -> dict[str, Any]:
    """The Flux ``Terraform`` object that plans and applies one subscription; ``digest`` is the
    :func:`render_hash` of the files rendered beside it. ``approve_plan``: the full plan id an approval
    (still valid for this render) approves, in an environment with manual approval."""
    env = config.environments[environment]
    metadata: dict[str, Any] = {
        "name": name,
        "namespace": config.flux.namespace,
        "labels": {"app.kubernetes.io/managed-by": "vending", f"{LABEL_PREFIX}/environment": environment},
        "annotations": {**_annotations(deletion, config, interface_version), RENDER_HASH_ANNOTATION: digest},
    }
    spec: dict[str, Any] = {
        "interval": env.interval,
        "retryInterval": config.flux.retry_interval,
        "path": _source_path(name, env, config),
        "sourceRef": _source_ref(config),
    }
    if env.approval == "auto":
        spec["approvePlan"] = "auto"
    elif approve_plan is not None:
        spec["approvePlan"] = approve_plan
    spec["destroyResourcesOnDeletion"] = deletion == "cancel"
    spec["storeReadablePlan"] = "human"
    if not env.drift_detection:
        spec["disableDriftDetection"] = True
    spec["serviceAccountName"] = config.flux.service_account
    spec["backendConfig"] = _backend_config(name, backend_block)
    if config.flux.delivery == "module":
        spec["vars"] = [{"name": key, "value": value} for key, value in inputs.items()]
    spec["writeOutputsToSecret"] = {"name": f"{name}-outputs", "outputs": list(MODULE_OUTPUTS)}
    if config.flux.workload_identity:
        spec["runnerPodTemplate"] = _runner_pod()
    return {"apiVersion": TERRAFORM_API, "kind": "Terraform", "metadata": metadata, "spec": spec}


def _annotations(deletion: str, config: TrunkConfig, interface_version: str) -> dict[str, str]:
    annotations = {
        f"{LABEL_PREFIX}/interface-version": interface_version,
        f"{LABEL_PREFIX}/module-ref": config.module.ref,
        f"{LABEL_PREFIX}/deletion-policy": deletion,
    }
    if deletion == "retain":
        annotations[PRUNE_ANNOTATION] = "disabled"
    return annotations


def _source_path(name: str, env: Environment, config: TrunkConfig) -> str:
    if config.flux.delivery == "trunk":
        return f"./{env.path}/{name}"
    return f"./{config.module.path}"


def _source_ref(config: TrunkConfig) -> dict[str, str]:
    source = config.flux.trunk_source if config.flux.delivery == "trunk" else config.flux.module_source
    return {"kind": "GitRepository", "name": source, "namespace": config.flux.namespace}


def _backend_config(name: str, backend_block: str | None) -> dict[str, Any]:
    if backend_block is None:
        return {"secretSuffix": name, "inClusterConfig": True}
    return {"customConfiguration": backend_block}


def _runner_pod() -> dict[str, Any]:
    return {
        "metadata": {"labels": {"azure.workload.identity/use": "true"}},
        "spec": {
            "env": [
                {"name": "ARM_USE_OIDC", "value": "true"},
                {"name": "ARM_OIDC_TOKEN_FILE_PATH", "value": TOKEN_FILE},
            ]
        },
    }


def environment_kustomization(resources: list[str]) -> dict[str, Any]:
    """``subscriptions/<env>/kustomization.yaml``: the environment's objects, sorted."""
    return {"apiVersion": KUSTOMIZE_API, "kind": "Kustomization", "resources": sorted(resources)}


def git_repository(
    name: str,
    namespace: str,
    url: str,
    interval: str,
    tag: str | None,
    branch: str | None = None,
    secret: str | None = None,
    *,
    commit: str | None = None,
    ignore: str | None = None,
) -> dict[str, Any]:
    """A Flux ``GitRepository``: a tag (with its commit when pinned, which then wins) or a branch."""
    ref: dict[str, str] = {"tag": tag} if tag else {"branch": branch or "main"}
    if commit:
        ref["commit"] = commit
    spec: dict[str, Any] = {"interval": interval, "url": url, "ref": ref}
    if secret:
        spec["secretRef"] = {"name": secret}
    if ignore:
        spec["ignore"] = ignore
    return {
        "apiVersion": GITREPOSITORY_API,
        "kind": "GitRepository",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def module_ignore(path: str) -> str:
    """The ``.sourceignore`` rules that keep only the module's folder in the artifact (small, and a change
    elsewhere in the module repository makes no new artifact): ``/*``, then each level down to the module kept
    and its siblings dropped, so that git's and Flux's readings of the rules agree."""
    parts = path.split("/")
    lines = ["/*"]
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        lines.append(f"!/{prefix}/")
        if depth < len(parts):
            lines.append(f"/{prefix}/*")
    return "\n".join(lines) + "\n"


def flux_kustomization(
    name: str,
    namespace: str,
    source: str,
    path: str,
    interval: str,
    *,
    prune: bool,
    deletion_policy: str | None = None,
    depends_on: list[str] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "interval": interval,
        "path": f"./{path}",
        "prune": prune,
        "sourceRef": {"kind": "GitRepository", "name": source},
    }
    if deletion_policy:
        spec["deletionPolicy"] = deletion_policy
    if depends_on:
        spec["dependsOn"] = [{"name": dep} for dep in depends_on]
    return {
        "apiVersion": KUSTOMIZATION_API,
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }
