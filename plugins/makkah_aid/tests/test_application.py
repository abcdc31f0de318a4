"""The application's mandatory data: refused per missing field at submission, taken on core's
request-intake form with its documents."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from marshmallow import ValidationError

from core.testing import request_services as requests
from core.toolkit import (
    AidRequest,
    Document,
    db,
    tenant_context,
)
from core.toolkit import today as tenant_today
from plugins.makkah_aid import services

from .helpers import (
    PNG,
    application,
    attach,
    catalog_id,
    complete_request,
    national_id,
)


def test_submission_missing_items_is_refused_one_error_per_field(makkah, client, staff, token_for):
    headers = token_for(staff["relations_officer"])
    with tenant_context(makkah):
        item_id = catalog_id()
    created = client.post(
        "/t/first/api/v1/requests/",
        json={
            "channel": "in_person",
            "applicant_name": "نورة محمد عبدالله السبيعي",
            "catalog_item_id": item_id,
            "extra": {"makkah_aid": {"nationality": "سعودية", "id_expiry": "2001-01-01"}},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    refused = client.post(
        f"/t/first/api/v1/requests/{rid}/submit",
        json={"declaration": True, "signed_by": "نورة"},
        headers=headers,
    )
    assert refused.status_code == 422
    errors = refused.json["errors"]
    assert set(errors) == {
        "id_number",
        "id_expiry",
        "current_job",
        "monthly_income",
        "dependents_count",
        "housing",
        "documents.id_copy",
    }
    assert all(len(messages) == 1 for messages in errors.values())
    assert "expired" in errors["id_expiry"][0].lower() or "انتهت" in errors["id_expiry"][0]
    with tenant_context(makkah):
        assert db.session.get(AidRequest, rid).state == "draft"
        assert db.session.get(AidRequest, rid).number is None


def test_arabic_messages_and_expired_id_refused(makkah, new_request, staff):
    request = complete_request(new_request, id_expiry=(tenant_today() - timedelta(days=1)).isoformat())
    with pytest.raises(ValidationError) as info:
        requests.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    assert set(info.value.messages) == {"id_expiry"}
    db.session.rollback()


def test_complete_application_is_submitted(makkah, new_request, staff):
    request = complete_request(new_request)
    requests.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    assert request.state == "submitted" and request.number


def test_missing_attachment_is_refused(makkah, new_request, staff):
    request = new_request(catalog_item_id=catalog_id(), extra={"makkah_aid": application()})
    attach(request, "id_copy")
    assert services.submission_errors(request) == {
        "documents.lease": [services.problem_message("documents.lease", "file")]
    }


def test_application_on_cores_intake_refuses_per_field_and_submits(makkah, staff, client, login):
    """Core's request-intake form carries the plugin's request fields and document slots."""
    login(staff["researcher"])  # seed 004: researchers take applications too
    page = client.get("/t/first/requests/new").get_data(as_text=True)
    assert (
        'name="extra.makkah_aid.dependents.__row__.name"' in page
    )  # the shared request fields (a row to add)
    assert 'name="documents.makkah_aid.id"' in page and 'name="documents.makkah_aid.housing"' in page
    refused = client.post(
        "/t/first/requests/new",
        data={
            "channel": "in_person",
            "applicant_name": "نورة محمد عبدالله السبيعي",
            "extra.makkah_aid.nationality": "سعودية",
            "submit_now": "1",
        },
    )
    assert refused.status_code == 422
    assert b'data-field="extra.makkah_aid.id_number"' in refused.data
    assert b'data-field="extra.makkah_aid.housing"' in refused.data
    assert b'data-field="documents.id_copy"' in refused.data
    with tenant_context(makkah):
        assert db.session.scalars(db.select(AidRequest)).all() == []  # nothing written
    with tenant_context(makkah):
        item = catalog_id()
    ns = "extra.makkah_aid."
    form = {
        "channel": "in_person",
        "applicant_name": "نورة محمد عبدالله السبيعي",
        ns + "nationality": "سعودية",
        ns + "id_number": national_id(77),
        ns + "id_expiry": (tenant_today() + timedelta(days=30)).isoformat(),
        ns + "current_job": "لا تعمل",
        ns + "monthly_income": "1500",
        "catalog_item_id": str(item),
        ns + "dependents_count": "1",
        ns + "dependents.0.name": "سارة",
        ns + "dependents.0.relationship": "daughter",
        ns + "dependents.0.resides_permanently": "on",
        ns + "housing": "rented",
        ns + "annual_rent": "15000",
        "documents.makkah_aid.id": (BytesIO(PNG), "id.png"),
        "documents.makkah_aid.housing": (BytesIO(PNG), "lease.png"),
        "submit_now": "1",
    }
    done = client.post("/t/first/requests/new", data=form, content_type="multipart/form-data")
    assert done.status_code == 302, done.data[:3000]
    with tenant_context(makkah):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.state == "submitted" and item.number
        kinds = db.session.scalars(db.select(Document.doc_type).where(Document.request_id == item.id)).all()
        assert sorted(kinds) == ["id_copy", "lease"]  # the housing slot's type follows the housing
