"""Distributable tables (``tenant_id`` in their keys) and a namespaced CLI (``flask <plugin_id> …``)."""

from __future__ import annotations

from collections.abc import Iterator

import click
from flask import Flask

from core.extensions import db
from core.plugins import get_host
from core.tenancy import distribution


def plugin_tables(plugin_id: str) -> list[str]:
    return sorted(name for name in db.metadata.tables if name.startswith(plugin_id + "_"))


def table_problems(plugin_id: str) -> list[str]:
    """:func:`core.tenancy.distribution.problems` about the plugin's tables, and a plugin table
    that is not distributed by ``tenant_id`` (a plugin keeps no platform tables)."""
    tables = set(plugin_tables(plugin_id))
    found = [p for p in distribution.problems(db.metadata) if p.split(":", 1)[0] in tables]
    kinds = distribution.classification(db.metadata)
    found += [
        f"{name}: {kinds[name]} table — a plugin's tables are tenant tables (TenantMixin)"
        for name in sorted(tables)
        if kinds[name] != distribution.DISTRIBUTED
    ]
    return found


def _callback_modules(command: click.Command) -> Iterator[str]:
    callback = getattr(command, "callback", None)
    if callback is not None:
        yield getattr(callback, "__module__", "") or ""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _callback_modules(sub)


def cli_problems(app: Flask, plugin_id: str) -> list[str]:
    """Commands of the plugin (callbacks defined in its package) outside ``flask <plugin_id>``."""
    plugin = get_host(app).plugins[plugin_id]
    package = plugin.module.__name__
    found = []
    for name, command in app.cli.commands.items():
        own = [m for m in _callback_modules(command) if m == package or m.startswith(package + ".")]
        if own and name != plugin_id:
            found.append(
                f"`flask {name}` runs {own[0]} code: a plugin's commands live under `flask {plugin_id}`"
            )
    return found
