"""Names refuse format (Cf) and control (Cc) characters; free text refuses control characters but
tab and line breaks; a NUL byte anywhere (JSON, query string, form) is a field-level 422; pages
never print a stored right-to-left override."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extensions import db
from core.registry import Person
from core.validation import check_name, check_text, control_character_errors
from tests.files import PDF
from tests.registry.factories import household_payload, person_payload, valid_id

INVISIBLE = st.characters(categories=["Cf", "Cc"])
ZERO_WIDTH_ONLY = "\u200b\u200c\u200d\ufeff"


def _person_count(in_tenant, tenant) -> int:
    with in_tenant(tenant):
        return db.session.scalar(db.select(db.func.count(Person.id)))


@given(name=st.text(min_size=1, max_size=6), bad=INVISIBLE, at=st.integers(0, 6))
def test_no_format_or_control_character_passes_as_a_name(name, bad, at):
    candidate = name[:at] + bad + name[at:]
    assert check_name(candidate), repr(candidate)


@given(text=st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=20))
def test_ordinary_arabic_and_latin_names_pass(text):
    name = "محمد " + text
    assert check_name(name) == []


@given(bad=st.characters(categories=["Cc"]).filter(lambda ch: ch not in "\t\n\r"))
def test_free_text_refuses_control_characters_but_keeps_line_breaks(bad):
    assert check_text("زيارة\nميدانية\tيوم الأحد\r\n") == []
    assert check_text(f"ملاحظة{bad}") != []


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(bad=INVISIBLE)
def test_the_api_refuses_an_invisible_character_in_a_first_name(api, officer, tenant, in_tenant, bad):
    response = api(officer).post(
        "/persons", json=person_payload(first_name=f"أح{bad}مد", national_id=valid_id())
    )
    assert response.status_code == 422, (unicodedata.name(bad, hex(ord(bad))), response.json)
    assert response.json["errors"]["first_name"]
    assert _person_count(in_tenant, tenant) == 0


@pytest.mark.parametrize(
    "name",
    [ZERO_WIDTH_ONLY, "\u202eدمحأ", "أحمد\u2066x\u2069", "مهر\u200cناز", "\u200b", "-", "أح\u2028مد"],
    ids=["zero-width-only", "rlo", "isolate", "persian-zwnj", "zwsp", "no-letter", "line-separator"],
)
def test_name_refusals_come_back_as_translated_field_errors(api, officer, tenant, in_tenant, name):
    response = api(officer).post(
        "/persons",
        json=person_payload(first_name=name, national_id=valid_id()),
        headers={"Accept-Language": "ar"},
    )
    assert response.status_code == 422
    messages = response.json["errors"]["first_name"]
    assert any("الاسم" in m or "حرف" in m for m in messages), messages
    assert _person_count(in_tenant, tenant) == 0


def test_a_nul_byte_in_a_nested_json_field_is_named(api, officer, tenant, in_tenant):
    payload = household_payload(head=person_payload(family_name="الغامدي\x00", national_id=valid_id()))
    response = api(officer).post("/households", json=payload)
    assert response.status_code == 422
    assert response.json["errors"]["head"]["family_name"]
    assert _person_count(in_tenant, tenant) == 0


def test_a_nul_byte_in_a_list_item_is_named_with_its_index(api, officer, tenant):
    payload = household_payload()
    payload["members"][1]["person"]["first_name"] = "خا\x00لد"
    response = api(officer).post("/households", json=payload)
    assert response.status_code == 422
    assert response.json["errors"]["members"]["1"]["person"]["first_name"]


def test_a_nul_byte_in_the_query_string_is_named(api, officer):
    response = api(officer).get("/persons?q=%D8%A3%D8%AD%00%D9%85%D8%AF")
    assert response.status_code == 422 and response.json["errors"]["q"]


def test_a_nul_byte_in_a_multipart_form_field_is_named(api, officer, create_household, tenant):
    household = create_household(tenant)
    response = api(officer).post(
        "/documents",
        data={
            "file": (io.BytesIO(PDF), "scan.pdf"),
            "doc_type": "id_copy",
            "household_id": str(household.id),
            "note": "ملاحظة\x00",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and response.json["errors"]["note"]


def test_a_nul_byte_in_a_page_form_is_named(client, login, officer, tenant, in_tenant):
    login(officer)
    form = dict(person_payload(national_id=valid_id()))
    form.update(housing_tenure="rented", annual_rent="15000", category="family", job="حارس\x00")
    response = client.post("/t/first/registry/households/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-field="job"' in page and "(\\0)" in page  # the field named in the markup, the rule in words
    assert _person_count(in_tenant, tenant) == 0


def test_an_rlo_in_a_page_form_name_is_refused_with_the_field(client, login, officer, tenant, in_tenant):
    login(officer)
    form = dict(person_payload(national_id=valid_id(), first_name="\u202eدمحأ"))
    form.update(housing_tenure="rented", annual_rent="15000", category="family")
    response = client.post("/t/first/registry/households/new?lang=ar", data=form)
    assert response.status_code == 422
    assert 'id="first_name-error"' in response.get_data(as_text=True)
    assert _person_count(in_tenant, tenant) == 0


def test_free_text_keeps_line_breaks_and_refuses_bidi_overrides(api, officer, create_household, tenant):
    household = create_household(tenant)
    base = {"doc_type": "id_copy", "household_id": str(household.id)}
    fine = api(officer).post(
        "/documents",
        data={**base, "file": (io.BytesIO(PDF), "a.pdf"), "note": "سطر\nسطر"},
        content_type="multipart/form-data",
    )
    assert fine.status_code == 201 and fine.json["note"] == "سطر\nسطر"
    spoofed = api(officer).post(
        "/documents",
        data={**base, "file": (io.BytesIO(PDF), "a.pdf"), "note": "invoice\u202efdp.exe"},
        content_type="multipart/form-data",
    )
    assert spoofed.status_code == 422 and spoofed.json["errors"]["note"]


@pytest.mark.parametrize(
    ("method", "path", "payload", "field", "who"),
    [
        (
            "post",
            "/api/v1/tenants",
            {"slug": "rlo", "name_ar": "جمعية\u202e", "name_en": "Assoc"},
            "name_ar",
            "platform",
        ),
        (
            "post",
            "/t/first/api/v1/members/",
            {"email": "z@example.org", "name": "\u200b\u200b", "roles": ["auditor"]},
            "name",
            "admin",
        ),
        (
            "post",
            "/t/first/api/v1/aid/catalog",
            {"code": "zz_item", "name_ar": "سلة\u200d", "name_en": "Basket", "kind": "in_kind"},
            "name_ar",
            "admin",
        ),
        (
            "post",
            "/t/first/api/v1/prisoner_families/programs",
            {"code": "zw", "name_ar": "\u2067برنامج", "name_en": "P"},
            "name_ar",
            "admin",
        ),
    ],
    ids=["tenant-name", "invited-user-name", "catalog-item-name", "plugin-program-name"],
)
def test_every_kind_of_name_refuses_invisible_characters(
    client, tenant, create_user_, token_for, enable_plugin, method, path, payload, field, who
):
    enable_plugin(tenant, "prisoner_families", {"service_area": ["القريات"]})
    user = (
        create_user_(platform_admin=True)
        if who == "platform"
        else create_user_(roles={tenant: ["tenant_admin"]})
    )
    response = getattr(client, method)(path, json=payload, headers=token_for(user))
    assert response.status_code == 422, response.json
    assert response.json["errors"][field]


def test_a_stored_override_is_not_printed_raw_on_staff_pages(
    client, login, officer, create_household, tenant, in_tenant
):
    household = create_household(tenant)
    with in_tenant(tenant):  # data written before these rules existed
        person = db.session.get(Person, household.head_person_id)
        person.first_name = "\u202eدمحأ"
        db.session.commit()
    login(officer)
    html = client.get(f"/t/first/registry/households/{household.id}").get_data(as_text=True)
    assert "دمحأ" in html and "\u202e" not in html


def test_the_scanner_reports_nothing_for_clean_input():
    assert control_character_errors({"a": "نص\nعادي", "b": [1, {"c": "x\t"}], "d": None}) == {}
    assert control_character_errors({"a": ["ok", "b\x00"]}) == {
        "a": {1: [control_character_errors({"x": "\x00"})["x"][0]]}
    }
