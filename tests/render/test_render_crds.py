"""Every Flux object vending emits validates against the upstream CRDs (served version, unknown fields
rejected), and the project-kept schema checked on every render rejects what it should."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from render_support import GOLDEN_DIR, REPO, kustomize, vended_trunk
from testing.requests import request_data
from testing.trunks import trunk_config_data
from tooling import require_tool

from vending.render.fluxschema import flux_schema_problems
from vending.render.subscription import render_subscription
from vending.render.trunkfiles import derived_files
from vending.request.model import Request
from vending.trunk.config import TrunkConfig
from vending.version import INTERFACE_VERSION

FLUX_GROUPS = ("infra.contrib.fluxcd.io", "source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io")
METADATA_KEYS = {"name", "namespace", "labels", "annotations"}
CONFIG_VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "trunk-delivery": {
        "flux": {"delivery": "trunk", "workloadIdentity": False},
        "environments": {"dev": {"deletion": "retain"}},
    },
    "private-sources": {
        "flux": {"trunkUrl": "ssh://git@github.com/example/subscriptions", "moduleSecret": "module-auth"},
        "module": {"commit": "0123456789abcdef0123456789abcdef01234567"},
        "environments": {"prod": {"interval": "6h", "driftDetection": False}},
    },
    "azurerm": {
        "state": {
            "backend": "azurerm",
            "azurerm": {"resourceGroup": "rg-state", "storageAccount": "stvending", "container": "tfstate"},
        }
    },
    "scp-module-url": {"module": {"url": "git@github.com:example/vending.git", "ref": "v1.2.3"}},
}


def crd_dir() -> Path:
    configured = os.environ.get("VENDING_SHARED_DIR")
    return (Path(configured) if configured else REPO.parent / "shared") / "crds"


@pytest.fixture(scope="module")
def crds() -> Path:
    directory = crd_dir()
    if not directory.is_dir() or not list(directory.glob("*.yaml")):
        message = f"upstream CRDs not found in {directory} (set VENDING_SHARED_DIR)"
        if os.environ.get("VENDING_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return directory


def strict(schema: Any) -> Any:
    """A copy of an OpenAPI schema with ``additionalProperties: false`` wherever ``properties`` is given,
    except where Kubernetes keeps unknown fields."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: strict(value) for key, value in schema.items()}
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        result["additionalProperties"] = False
    return result


@cache
def _validators(directory: Path) -> dict[tuple[str, str], Draft7Validator]:
    validators: dict[tuple[str, str], Draft7Validator] = {}
    for path in sorted(directory.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = crd["spec"]
        for version in spec["versions"]:
            if version.get("served"):
                api = f"{spec['group']}/{version['name']}"
                schema = strict(copy.deepcopy(version["schema"]["openAPIV3Schema"]))
                validators[(api, spec["names"]["kind"])] = Draft7Validator(schema)
    return validators


def crd_problems(directory: Path, document: dict[str, Any]) -> list[str]:
    validator = _validators(directory).get((document["apiVersion"], document["kind"]))
    if validator is None:
        return [f"no served CRD version for {document['apiVersion']} {document['kind']}"]
    problems = [
        f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(document)
    ]
    metadata = document.get("metadata", {})
    problems += [f"metadata.{key}: not an ObjectMeta field" for key in set(metadata) - METADATA_KEYS]
    for key in ("labels", "annotations"):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.get(key, {}).items()):
            problems.append(f"metadata.{key}: keys and values must be strings")
    return problems


