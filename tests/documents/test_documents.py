"""Documents: type decided by content, size cap, tenant-separated storage, authorised audited download."""

from __future__ import annotations

import io

import pytest

from core.audit import AuditEvent
from core.extensions import db
from tests.files import JPEG, PDF, PNG, WEBP


def _upload(client, household_id, data, name="scan.pdf", doc_type="id_copy"):
    return client.post(
        "/documents",
        data={"file": (io.BytesIO(data), name), "doc_type": doc_type, "household_id": str(household_id)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")],
)
def test_accepted_types_are_recognised_by_content(api, officer, create_household, tenant, data, content_type):
    household = create_household(tenant)
    response = _upload(api(officer), household.id, data, name="whatever.bin")
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == content_type
    assert response.json["uploaded_by_id"] == officer.id


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00 this is an exe", b"<html><script>alert(1)</script>", b"GIF89a......", b"PK\x03\x04zip"],
)
def test_other_content_is_refused_even_with_a_pdf_name(
    api, officer, create_household, tenant, data, app_ctx, in_tenant
):
    from core.documents import Document

    household = create_household(tenant)
    response = _upload(api(officer), household.id, data, name="innocent.pdf")
    assert response.status_code == 422 and "file" in response.json["errors"]
    with in_tenant(tenant):
        assert db.session.execute(db.select(db.func.count(Document.id))).scalar_one() == 0


def test_size_cap_comes_from_config(app, api, officer, create_household, tenant):
    household = create_household(tenant)
    cap = app.config["MAX_UPLOAD_BYTES"]
    app.config["MAX_UPLOAD_BYTES"] = 100
    try:
        response = _upload(api(officer), household.id, PDF + b"\x00" * 200)
    finally:
        app.config["MAX_UPLOAD_BYTES"] = cap
    assert response.status_code == 422 and "file" in response.json["errors"]


def test_unknown_type_or_owner_is_refused(api, officer, create_household, tenant):
    household = create_household(tenant)
    assert _upload(api(officer), household.id, PDF, doc_type="selfie").status_code == 422
    assert _upload(api(officer), 99999, PDF).status_code == 422


def test_files_are_stored_under_tenant_keys_outside_the_web_root(
    app, api, officer, create_household, tenant, in_tenant
):
    from pathlib import Path

    from core.documents import Document

    household = create_household(tenant)
    assert _upload(api(officer), household.id, PDF).status_code == 201
    with in_tenant(tenant):
        document = db.session.execute(db.select(Document)).scalar_one()
    assert document.storage_key.startswith(f"t{tenant.id}/documents/")
    stored = Path(app.config["STORAGE_DIR"]) / document.storage_key
    assert stored.read_bytes() == PDF
    assert Path(app.static_folder) not in stored.resolve().parents


def test_download_is_authorised_and_audited(
    api, officer, create_user_, create_household, tenant, other_tenant, app_ctx
):
    household = create_household(tenant)
    document_id = _upload(api(officer), household.id, PDF).json["id"]
    response = api(officer).get(f"/documents/{document_id}/content")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    actions = (
        db.session.execute(
            db.select(AuditEvent.action).where(
                AuditEvent.object_type == "document", AuditEvent.object_id == str(document_id)
            )
        )
        .scalars()
        .all()
    )
    assert "documents.downloaded" in actions
    auditor = create_user_(roles={tenant: ["auditor"]})
    assert api(auditor).get(f"/documents/{document_id}/content").status_code == 403
    stranger = create_user_(roles={other_tenant: ["tenant_admin"]})
    assert api(stranger, "second").get(f"/documents/{document_id}/content").status_code == 404
    assert api(stranger, "second").get(f"/documents/{document_id}").status_code == 404


def test_researcher_marks_a_document_verified(api, officer, create_user_, create_household, tenant):
    household = create_household(tenant)
    clerk = create_user_(roles={tenant: ["relations_officer"]})
    document_id = _upload(api(clerk), household.id, PDF).json["id"]
    assert api(clerk).post(f"/documents/{document_id}/verify").status_code == 403
    response = api(officer).post(f"/documents/{document_id}/verify")
    assert response.status_code == 200
    assert response.json["verified_by_id"] == officer.id and response.json["verified_at"]
