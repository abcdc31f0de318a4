"""Operator commands: tenants from manifests, plugins per tenant, users and roles, demo data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.auth.models import Membership, User
from core.extensions import db
from core.tenancy import PluginEnablement, Tenant, tenant_context, unscoped

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = """
slug = "cli-assoc"
name_ar = "جمعية الأوامر"
name_en = "CLI association"
founded_hijri = 1440
city = "جدة"
service_area = ["جدة"]

[contact]
phone = "0126000000"

[plugins.dummy]
enabled = true
[plugins.dummy.settings]
greeting = "ahlan"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tenants_apply_is_idempotent_and_enables_plugins(runner, app, tmp_path):
    manifest = write(tmp_path, "a.toml", MANIFEST)
    first = runner.invoke(args=["tenants", "apply", str(manifest)])
    assert first.exit_code == 0, first.output
    assert "cli-assoc: created" in first.output
    second = runner.invoke(args=["tenants", "apply", str(tmp_path)])
    assert second.exit_code == 0 and "cli-assoc: unchanged" in second.output
    with app.app_context():
        tenant = db.session.execute(db.select(Tenant)).scalar_one()
        with tenant_context(tenant):
            row = db.session.execute(db.select(PluginEnablement)).scalar_one()
        assert (tenant.city, row.enabled, row.settings["greeting"]) == ("جدة", True, "ahlan")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ('colour = "green"\n', "colour"),
        ("[plugins.nonexistent]\nenabled = true\n", "plugins.nonexistent"),
        (
            "[plugins.dummy]\nenabled = true\n[plugins.dummy.settings]\nceiling = -5\n",
            "plugins.dummy.settings",
        ),
    ],
)
def test_tenants_apply_validates_every_file_first_and_writes_nothing(runner, app, tmp_path, extra, expected):
    good = MANIFEST.replace("cli-assoc", "good-one").split("[plugins.dummy]")[0]
    write(tmp_path, "1-good.toml", good)
    bad = 'slug = "bad-one"\nname_ar = "سيئة"\nname_en = "Bad"\n' + extra
    write(tmp_path, "2-bad.toml", bad)
    result = runner.invoke(args=["tenants", "apply", str(tmp_path)])
    assert result.exit_code == 1
    assert expected in result.output and "2-bad.toml" in result.output
    with app.app_context():
        assert db.session.execute(db.select(Tenant)).first() is None


def test_shipped_manifests_apply_cleanly(runner, app):
    result = runner.invoke(args=["tenants", "apply", str(ROOT / "tenants")])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["tenants", "list"]).output
    for slug in ("makkah", "aoun-prisoners", "alhasa-prisoners", "aoun-victims", "esrar"):
        assert slug in listed


def test_plugins_enable_disable_and_list(runner, app, tenant):
    assert "dummy" in runner.invoke(args=["plugins", "list"]).output
    result = runner.invoke(
        args=["plugins", "enable", "dummy", "--tenant", "first", "--settings", '{"ceiling": 3}']
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["plugins", "disable", "dummy", "--tenant", "first"])
    assert result.exit_code == 0
    with app.app_context(), tenant_context(db.session.merge(tenant)):
        row = db.session.execute(db.select(PluginEnablement)).scalar_one()
        assert (row.enabled, row.settings["ceiling"]) == (False, 3)


@pytest.mark.parametrize(
    "args, message",
    [
        (["plugins", "enable", "nope", "--tenant", "first"], "Unknown plugin"),
        (["plugins", "enable", "dummy", "--tenant", "nowhere"], "No tenant"),
        (["plugins", "enable", "dummy", "--tenant", "first", "--settings", "{bad"], "not valid JSON"),
        (["plugins", "enable", "dummy", "--tenant", "first", "--settings", '{"ceiling": "x"}'], "ceiling"),
    ],
)
def test_plugins_enable_refuses_bad_input_and_saves_nothing(runner, app, tenant, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output
    with app.app_context(), tenant_context(db.session.merge(tenant)):
        assert db.session.execute(db.select(PluginEnablement)).first() is None


def test_users_create_and_grant(runner, app, tenant):
    created = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Boss@Example.org",
            "--password",
            "long-enough-pw",
            "--platform-admin",
        ]
    )
    assert created.exit_code == 0, created.output
    granted = runner.invoke(
        args=["users", "grant", "--email", "boss@example.org", "--tenant", "first", "--role", "auditor"]
    )
    assert granted.exit_code == 0, granted.output
    bad_role = runner.invoke(
        args=["users", "grant", "--email", "boss@example.org", "--tenant", "first", "--role", "king"]
    )
    assert bad_role.exit_code == 1
    short = runner.invoke(args=["users", "create", "--email", "x@example.org", "--password", "short"])
    assert short.exit_code == 1 and "password" in short.output
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == "boss@example.org")).scalar_one()
        assert user.is_platform_admin
        with unscoped("test: the membership users grant wrote"):
            assert db.session.execute(db.select(Membership.roles)).scalar_one() == ["auditor"]


def test_demo_load_is_idempotent_and_prints_logins(runner, app):
    runner.invoke(args=["tenants", "apply", str(ROOT / "tenants")])
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@platform.example.org" in first.output
    with app.app_context():
        users = db.session.execute(db.select(db.func.count(User.id))).scalar_one()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == users


def test_settings_json_must_be_an_object(runner, app, tenant):
    result = runner.invoke(
        args=["plugins", "enable", "dummy", "--tenant", "first", "--settings", json.dumps([1])]
    )
    assert result.exit_code == 1
