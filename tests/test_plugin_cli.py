"""A plugin's commands live under ``flask <plugin_id> …`` (the ``register_commands`` contract)."""

from __future__ import annotations

import pytest

from core.plugins import PluginError
from tests.fixtures import make_app


def test_bare_commands_of_a_plugin_are_filed_under_its_id(runner):
    result = runner.invoke(args=["dummy", "greet"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "marhaba"
    assert runner.invoke(args=["greet"]).exit_code != 0  # not a top-level command


def test_a_plugin_group_named_after_its_id_is_kept(runner):
    result = runner.invoke(args=["makkah_aid", "--help"])
    assert result.exit_code == 0, result.output
    assert "tick" in result.output


def test_a_plugin_group_under_another_name_stops_the_app_at_start_up(database_url):
    with pytest.raises(PluginError, match=r"'stray_cli'.*'elsewhere'.*flask stray_cli"):
        make_app(database_url, CHARITY_EXTRA_PLUGINS=["tests.plugins.dummy", "tests.plugins.stray_cli"])
