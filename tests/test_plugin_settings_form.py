"""The platform admin's plugin settings form is generated from the plugin's schema: labels, units,
money in riyals (halalas only in storage), one input per value, rows for lists of records, each
error beside its input, nothing written on error."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from core.extensions import db
from core.plugins import PluginEnablement, get_host
from core.tenancy import tenant_context
from scripts.request_journey import Page

SETTINGS_URL = "/admin/tenants/first/plugins/makkah_aid"


@pytest.fixture
def admin_client(client, tenant, enable_plugin, create_user_, login):
    enable_plugin(tenant, "makkah_aid")
    login(create_user_(platform_admin=True))
    return client


def _form(client, lang: str = "ar") -> tuple[Page, MultiDict]:
    page = Page("/admin/tenants/first/plugins", client.get(f"/admin/tenants/first/plugins?lang={lang}"))
    form = page.form(action_end="/plugins/makkah_aid")
    return page, MultiDict(form.fields)


def _stored(app, tenant) -> dict:
    with app.app_context(), tenant_context(db.session.merge(tenant)):
        row = db.session.execute(
            db.select(PluginEnablement).where(PluginEnablement.plugin_id == "makkah_aid")
        ).scalar_one()
        return row.settings


def test_the_settings_form_shows_labels_units_and_riyals_not_json(admin_client):
    page, data = _form(admin_client)
    assert "<textarea" not in page.html
    assert "الحد الأدنى للفجوة السنوية بين الاحتياجات والدخل" in page.html
    assert "فئات الفجوة وسقوف مساعداتها" in page.html and "أشهر" in page.html
    # 5,000 riyals, not 500000 halalas
    assert data["settings-min_gap_halalas"] == "5,000.00"
    assert data["settings-bands-1-ceiling_halalas"] == "15,000.00"
    assert '<option value="permanent" selected>تعليق خدمات الأسرة نهائيًا</option>' in page.html
    english, _ = _form(admin_client, "en")
    assert "Minimum annual gap between needs and income" in english.html and "SAR" in english.html


def test_posting_the_form_unchanged_keeps_every_setting(admin_client, app, tenant):
    plugin = get_host().plugins["makkah_aid"]
    _, data = _form(admin_client)
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    defaults = plugin.validate_settings(plugin.settings_schema().dump(plugin.default_settings()))
    assert plugin.validate_settings(_stored(app, tenant)) == defaults


def test_amounts_are_typed_in_riyals_and_stored_in_halalas(admin_client, app, tenant):
    _, data = _form(admin_client)
    data["settings-min_gap_halalas"] = "٦٠٠٠٫٥"  # Arabic-Indic digits and decimal separator
    data["settings-bands-0-ceiling_halalas"] = "9000"
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 302
    stored = _stored(app, tenant)
    assert stored["min_gap_halalas"] == 600_050
    assert stored["bands"][0]["ceiling_halalas"] == 900_000


def test_a_row_is_added_from_the_empty_row_and_removed_with_its_box(admin_client, app, tenant):
    _, data = _form(admin_client)
    data["settings-service_area-0"] = "مكة المكرمة"
    data["settings-service_area-1"] = "جدة"
    data["settings-ladder-0-_remove"] = "on"
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 302
    stored = _stored(app, tenant)
    assert stored["service_area"] == ["مكة المكرمة", "جدة"]
    assert "forged_documents" not in [item["code"] for item in stored["ladder"]]


def test_a_bad_amount_and_a_bad_row_are_shown_by_field_and_nothing_is_written(admin_client, app, tenant):
    before = _stored(app, tenant)
    _, data = _form(admin_client)
    data["settings-min_gap_halalas"] = "خمسة آلاف"
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="min_gap_halalas-error"' in html and "بالريال" in html
    assert _stored(app, tenant) == before

    _, data = _form(admin_client)
    data["settings-renewal_window_days"] = "400"
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 422
    assert 'id="renewal_window_days-error"' in response.get_data(as_text=True)
    assert _stored(app, tenant) == before

    _, data = _form(admin_client)
    data["settings-bands-1-code"] = "A"  # two bands with one code
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 422
    assert 'id="bands-error"' in response.get_data(as_text=True)
    assert _stored(app, tenant) == before


def test_a_required_field_missing_in_a_row_is_shown_beside_it(admin_client, app, tenant):
    before = _stored(app, tenant)
    _, data = _form(admin_client)
    data["settings-bands-1-label_en"] = ""
    response = admin_client.post(SETTINGS_URL, data=MultiDict([*data.items(multi=True), ("action", "save")]))
    assert response.status_code == 422
    assert 'id="bands-1-label_en-error"' in response.get_data(as_text=True)
    assert _stored(app, tenant) == before
