"""A plugin that breaks the CLI contract: it returns a top-level group not named after its id
(``tests/test_plugin_cli.py`` checks that the app refuses to start with it)."""

from __future__ import annotations

from flask.cli import AppGroup

from core.toolkit import PluginMeta, hookimpl

PLUGIN = PluginMeta(id="stray_cli", name_ar="أوامر شاردة", name_en="Stray commands", version="1.0.0")

elsewhere = AppGroup("elsewhere", help="A group outside the plugin's namespace.")


@elsewhere.command("hello")
def hello() -> None:
    """Say hello."""


@hookimpl
def register_commands():
    return [elsewhere]
