"""A click group whose commands are imported when first used, so start-up pays only for click.

Each command is named in a table as ``"module:attribute"`` with its short help; ``vending --help``
lists the table without importing any command, and ``vending validate ...`` imports only
``validate``'s module (which in turn imports its heavy dependencies only when it runs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives and its short help (kept here so that listing imports nothing)."""

    target: str
    short_help: str

    def load(self) -> click.Command:
        module_name, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's ``commands`` mapping: names are known at once, commands are imported on access."""

    def __init__(self, table: Mapping[str, LazyCommand], prepare: Callable[[click.Command], None]) -> None:
        self._table = dict(table)
        self._loaded: dict[str, click.Command] = {}
        self._prepare = prepare

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            command = self._table[name].load()
            self._prepare(command)
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._prepare(command)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._table.pop(name, None)
        self._loaded.pop(name)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._table, *self._loaded]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._table, *self._loaded]))

    def __contains__(self, name: object) -> bool:
        return name in self._table or name in self._loaded

    def short_help(self, name: str, limit: int) -> str:
        """The listing's text for ``name``, from the table unless the command is already loaded."""
        if name in self._loaded or name not in self._table:
            return self[name].get_short_help_str(limit)
        return click.Command(name, help=self._table[name].short_help).get_short_help_str(limit)


class LazyGroup(click.Group):
    """A ``click.Group`` over a table of :class:`LazyCommand`; ``prepare`` runs on each loaded command."""

    def __init__(
        self,
        *args: Any,
        lazy_commands: Mapping[str, LazyCommand],
        prepare: Callable[[click.Command], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = LazyCommands(lazy_commands, prepare)
        self.commands = self.lazy

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self.lazy.short_help(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
