"""The whole layout as a checkout holds it, for ``vending check``: the 0.x indexes a migration reads, the
tombstones, and the files present in the shard and network folders (to find the ones nothing derives)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vending.errors import Finding, InputError
from vending.trunk import safe_read
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import DECOMMISSIONED_DIR, NETWORKS_DIR, SHARDS_DIR
from vending.trunk.state import json_text, paths_of, shard_of


@dataclass(frozen=True)
class Tombstone:
    environment: str
    name: str
    data: Mapping[str, Any]
    legacy: bool = False


@dataclass(frozen=True)
class Survey:
    """What a check reads besides the subscriptions' folders."""

    legacy_indexes: tuple[str, ...] = ()
    legacy_policies: Mapping[str, str] = field(default_factory=dict)
    tombstones: tuple[Tombstone, ...] = ()
    layout_files: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    def tombstone_files(self, config: TrunkConfig) -> dict[str, str]:
        """The 0.x index's tombstones at their place in the current layout: the migration writes them."""
        return {
            paths_of(config, t.environment).tombstone(t.name): json_text(t.data) for t in self.tombstones if t.legacy
        }


def survey(root: Path, config: TrunkConfig) -> Survey:
    legacy, policies, tombstones, layout, findings = [], {}, [], [], []
    for env in sorted(config.environments):
        paths = paths_of(config, env)
        index = root / paths.legacy_index()
        if index.is_file():
            legacy.append(paths.legacy_index())
            found, more, problems = _legacy_index(index, paths.legacy_index(), env)
            policies.update(found)
            tombstones += more
            findings += problems
        found_tombs, problems = _tombstones(root, paths.root, env)
        tombstones += found_tombs
        findings += problems
        layout += _files_under(root, f"{paths.root}/{SHARDS_DIR}") + _files_under(root, f"{paths.root}/{NETWORKS_DIR}")
    unique = {(t.environment, t.name): t for t in sorted(tombstones, key=lambda t: not t.legacy)}
    return Survey(tuple(legacy), policies, tuple(unique.values()), tuple(sorted(layout)), tuple(findings))


def _legacy_index(path: Path, source: str, env: str) -> tuple[dict[str, str], list[Tombstone], list[Finding]]:
    try:
        data = json.loads(safe_read.read_text(path.parent, path.name) or "")
        policies = {name: str(value.get("deletionPolicy", "retain")) for name, value in data["subscriptions"].items()}
        gone = [
            Tombstone(env, name, dict(value), legacy=True) for name, value in data.get("decommissioned", {}).items()
        ]
    except InputError as exc:
        return {}, [], [Finding(source, "", finding.message) for finding in exc.findings]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return {}, [], [Finding(source, "", f"cannot read the 0.x trunk index ({exc}); repair it, then migrate")]
    return policies, gone, []


def _tombstones(root: Path, env_path: str, env: str) -> tuple[list[Tombstone], list[Finding]]:
    found: list[Tombstone] = []
    problems: list[Finding] = []
    for rel in _files_under(root, f"{env_path}/{DECOMMISSIONED_DIR}"):
        name = rel.rsplit("/", 1)[1].removesuffix(".json")
        if rel != f"{env_path}/{DECOMMISSIONED_DIR}/{shard_of(name)}/{name}.json":
            problems.append(Finding(rel, "", "not a tombstone: expected <shard>/<name>.json; move or remove it"))
            continue
        try:
            data = json.loads(safe_read.read_text(root, rel) or "")
        except InputError as exc:
            problems += exc.findings
            continue
        except ValueError as exc:
            problems.append(Finding(rel, "", f"cannot read the tombstone ({exc}); repair it"))
            continue
        if not isinstance(data, dict):
            problems.append(Finding(rel, "", "cannot read the tombstone (not a JSON object); repair it"))
            continue
        found.append(Tombstone(env, name, data))
    return found, problems


def _files_under(root: Path, directory: str) -> list[str]:
    """Trunk-relative paths of the files under ``directory``, sorted."""
    base = root / directory
    if not base.is_dir():
        return []
    return sorted(
        f"{directory}/{Path(parent).relative_to(base).as_posix()}/{name}".replace("/./", "/")
        for parent, _, names in os.walk(base)
        for name in names
    )
