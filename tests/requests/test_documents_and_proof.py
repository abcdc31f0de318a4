"""Portal documents (own request only, checked by content) and the disbursement's proof of receipt."""

from __future__ import annotations

import io
from datetime import date

import pytest
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from core.aid.models import Disbursement
from core.aid.services import record_disbursement, upload_receipt
from core.documents.models import Document
from core.extensions import db
from core.requests import services
from core.requests.models import AidRequest
from core.tenancy import tenant_context
from tests.files import PDF, PNG  # noqa: F401 (PNG is imported from here by other tests)
from tests.fixtures import PASSWORD

API = "/t/first/api/v1"


def _client_for(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _portal_request(tenant, applicant) -> int:
    with tenant_context(tenant):
        item = services.create_request({"applicant_name": "فهد سالم علي القحطاني"}, applicant, own=True)
        services.submit(item, applicant, declaration_signed_by="فهد")
        db.session.commit()
        return item.id


def _count(tenant, model, **where) -> int:
    with tenant_context(tenant):
        query = db.select(db.func.count(model.id))
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def test_applicant_uploads_to_their_own_request_and_staff_see_it(app, tenant, staff, make_member):
    fahad = make_member("fahad@example.org", tenant, ["applicant"])
    other = make_member("other@example.org", tenant, ["applicant"])
    rid = _portal_request(tenant, fahad)
    portal = _client_for(app, fahad)
    url = f"/t/first/portal/requests/{rid}/documents"

    sent = portal.post(url, data={"doc_type": "id_copy", "file": (io.BytesIO(PNG), "هوية.png")})
    assert sent.status_code == 302
    # type decided by the content, not the name; unknown type; the finance-only receipt type: 422
    fake = portal.post(url, data={"doc_type": "lease", "file": (io.BytesIO(b"MZ\x90\x00evil"), "lease.pdf")})
    assert fake.status_code == 422 and 'id="file-error"' in fake.get_data(as_text=True)
    assert portal.post(url, data={"doc_type": "nope", "file": (io.BytesIO(PDF), "a.pdf")}).status_code == 422
    assert (
        portal.post(url, data={"doc_type": "receipt", "file": (io.BytesIO(PDF), "a.pdf")}).status_code == 422
    )
    app.config["MAX_UPLOAD_BYTES"], cap = 100, app.config["MAX_UPLOAD_BYTES"]
    try:
        big = portal.post(url, data={"doc_type": "lease", "file": (io.BytesIO(PDF + b"0" * 200), "a.pdf")})
        assert big.status_code == 422
    finally:
        app.config["MAX_UPLOAD_BYTES"] = cap
    assert _count(tenant, Document) == 1

    with tenant_context(tenant):
        document = db.session.scalars(db.select(Document)).one()
        doc_id = document.id
        assert document.request_id == rid and document.content_type == "image/png"
        assert document.storage_key.startswith(f"t{tenant.id}/documents/")
    detail = portal.get(f"/t/first/portal/requests/{rid}").get_data(as_text=True)
    assert f'data-document="{doc_id}"' in detail
    download = portal.get(f"/t/first/portal/requests/{rid}/documents/{doc_id}")
    assert download.status_code == 200 and download.data == PNG

    # another applicant: the request and its document are not found
    stranger = _client_for(app, other)
    own_rid = _portal_request(tenant, other)
    assert stranger.get(f"/t/first/portal/requests/{rid}/documents/{doc_id}").status_code == 404
    assert stranger.get(f"/t/first/portal/requests/{own_rid}/documents/{doc_id}").status_code == 404
    assert (
        stranger.post(url, data={"doc_type": "id_copy", "file": (io.BytesIO(PNG), "x.png")}).status_code
        == 404
    )
    assert stranger.get(f"/t/first/documents/{doc_id}/download").status_code == 403
    assert _count(tenant, Document) == 1

    # staff who serve the case see it on the request view and download it
    researcher = _client_for(app, staff["researcher"])
    page = researcher.get(f"/t/first/requests/{rid}").get_data(as_text=True)
    assert f'data-document="{doc_id}"' in page
    assert researcher.get(f"/t/first/documents/{doc_id}/download").data == PNG


def test_portal_documents_of_another_tenant_are_not_found(app, tenant, other_tenant, staff, make_member):
    fahad = make_member("fahad@example.org", tenant, ["applicant"])
    rid = _portal_request(tenant, fahad)
    portal = _client_for(app, fahad)
    portal.post(
        f"/t/first/portal/requests/{rid}/documents",
        data={"doc_type": "id_copy", "file": (io.BytesIO(PNG), "id.png")},
    )
    with tenant_context(tenant):
        doc_id = db.session.scalars(db.select(Document.id)).one()
    make_member("fahad2@example.org", other_tenant, ["applicant"])
    assert portal.get(f"/t/second/portal/requests/{rid}/documents/{doc_id}").status_code in (403, 404)


def _approved(new_request, advance):
    request = advance(new_request(), "approved")
    db.session.commit()
    return request


CASH = {"kind": "cash", "value_halalas": 20000, "disbursed_on": date(2025, 11, 20)}


def test_exactly_one_proof_is_required_and_nothing_is_written_otherwise(
    new_request, advance, staff, tenant, other_tenant
):
    finance = staff["finance_officer"]
    request = _approved(new_request, advance)
    receipt = upload_receipt(request, finance, PDF, "receipt.pdf")
    other = _approved(new_request, advance)
    elsewhere = upload_receipt(other, finance, PDF, "other.pdf")
    db.session.commit()
    bad = [
        ({**CASH}, "proof"),
        ({**CASH, "proof_document_id": receipt.id, "acknowledged_by": "نورة"}, "proof"),
        ({**CASH, "proof_type": "document"}, "proof_document_id"),
        ({**CASH, "proof_type": "acknowledgement"}, "acknowledged_by"),
        ({**CASH, "proof_document_id": elsewhere.id}, "proof_document_id"),
        ({**CASH, "proof_document_id": 987654}, "proof_document_id"),
    ]
    for data, field in bad:
        with pytest.raises(ValidationError) as info:
            record_disbursement(request, finance, data)
        assert field in info.value.messages, (data, info.value.messages)
        db.session.rollback()
    with pytest.raises(ValidationError) as info:
        record_disbursement(request, finance, {**CASH, "acknowledged_by": "نورة"}, proof_file=PNG)
    assert "proof" in info.value.messages
    db.session.rollback()
    with pytest.raises(ValidationError) as info:
        record_disbursement(request, finance, CASH, proof_file=b"not a scan")
    assert "proof_file" in info.value.messages
    db.session.rollback()
    request = db.session.get(AidRequest, request.id)
    assert request.state == "approved"
    assert _count(tenant, Disbursement) == 0 and _count(tenant, Document) == 2

    paid = record_disbursement(request, finance, {**CASH, "proof_document_id": receipt.id})
    assert (
        paid.proof_type == "document"
        and paid.proof_document_id == receipt.id
        and request.state == "disbursed"
    )
    more = record_disbursement(
        request, finance, {**CASH, "value_halalas": 100}, proof_file=PNG, proof_filename="r.png"
    )
    stored = db.session.get(Document, more.proof_document_id)
    assert (
        stored.doc_type == "receipt"
        and stored.request_id == request.id
        and stored.content_type == "image/png"
    )
    signed = record_disbursement(request, finance, {**CASH, "value_halalas": 100, "acknowledged_by": "نورة"})
    assert signed.proof_type == "acknowledgement" and signed.proof_document_id is None
    db.session.commit()


def test_proof_document_is_a_tenant_foreign_key(new_request, advance, staff, tenant, other_tenant):
    request = _approved(new_request, advance)
    with tenant_context(other_tenant):
        # a document row of the other tenant (no request needed: a person owns it)
        from core.registry.models import Person

        person = Person(first_name="س", father_name="س", grandfather_name="س", family_name="س")
        db.session.add(person)
        db.session.flush()
        foreign = Document(
            person_id=person.id, doc_type="other", filename="x.pdf", content_type="application/pdf",
            size=1, sha256="0" * 64, storage_key="t0/documents/x",
        )  # fmt: skip
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    with tenant_context(tenant):
        db.session.add(
            Disbursement(
                request_id=request.id,
                kind="cash",
                value_halalas=1,
                proof_type="document",
                proof_document_id=foreign_id,
                disbursed_on=date(2025, 11, 20),
            )  # fmt: skip
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_receipt_and_disbursement_through_the_api_and_the_form(
    app, client, new_request, advance, staff, token_for, tenant
):
    request = _approved(new_request, advance)
    rid = request.id
    finance = token_for(staff["finance_officer"])
    refused = client.post(
        f"{API}/aid/requests/{rid}/receipts",
        data={"file": (io.BytesIO(PDF), "r.pdf")},
        headers=token_for(staff["researcher"]),
    )
    assert refused.status_code == 403
    bad = client.post(
        f"{API}/aid/requests/{rid}/receipts", data={"file": (io.BytesIO(b"hello"), "r.pdf")}, headers=finance
    )
    assert bad.status_code == 422 and "file" in bad.json["errors"]
    up = client.post(
        f"{API}/aid/requests/{rid}/receipts", data={"file": (io.BytesIO(PDF), "r.pdf")}, headers=finance
    )
    assert up.status_code == 201 and up.json["request_id"] == rid
    body = {"kind": "cash", "value": "200", "disbursed_on": "2025-11-20"}
    both = client.post(
        f"{API}/aid/requests/{rid}/disbursements",
        json={**body, "proof_document_id": up.json["id"], "acknowledged_by": "نورة"},
        headers=finance,
    )
    assert both.status_code == 422 and "proof" in both.json["errors"]
    paid = client.post(
        f"{API}/aid/requests/{rid}/disbursements",
        json={**body, "proof_document_id": up.json["id"]},
        headers=finance,
    )
    assert paid.status_code == 201 and paid.json["proof_type"] == "document"
    assert paid.json["proof_document_id"] == up.json["id"]

    page = _client_for(app, staff["finance_officer"])
    form = {"kind": "in_kind", "value": "100", "delivery_mode": "direct", "disbursed_on": "2025-11-21"}
    refused = page.post(
        f"/t/first/requests/{rid}/step/disburse?lang=ar",
        data={**form, "proof_file": (io.BytesIO(b"text"), "r.pdf")},
    )
    assert refused.status_code == 422
    assert 'id="step-error" data-action="disburse"' in refused.get_data(as_text=True)
    assert _count(tenant, Disbursement) == 1
    page.post(
        f"/t/first/requests/{rid}/step/disburse", data={**form, "proof_file": (io.BytesIO(PNG), "r.png")}
    )
    with tenant_context(tenant):
        last = db.session.scalars(db.select(Disbursement).order_by(Disbursement.id.desc())).first()
        assert last.kind == "in_kind" and last.proof_document_id is not None
    view = page.get(f"/t/first/requests/{rid}").get_data(as_text=True)
    assert 'id="disbursements"' in view and 'enctype="multipart/form-data"' in view
