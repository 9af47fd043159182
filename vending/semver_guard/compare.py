"""Classify every difference between the released interface and the current one (semver table)."""

from __future__ import annotations

from typing import Any

from vending.semver_guard.difference import MAJOR, MINOR, PATCH, Difference, Level, pair_renames
from vending.semver_guard.extract import Interface
from vending.semver_guard.schemadiff import compare_schemas
from vending.semver_guard.templates import PERMISSION_LEVELS, TEMPLATES, WORKFLOW


def compare_interfaces(old: Interface, new: Interface) -> list[Difference]:
    """Every difference from ``old`` to ``new``, most severe first."""
    found = _schema(old.schema, new.schema)
    for name in sorted(set(old.templates) | set(new.templates)):
        found += _template(name, old.templates.get(name), new.templates.get(name))
    found += _flags(old.flags, new.flags, new.cli_options)
    shared = {TEMPLATES[name] for name in set(old.templates) & set(new.templates)}
    if WORKFLOW in shared:
        found += _permissions(old.permissions, new.permissions)
    found += _environments(_within(old.environments, shared), _within(new.environments, shared))
    found += _layout(old.layout, new.layout)
    return sorted(found, key=lambda difference: (-difference.level, difference.area, difference.where))


def _schema(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    if old is None and new is None:
        return []
    if old is None or new is None:
        change, level = ("request schema added", MINOR) if old is None else ("request schema removed", MAJOR)
        return [Difference("request schema", "request", change, level)]
    return compare_schemas(old, new)


def _template(name: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    where = TEMPLATES[name]
    if old is None or new is None:
        change, level = ("template added", MINOR) if old is None else ("template removed", MAJOR)
        return [Difference("pipeline template", where, change, level)]
    return _inputs(where, old["inputs"], new["inputs"]) + _outputs(where, old["outputs"], new["outputs"])


def _inputs(template: str, old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    found: list[Difference] = []
    removed = {name: _without_description(old[name]) for name in old if name not in new}
    added = {name: _without_description(new[name]) for name in new if name not in old}
    for old_name, new_name in pair_renames(dict(removed), dict(added)):
        found.append(Difference("pipeline input", f"{template}:{old_name}", f"renamed to {new_name}", MAJOR))
        removed.pop(old_name)
        added.pop(new_name)
    found += [Difference("pipeline input", f"{template}:{name}", "removed", MAJOR) for name in sorted(removed)]
    for name in sorted(added):
        required = added[name]["required"] and "default" not in added[name]
        found.append(
            Difference(
                "pipeline input",
                f"{template}:{name}",
                "required input added" if required else "optional input added",
                MAJOR if required else MINOR,
            )
        )
    for name in sorted(set(old) & set(new)):
        found += _input(f"{template}:{name}", old[name], new[name])
    return found


def _without_description(spec: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in spec.items() if key != "description"}


def _input(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    found: list[Difference] = []

    def add(change: str, level: Level) -> None:
        found.append(Difference("pipeline input", where, change, level))

    if old["type"] != new["type"]:
        add(f"type changed from {old['type']} to {new['type']}", MAJOR)
    if old["required"] != new["required"]:
        add("became required" if new["required"] else "became optional", MAJOR if new["required"] else MINOR)
    if "default" not in old and "default" in new:
        add(f"default {new['default']!r} added", MINOR)
    elif old.get("default") != new.get("default"):
        add(f"default changed from {old['default']!r} to {new.get('default', '(none)')!r}", MAJOR)
    found += _values(where, old.get("values"), new.get("values"))
    if old.get("deprecated", False) != new.get("deprecated", False):
        add("deprecated" if new.get("deprecated") else "no longer deprecated", MINOR)
    if old["description"] != new["description"]:
        add("description changed", PATCH)
    return found


def _values(where: str, old: list[str] | None, new: list[str] | None) -> list[Difference]:
    if old == new:
        return []
    if new is None:
        return [Difference("pipeline input", where, "allowed values no longer restricted", MINOR)]
    if old is None:
        return [Difference("pipeline input", where, f"allowed values restricted to {'|'.join(new)}", MAJOR)]
    dropped = [value for value in old if value not in new]
    if dropped:
        return [
            Difference(
                "pipeline input", where, f"allowed values narrowed: {'|'.join(dropped)} no longer accepted", MAJOR
            )
        ]
    extra = [value for value in new if value not in old]
    return [Difference("pipeline input", where, f"allowed values widened: {'|'.join(extra)}", MINOR)]


def _outputs(template: str, old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    found = [
        Difference("pipeline output", f"{template}:{name}", "removed", MAJOR) for name in sorted(set(old) - set(new))
    ]
    found += [
        Difference("pipeline output", f"{template}:{name}", "added", MINOR) for name in sorted(set(new) - set(old))
    ]
    found += [
        Difference("pipeline output", f"{template}:{name}", "description changed", PATCH)
        for name in sorted(set(old) & set(new))
        if old[name] != new[name]
    ]
    return found


def _flags(
    old: dict[str, list[str]], new: dict[str, list[str]], accepted: dict[str, list[str]] | None
) -> list[Difference]:
    found: list[Difference] = []
    for command in sorted(set(old) | set(new)):
        before, after = set(old.get(command, [])), set(new.get(command, []))
        name = f"vending {command}".strip()
        for flag in sorted(before - after):
            still = accepted is not None and flag in accepted.get(command, [])
            change = "no longer passed by the templates (the CLI still accepts it)" if still else "removed"
            found.append(Difference("CLI flag", f"{name} {flag}", change, PATCH if still else MAJOR))
        found += [
            Difference("CLI flag", f"{name} {flag}", "now passed by the templates", MINOR)
            for flag in sorted(after - before)
        ]
    return found


def _permissions(old: dict[str, str], new: dict[str, str]) -> list[Difference]:
    found: list[Difference] = []
    for scope in sorted(set(old) | set(new)):
        before, after = old.get(scope, "none"), new.get(scope, "none")
        if before == after:
            continue
        raised = PERMISSION_LEVELS.get(after, 2) > PERMISSION_LEVELS.get(before, 2)
        found.append(Difference("permission", scope, f"{before} -> {after}", MAJOR if raised else MINOR))
    return found


def _environments(old: dict[str, str], new: dict[str, str]) -> list[Difference]:
    found: list[Difference] = []
    for where in sorted(set(old) | set(new)):
        before, after = old.get(where), new.get(where)
        if before == after:
            continue
        change = f"environment {before or '(none)'} -> {after or '(none)'}"
        found.append(Difference("environment", where, change, MINOR if after is None else MAJOR))
    return found


def _within(environments: dict[str, str], templates: set[str]) -> dict[str, str]:
    """Only the jobs of templates present on both sides: a new template brings its own environments."""
    return {where: value for where, value in environments.items() if where.split(":", 1)[0] in templates}


def _layout(old: dict[str, list[str]], new: dict[str, list[str]]) -> list[Difference]:
    found: list[Difference] = []
    for role in sorted(set(old) | set(new)):
        gone = sorted(set(old.get(role, [])) - set(new.get(role, [])))
        came = sorted(set(new.get(role, [])) - set(old.get(role, [])))
        if gone:
            change = f"moved to {', '.join(came)}" if came else "no longer generated"
            found += [Difference("trunk layout", f"{role}: {path}", change, MAJOR) for path in gone]
        elif came:
            found += [Difference("trunk layout", f"{role}: {path}", "new generated path", MINOR) for path in came]
    return found
