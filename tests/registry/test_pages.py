"""Registry pages: registration with Arabic field errors, file page, search, import report, export."""

from __future__ import annotations

import io

from tests.registry.factories import person_payload, valid_id
from tests.registry.test_import import csv_bytes, row


def _form(**overrides) -> dict:
    data = dict(person_payload())
    data.update(housing_tenure="rented", annual_rent="١٥٬٠٠٠", category="family")
    data.update(overrides)
    return data


def test_registration_form_shows_arabic_field_errors_and_keeps_values(client, login, officer, tenant):
    login(officer)
    page = client.get(f"/t/{tenant.slug}/registry/households/new?lang=ar")
    assert page.status_code == 200 and "تسجيل أسرة" in page.get_data(as_text=True)
    response = client.post(
        f"/t/{tenant.slug}/registry/households/new?lang=ar",
        data=_form(national_id="1234567890", annual_rent=""),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "أدخل رقم هوية وطنية صحيحًا" in html and "أدخل أجرة السكن السنوية" in html
    assert 'value="أحمد"' in html


def test_registering_through_the_form_opens_the_file_page(client, login, officer, tenant):
    login(officer)
    response = client.post(f"/t/{tenant.slug}/registry/households/new", data=_form(national_id=valid_id()))
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "?lang=ar")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "أحمد محمد علي الغامدي" in html and "مقدم الطلب" in html and "سجل المساعدات" in html


def test_search_page_and_file_page_from_the_results(client, login, officer, create_household, tenant):
    household = create_household(tenant)
    login(officer)
    html = client.get(f"/t/{tenant.slug}/registry/?q=الغامدى").get_data(as_text=True)
    assert f"/registry/households/{household.id}" in html
    page = client.get(f"/t/{tenant.slug}/registry/households/{household.id}")
    assert page.status_code == 200 and "فاطمة" in page.get_data(as_text=True)


def test_status_and_member_forms_on_the_file_page(client, login, officer, create_household, tenant):
    household = create_household(tenant)
    login(officer)
    file_id = household.file.id
    bad = client.post(f"/t/{tenant.slug}/registry/files/{file_id}/status?lang=ar", data={"status": "active"})
    assert bad.status_code == 422
    ok = client.post(
        f"/t/{tenant.slug}/registry/files/{file_id}/status", data={"status": "active", "reason": "مكتمل"}
    )
    assert ok.status_code == 302
    added = client.post(
        f"/t/{tenant.slug}/registry/households/{household.id}/members",
        data={"first_name": "ريم", "family_name": "الغامدي", "relationship": "daughter", "studying": "1"},
    )
    assert added.status_code == 302
    html = client.get(f"/t/{tenant.slug}/registry/households/{household.id}?lang=ar").get_data(as_text=True)
    assert "ريم" in html and "نشط" in html


def test_import_page_reports_bad_rows_with_line_numbers(client, login, create_user_, tenant):
    login(create_user_(roles={tenant: ["relations_officer"]}))
    data = csv_bytes(row("A", "head", "سعد", valid_id()), row("B", "head", "هند", "1234567890"))
    response = client.post(
        f"/t/{tenant.slug}/registry/import",
        data={"file": (io.BytesIO(data), "families.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"] + "?lang=ar").get_data(as_text=True)
    # the column in words (issue 12: not the code national_id)
    assert "لم يُستورد شيء" in html and "<td>3</td>" in html and "<td>رقم الهوية</td>" in html


def test_export_is_for_tenant_admins(client, login, create_user_, create_household, tenant):
    create_household(tenant)
    login(create_user_(roles={tenant: ["relations_officer"]}))
    assert client.get(f"/t/{tenant.slug}/registry/export.xlsx").status_code == 403


def test_another_tenants_file_page_is_404(client, login, officer, create_household, other_tenant, tenant):
    theirs = create_household(other_tenant)
    login(officer)
    assert client.get(f"/t/{tenant.slug}/registry/households/{theirs.id}").status_code == 404


def test_one_letter_name_search_asks_for_two_letters(client, tenant, create_user_, login, token_for):
    user = create_user_(roles={tenant: ["relations_officer"]})
    response = client.get("/t/first/api/v1/persons?q=ا", headers={**token_for(user), "Accept-Language": "ar"})
    assert response.status_code == 422 and "q" in response.json["errors"]
    login(user)
    page = client.get("/t/first/registry/?q=ا&lang=ar")
    assert page.status_code == 422 and 'id="q-error"' in page.get_data(as_text=True)
