"""Checks every discovered plugin must pass (parametrised, so a new plugin is checked too)."""

from __future__ import annotations

import pytest

from core.plugins import check_metadata, check_migrations
from tests.fixtures import make_app


def _plugins():
    import os

    app = make_app(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    return sorted(app.extensions["charity_plugins"].plugins.values(), key=lambda p: p.id)


@pytest.mark.parametrize("plugin", _plugins(), ids=lambda p: p.id)
def test_plugin_metadata_settings_and_migrations(plugin):
    check_metadata(plugin.meta)
    assert plugin.meta.name_ar and plugin.meta.name_en
    assert isinstance(plugin.default_settings(), dict)
    check_migrations(plugin)


def test_plugin_migration_without_its_branch_label_is_refused(tmp_path):
    import types

    from core.plugins import LoadedPlugin, PluginError, PluginMeta

    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "x_0001.py").write_text("revision = 'x_0001'\ndown_revision = None\nbranch_labels = None\n")
    meta = PluginMeta(id="xplug", name_ar="س", name_en="X", version="1")
    plugin = LoadedPlugin(meta=meta, module=types.ModuleType("xplug"), source="extra", path=tmp_path)
    with pytest.raises(PluginError, match="branch_labels"):
        check_migrations(plugin)
    (versions / "x_0001.py").write_text(
        "revision = 'x_0001'\ndown_revision = None\nbranch_labels = ('xplug',)\ndepends_on = 'core_0001'\n"
    )
    check_migrations(plugin)
