"""Destructive actions ask first, naming what they affect (a page of its own: no script, so it works
without JavaScript and under the CSP), and every success message says what was done."""

from __future__ import annotations

import re
from pathlib import Path

from core.extensions import db
from core.plugins import PluginEnablement
from core.requests import AidRequest
from core.requests.services import reject
from core.tenancy import tenant_context


def _enabled(app, tenant) -> bool:
    with app.app_context(), tenant_context(db.session.merge(tenant)):
        row = db.session.execute(
            db.select(PluginEnablement).where(PluginEnablement.plugin_id == "dummy")
        ).scalar_one()
        return row.enabled


def test_disabling_a_plugin_asks_first_naming_the_plugin_and_the_association(
    client, app, tenant, enable_plugin, create_user_, login
):
    enable_plugin(tenant)
    login(create_user_(platform_admin=True))
    asked = client.post("/admin/tenants/first/plugins/dummy", data={"action": "disable"})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'id="confirmation"' in page and "إضافة تجريبية" in page and "جمعية first" in page
    assert "<script" not in page.split('id="confirmation"')[1].split("</section>")[0]
    assert _enabled(app, tenant)
    # switching language on the question returns to the plugins page (the action is POST only)
    switch = re.search(r'href="(/lang/en\?next=[^"]+)"', page).group(1).replace("&amp;", "&")
    back = client.get(switch)
    assert back.status_code == 302 and back.headers["Location"].endswith("/admin/tenants/first/plugins")
    client.get("/lang/ar")

    done = client.post("/admin/tenants/first/plugins/dummy", data={"action": "disable", "confirmed": "yes"})
    assert done.status_code == 302 and not _enabled(app, tenant)
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "تم تعطيل إضافة تجريبية لدى جمعية first" in flashed


def test_saving_plugin_settings_says_which_plugin_and_association(
    client, tenant, enable_plugin, create_user_, login
):
    enable_plugin(tenant)
    login(create_user_(platform_admin=True))
    done = client.post(
        "/admin/tenants/first/plugins/dummy?lang=en",
        data={"action": "save", "settings-greeting": "hello", "settings-ceiling": "5"},
    )
    assert done.status_code == 302
    page = client.get(done.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Settings saved: Dummy plugin for Association first." in page
    assert "Saved." not in page


def test_closing_a_request_asks_first_and_names_the_request(
    client, app, tenant, staff, new_request, advance, login
):
    request = new_request()
    advance(request, "in_committee")
    reject(
        request,
        staff["committee_member"],
        reason="لا تنطبق الشروط",
        members_present=[staff["committee_member"].id],
    )
    db.session.commit()
    number = request.number
    login(staff["relations_officer"])
    asked = client.post(f"/t/first/requests/{request.id}/step/close", data={})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'id="confirmation"' in page and number in page
    with tenant_context(tenant):
        assert db.session.get(AidRequest, request.id).state == "rejected"
    done = client.post(f"/t/first/requests/{request.id}/step/close", data={"confirmed": "yes"})
    assert done.status_code == 302
    with tenant_context(tenant):
        assert db.session.get(AidRequest, request.id).state == "closed"
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert number in flashed and "تم حفظ" not in flashed


def test_excluding_or_closing_a_file_on_its_page_asks_first(client, login, officer, create_household, tenant):
    household = create_household(tenant)
    login(officer)
    file_id = household.file.id
    url = f"/t/{tenant.slug}/registry/files/{file_id}/status"
    asked = client.post(url, data={"status": "closed", "reason": "طلب صاحب الملف"})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'id="confirmation"' in page and f"الملف {file_id}" in page and "طلب صاحب الملف" in page
    assert client.get(f"/t/{tenant.slug}/registry/households/{household.id}").status_code == 200
    with tenant_context(tenant):
        assert db.session.get(type(household.file), file_id).status != "closed"
    done = client.post(url, data={"status": "closed", "reason": "طلب صاحب الملف", "confirmed": "yes"})
    assert done.status_code == 302
    with tenant_context(tenant):
        assert db.session.get(type(household.file), file_id).status == "closed"
    flashed = client.get(done.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert f"الملف {file_id}" in flashed


def test_an_invalid_status_form_shows_its_errors_without_asking(
    client, login, officer, create_household, tenant
):
    household = create_household(tenant)
    login(officer)
    response = client.post(
        f"/t/{tenant.slug}/registry/files/{household.file.id}/status", data={"status": "closed"}
    )
    assert response.status_code == 422 and 'id="confirmation"' not in response.get_data(as_text=True)


GENERIC = re.compile(r"""flash\(\s*_l?\(\s*["'](Saved|Done|Updated|OK)\.?["']\s*\)""")


def test_no_success_message_is_a_bare_saved():
    """Every flash names what was done ("Settings saved: …", "Violation recorded on file 12: …")."""
    root = Path(__file__).resolve().parent.parent
    found = [
        str(path.relative_to(root))
        for folder in ("core", "plugins")
        for path in (root / folder).rglob("*.py")
        if "tests" not in path.parts and GENERIC.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"generic success messages in {found}"