def _fleet(config: TrunkConfig) -> Iterator[tuple[str, dict[str, Any]]]:
    requests = [
        request_data("app-dev", "dev", tags={"a": "no", "b": "0o17"}),
        request_data(
            "payments-prod",
            "prod",
            managementGroup="mg-corp-prod",
            budget={"amount": 10, "timeGrain": "Annually", "thresholds": [50, 100], "contactEmails": ["f@contoso.com"]},
            network={"addressSpace": ["10.2.0.0/24"], "hubPeering": False},
            roleAssignments=[{"principalId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "role": "Reader"}],
        ),
    ]
    for data in requests:
        rendered = render_subscription(Request.model_validate(data), config, INTERFACE_VERSION)
        for path, text in rendered.files.items():
            if path.endswith("terraform.yaml"):
                yield path, yaml.safe_load(text)


def _derived(config: TrunkConfig) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, text in derived_files(config, INTERFACE_VERSION).items():
        if path.endswith(".yaml"):
            document = yaml.safe_load(text)
            if document["apiVersion"].split("/")[0] in FLUX_GROUPS:
                yield path, document


def emitted_objects() -> list[tuple[str, dict[str, Any]]]:
    objects: list[tuple[str, dict[str, Any]]] = []
    for variant, overrides in CONFIG_VARIANTS.items():
        config = TrunkConfig.model_validate(trunk_config_data(overrides))
        objects += [(f"{variant}:{path}", doc) for path, doc in (*_fleet(config), *_derived(config))]
    for path in sorted(GOLDEN_DIR.glob("*/expected/**/terraform.yaml")):
        objects.append((f"golden:{path.relative_to(GOLDEN_DIR)}", yaml.safe_load(path.read_text(encoding="utf-8"))))
    return objects


OBJECTS = emitted_objects()


def test_every_kind_is_covered() -> None:
    kinds = {(doc["kind"], doc["spec"].get("path", "").startswith("./subscriptions")) for _, doc in OBJECTS}
    assert {("Terraform", False), ("Terraform", True), ("GitRepository", False), ("Kustomization", True)} <= kinds


@pytest.mark.parametrize(("where", "document"), OBJECTS, ids=[where for where, _ in OBJECTS])
def test_emitted_object_matches_upstream_crd(crds: Path, where: str, document: dict[str, Any]) -> None:
    assert crd_problems(crds, document) == []
    assert flux_schema_problems(document) == []


def test_upstream_check_rejects_unknown_fields_and_keeps_preserved_ones(crds: Path) -> None:
    document = copy.deepcopy(dict(OBJECTS[0][1]))
    assert document["kind"] == "Terraform"
    document["spec"]["vars"].append({"name": "anything", "value": {"nested": [1, {"x": None}]}})
    assert crd_problems(crds, document) == []
    document["spec"]["approvePlan"] = "auto"
    document["spec"]["backendConfig"]["secretSufix"] = "typo"
    document["spec"]["writeOutputsToSecret"]["extra"] = True
    problems = crd_problems(crds, document)
    assert any("secretSufix" in p for p in problems) and any("extra" in p for p in problems)


def test_upstream_check_rejects_a_bad_enum_and_missing_required(crds: Path) -> None:
    document = copy.deepcopy(dict(OBJECTS[0][1]))
    document["spec"]["storeReadablePlan"] = "yes"
    del document["spec"]["sourceRef"]["kind"]
    problems = crd_problems(crds, document)
    assert any(p.startswith("spec.storeReadablePlan") for p in problems)
    assert any("'kind' is a required property" in p for p in problems)


@pytest.mark.parametrize(
    ("pointer", "value", "expected"),
    [
        (("spec", "unknownField"), 1, "Additional properties are not allowed ('unknownField'"),
        (("spec", "interval"), "10 minutes", "spec.interval"),
        (("spec", "retryInterval"), "1d", "spec.retryInterval"),
        (("spec", "approvePlan"), "plan-main-12", "spec.approvePlan"),
        (("metadata", "uid"), "x", "metadata: Additional properties"),
    ],
)
def test_project_schema_rejects(pointer: tuple[str, str], value: Any, expected: str) -> None:
    document = copy.deepcopy(dict(OBJECTS[0][1]))
    document[pointer[0]][pointer[1]] = value
    problems = flux_schema_problems(document)
    assert any(expected in problem for problem in problems), problems


def test_project_schema_rejects_bad_kustomization_and_gitrepository() -> None:
    by_kind = {doc["kind"]: copy.deepcopy(doc) for _, doc in OBJECTS if doc["kind"] != "Terraform"}
    by_kind["Kustomization"]["spec"]["interval"] = "5 m"
    by_kind["GitRepository"]["spec"]["ref"]["commit"] = "abc"
    assert any("spec.interval" in p for p in flux_schema_problems(by_kind["Kustomization"]))
    assert any("commit" in p for p in flux_schema_problems(by_kind["GitRepository"]))


def test_kustomize_built_objects_match_upstream_crds(crds: Path, tmp_path: Path) -> None:
    """The objects as the cluster receives them from ``kubectl kustomize`` (when kubectl exists)."""
    kubectl = require_tool("kubectl")
    trunk = vended_trunk(tmp_path)
    for directory in (
        "subscriptions/dev",
        "subscriptions/prod",
        "clusters/main/vending",
        "clusters/main/vending/sources",
    ):
        for document in kustomize(kubectl, trunk / directory):
            assert crd_problems(crds, document) == [], (directory, document["metadata"]["name"])
