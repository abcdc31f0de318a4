"""Platform admin pages: tenants and their plugins, with field-level errors."""

from __future__ import annotations

from core.extensions import db
from core.tenancy import PluginEnablement, Tenant, tenant_context


def test_platform_admin_sees_every_tenant(client, tenant, other_tenant, create_user_, login):
    login(create_user_(platform_admin=True))
    page = client.get("/admin/").get_data(as_text=True)
    assert "first" in page and "second" in page


def test_platform_admin_creates_a_tenant_with_arabic_digits_in_the_year(client, create_user_, login, app):
    login(create_user_(platform_admin=True))
    response = client.post(
        "/admin/tenants/new",
        data={
            "slug": "noor",
            "name_ar": "جمعية النور",
            "name_en": "Noor",
            "founded_hijri": "١٤٤٠",
            "default_locale": "ar",
            "calendar_display": "hijri",
            "currency": "SAR",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        tenant = db.session.execute(db.select(Tenant).where(Tenant.slug == "noor")).scalar_one()
        assert tenant.founded_hijri == 1440 and tenant.calendar_display == "hijri"


def test_tenant_form_shows_field_errors_in_arabic_and_writes_nothing(client, create_user_, login, app):
    login(create_user_(platform_admin=True))
    response = client.post(
        "/admin/tenants/new",
        data={
            "slug": "x",
            "name_ar": "",
            "name_en": "N",
            "founded_hijri": "abc",
            "default_locale": "ar",
            "calendar_display": "both",
            "currency": "SAR",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="slug-error"' in page and 'id="founded_hijri-error"' in page
    assert "ليس عددًا صحيحًا." in page
    with app.app_context():
        assert db.session.execute(db.select(Tenant)).first() is None


def test_plugin_settings_form_validates_and_enables(client, tenant, create_user_, login, app):
    login(create_user_(platform_admin=True))
    bad = client.post(
        "/admin/tenants/first/plugins/dummy", data={"action": "enable", "settings-ceiling": "٥٠٠٠"}
    )
    assert bad.status_code == 422
    with app.app_context(), tenant_context(db.session.merge(tenant)):
        assert db.session.execute(db.select(PluginEnablement)).first() is None
    good = client.post(
        "/admin/tenants/first/plugins/dummy",
        data={"action": "enable", "settings-ceiling": "٢٥", "settings-greeting": "hello"},
    )
    assert good.status_code == 302
    with app.app_context(), tenant_context(db.session.merge(tenant)):
        row = db.session.execute(db.select(PluginEnablement)).scalar_one()
        assert row.enabled and row.settings == {"greeting": "hello", "ceiling": 25}


def test_platform_admin_cannot_open_tenant_pages_without_membership(client, tenant, create_user_, login):
    login(create_user_(platform_admin=True))
    assert client.get("/t/first/").status_code == 403
    assert client.get("/t/first/admin/users").status_code == 403
