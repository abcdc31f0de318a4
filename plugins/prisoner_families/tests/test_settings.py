"""Settings: defaults, validation (nothing saved on error), the two associations' manifests."""

from __future__ import annotations

from pathlib import Path

import pytest
from marshmallow import ValidationError

from core.testing import PluginEnablement, enabled_plugin_ids, get_tenant, set_plugin_state
from core.toolkit import db, plugin_settings, tenant_context

from .conftest import PID

ROOT = Path(__file__).resolve().parents[3]


def test_defaults_are_the_seed_values(tenant, enable_plugin):
    enable_plugin(tenant, PID)
    with tenant_context(tenant):
        settings = plugin_settings(PID)
    assert settings["follow_up_months"] == [6, 12]
    assert settings["insolvency_programs"] == ["relief_of_distress", "maouna"]
    assert settings["service_area"] == [] and settings["catalog_overrides"] == {}


@pytest.mark.parametrize(
    "settings, field",
    [
        ({"follow_up_months": []}, "follow_up_months"),
        ({"follow_up_months": [6, 6]}, "follow_up_months"),
        ({"follow_up_months": [0]}, "follow_up_months"),
        ({"catalog_overrides": {"unknown_item": {"enabled": False}}}, "catalog_overrides"),
        ({"catalog_overrides": {"eid_joy": {"unit": "tribe"}}}, "catalog_overrides"),
        ({"insolvency_programs": []}, "insolvency_programs"),
        ({"default_min_attendance_percent": 120}, "default_min_attendance_percent"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(app_ctx, tenant, settings, field):
    with pytest.raises(ValidationError) as caught:
        set_plugin_state(tenant, PID, True, settings)
    db.session.rollback()
    assert field in caught.value.messages
    with tenant_context(tenant):
        assert db.session.execute(db.select(PluginEnablement)).first() is None


def test_both_manifests_enable_the_plugin_with_different_settings(app, runner, tmp_path):
    for name in ("aoun-prisoners.toml", "alhasa-prisoners.toml"):
        (tmp_path / name).write_text((ROOT / "tenants" / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(args=["tenants", "apply", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        found = {}
        for slug in ("aoun-prisoners", "alhasa-prisoners"):
            tenant = get_tenant(slug)
            with tenant_context(tenant):
                found[slug] = plugin_settings(PID)
                assert PID in enabled_plugin_ids()
        db.session.remove()
    assert found["aoun-prisoners"]["service_area"] == ["القريات"]
    assert found["aoun-prisoners"]["follow_up_months"] == [6, 12]
    assert "الأحساء" in found["alhasa-prisoners"]["service_area"]
    assert found["alhasa-prisoners"]["follow_up_months"] == [6, 12, 24]
    assert found["alhasa-prisoners"]["catalog_overrides"]["marriage_support"]["enabled"] is False
