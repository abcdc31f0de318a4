"""Issue 12, item 10: the portal's apply form — required fields marked, no empty row shown or
ticked before the applicant adds one, the documents uploaded on the form itself so the first
submission can succeed, each error once beside its field in the words of its label."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest

from core.aid.services import install_default_catalog
from core.calendar import today as tenant_today
from core.documents.models import Document
from core.extensions import db
from core.requests.models import AidRequest, CatalogItem
from core.tenancy import tenant_context
from core.testing import PASSWORD, make_pdf, valid_id

NS = "extra.makkah_aid."


@pytest.fixture
def makkah(tenant, enable_plugin):
    enable_plugin(tenant, "makkah_aid", {"service_area": ["مكة المكرمة"]})
    with tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    return tenant


@pytest.fixture
def applicant(client, makkah, create_user_, login):
    login(create_user_("noura@example.org", roles={makkah: ["applicant"]}))
    return client


def catalog_item(tenant) -> str:
    with tenant_context(tenant):
        return str(db.session.scalars(db.select(CatalogItem.id).order_by(CatalogItem.id)).first())


def application(tenant, **overrides) -> dict:
    data = {
        "applicant_name": "نورة محمد عبدالله السبيعي",
        "applicant_phone": "0551234567",
        "applicant_city": "مكة المكرمة",
        "catalog_item_id": catalog_item(tenant),
        "requested_amount": "2500",
        "declaration": "on",
        NS + "nationality": "سعودية",
        NS + "id_number": valid_id(),
        NS + "id_expiry": (tenant_today() + timedelta(days=200)).isoformat(),
        NS + "current_job": "لا تعمل",
        NS + "monthly_income": "1500",
        NS + "dependents_count": "1",
        NS + "dependents.0.name": "سارة",
        NS + "dependents.0.relationship": "daughter",
        NS + "dependents.0.resides_permanently": "on",
        NS + "housing": "rented",
        NS + "annual_rent": "18000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def documents() -> dict:
    return {
        "documents.makkah_aid.id": (BytesIO(make_pdf()), "id.pdf"),
        "documents.makkah_aid.housing": (BytesIO(make_pdf()), "lease.pdf"),
    }


def test_required_fields_are_marked_with_a_legend(applicant):
    page = applicant.get("/t/first/portal/apply").get_data(as_text=True)
    assert 'id="required-legend"' in page
    for name in ("applicant_name", "catalog_item_id", "declaration"):
        assert re.search(rf'id="{name}"[^>]*aria-required="true"', page, re.S), name
    for key in ("nationality", "id_number", "id_expiry", "current_job", "monthly_income", "housing"):
        assert re.search(rf'name="{NS}{key}"[^>]*aria-required="true"', page, re.S), key
    # not required: no mark
    assert not re.search(r'id="applicant_city"[^>]*aria-required', page, re.S)
    assert re.search(r'name="documents.makkah_aid.id"[^>]*aria-required="true"', page, re.S)


def test_the_phone_and_id_inputs_bring_up_the_numeric_keypad(applicant):
    page = applicant.get("/t/first/portal/apply").get_data(as_text=True)
    phone = re.search(r'<input[^>]*id="applicant_phone"[^>]*>', page, re.S).group(0)
    assert 'type="tel"' in phone and 'inputmode="numeric"' in phone and 'autocomplete="tel-national"' in phone
    id_number = re.search(rf'<input[^>]*name="{NS}id_number"[^>]*>', page, re.S).group(0)
    assert 'inputmode="numeric"' in id_number
    count = re.search(rf'<input[^>]*name="{NS}dependents_count"[^>]*>', page, re.S).group(0)
    assert 'inputmode="numeric"' in count


def test_no_empty_row_is_shown_or_ticked_until_one_is_added(applicant, makkah):
    page = applicant.get("/t/first/portal/apply").get_data(as_text=True)
    assert f'name="{NS}dependents.0.' not in page and f'name="{NS}previous_aid.0.' not in page
    # the only ticked row checkbox is in the <template> a new row is copied from
    shown = re.sub(r"<template.*?</template>", "", page, flags=re.S)
    assert "resides_permanently" not in shown
    assert 'src="/static/rows.js"' in page
    # without JavaScript, "add a row" comes back with exactly one row, nothing written
    more = applicant.post(
        "/t/first/portal/apply", data={"add_row": NS + "dependents", "applicant_name": "نورة"}
    ).get_data(as_text=True)
    assert f'name="{NS}dependents.0.name"' in more and f'name="{NS}dependents.1.name"' not in more
    with tenant_context(makkah):
        assert db.session.scalar(db.select(db.func.count()).select_from(AidRequest)) == 0


def test_documents_on_the_form_make_the_first_submission_succeed(applicant, makkah):
    response = applicant.post(
        "/t/first/portal/apply",
        data={**application(makkah), **documents()},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with tenant_context(makkah):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.state == "submitted" and item.number
        kinds = set(db.session.scalars(db.select(Document.doc_type).where(Document.request_id == item.id)))
        assert kinds == {"id_copy", "lease"}
        number = item.number
    detail = applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert number in detail
    # each document listed with its type, in words
    assert 'data-doc-type="id_copy"' in detail and 'data-doc-type="lease"' in detail


def test_without_the_documents_the_request_waits_as_a_draft(applicant, makkah):
    response = applicant.post("/t/first/portal/apply", data=application(makkah))
    assert response.status_code == 302 and response.headers["Location"].endswith("#documents")
    with tenant_context(makkah):
        assert db.session.scalars(db.select(AidRequest)).one().state == "draft"


def test_each_error_is_shown_once_beside_its_field_in_the_words_of_its_label(applicant, makkah):
    refused = applicant.post(
        "/t/first/portal/apply?lang=en",
        data={
            **application(makkah, declaration=None, catalog_item_id=None, applicant_name=None),
            NS + "nationality": "",
            **documents(),
        },
        content_type="multipart/form-data",
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    checks = {
        "applicant_name": ("Full name (four parts)", "Full name (four parts) is required."),
        "declaration": (None, "Sign the declaration to submit."),
    }
    for name, (label, message) in checks.items():
        assert page.count(message) == 1, (name, page.count(message))
        assert f'id="{name}-error"' in page
        if label:
            assert f'href="#{name}">{label}</a>' in page  # the summary links to it by its label
    # the summary lists the fields without repeating their messages
    summary = re.search(r'<div class="alert alert-danger"[^>]*id="apply-errors".*?</div>', page, re.S).group(
        0
    )
    assert "is required" not in summary and "Sign the declaration" not in summary
    with tenant_context(makkah):
        assert db.session.scalar(db.select(db.func.count()).select_from(AidRequest)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0


def test_a_missing_plugin_field_names_the_field_as_its_label_does(applicant, makkah):
    refused = applicant.post(
        "/t/first/portal/apply?lang=en",
        data={**application(makkah, **{NS + "monthly_income": None, "catalog_item_id": None}), **documents()},
        content_type="multipart/form-data",
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert page.count("Total current income (SAR per month) is required.") == 1
    assert page.count("Aid program is required.") == 1
    assert re.search(r'<label[^>]*for="catalog_item_id">Aid program', page)


def test_a_refused_file_is_an_error_at_its_input(applicant, makkah):
    refused = applicant.post(
        "/t/first/portal/apply",
        data={
            **application(makkah),
            "documents.makkah_aid.id": (BytesIO(b"not a pdf"), "id.pdf"),
            "documents.makkah_aid.housing": (BytesIO(make_pdf()), "lease.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert 'id="documents-makkah_aid-id-error"' in refused.get_data(as_text=True)
    with tenant_context(makkah):
        assert db.session.scalar(db.select(db.func.count()).select_from(AidRequest)) == 0


def test_portal_flashes_pages_and_messages_are_english_in_english(applicant, makkah):
    # applied in Arabic: the in-app message is queued in Arabic
    applicant.post(
        "/t/first/portal/apply",
        data={**application(makkah), **documents()},
        content_type="multipart/form-data",
    )
    assert "استلمت" in applicant.get("/t/first/portal/").get_data(as_text=True)
    applicant.get("/lang/en")
    response = applicant.post(
        "/t/first/portal/apply",
        data={**application(makkah), **documents()},
        content_type="multipart/form-data",
    )
    page = applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert 'dir="ltr"' in page and "Your request number is" in page
    home = applicant.get("/t/first/portal/").get_data(as_text=True)
    assert "My requests" in home and "طلباتي" not in home
    # both messages in English now, the older one rendered again from its values
    assert home.count("received your request number") == 2 and "استلمت" not in home
    assert 'lang="en" dir="auto"' in home


def test_registering_then_logging_in_leads_to_the_form(client, makkah):
    client.post(
        "/t/first/portal/register",
        data={"name": "فهد", "email": "fahad@example.org", "password": PASSWORD, "password2": PASSWORD},
    )
    client.post("/t/first/login", data={"email": "fahad@example.org", "password": PASSWORD})
    assert client.get("/t/first/portal/apply").status_code == 200
