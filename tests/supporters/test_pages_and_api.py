"""The supporter pages and the API: fundraising only (403 to other roles), field errors with
nothing written, a donation recorded on its page lands on its Arabic receipt on the letterhead,
the consent rule through the API, the report's figures, the XLSX export and the OpenAPI paths."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from core.audit.models import AuditEvent
from core.extensions import db
from core.supporters import Agreement, Donation, Supporter
from core.tenancy import tenant_context

from .helpers import gift, paid, program, supporter

BASE = "/t/first/supporters"


def count(tenant, model) -> int:
    with tenant_context(tenant):
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_only_fundraising_roles_reach_the_pages_and_the_api(client, tenant, staff, login, api):
    login(staff["researcher"])
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/donations").status_code == 403
    assert api(staff["committee_member"]).get("/supporters/").status_code == 403
    assert api(staff["tenant_admin"]).get("/supporters/").status_code == 200


def test_a_supporter_and_a_donation_recorded_on_the_pages_end_on_the_arabic_receipt(
    client, tenant, staff, login
):
    login(staff["tenant_admin"])
    refused = client.post(
        f"{BASE}/new", data={"kind": "company", "name": "شركة الخير", "preferred_channel": "email"}
    )
    assert refused.status_code == 422 and 'data-field="preferred_channel"' in refused.get_data(as_text=True)
    assert count(tenant, Supporter) == 0
    made = client.post(
        f"{BASE}/new",
        data={"kind": "company", "name": "شركة الخير", "consent_channels": ["email"], "preferred_channel": "email",
              "email": "giving@khair.example.com"},
    )  # fmt: skip
    assert made.status_code == 302
    with tenant_context(tenant):
        supporter_id = db.session.scalars(db.select(Supporter.id)).one()
    refused = client.post(f"{BASE}/donations/new", data={"supporter_id": supporter_id, "kind": "cash", "method": "cash",
                                                        "amount": "٠", "received_on": "2025-11-03"})  # fmt: skip
    assert refused.status_code == 422 and 'data-field="value_halalas"' in refused.get_data(as_text=True)
    assert count(tenant, Donation) == 0
    saved = client.post(f"{BASE}/donations/new", data={"supporter_id": supporter_id, "kind": "cash", "method": "cash",
                                                      "amount": "١٬٥٠٠٫٥٠", "received_on": "2025-11-03"})  # fmt: skip
    assert saved.status_code == 302 and "/receipt" in saved.headers["Location"]
    receipt = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'lang="ar"' in receipt and 'dir="rtl"' in receipt and 'class="letterhead"' in receipt
    assert "R1447-000001" in receipt and "إيصال" in receipt and "1,500.50" in receipt
    english = client.get(saved.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english and "Donation receipt" in english
    page = client.get(f"{BASE}/{supporter_id}").get_data(as_text=True)
    assert 'data-receipt="R1447-000001"' in page and 'data-stage="active"' in page


def test_a_step_form_with_bad_input_answers_422_with_the_error(client, tenant, staff, login):
    with tenant_context(tenant):
        made = supporter(staff["tenant_admin"], consent_channels=["email"], phone=None).id
        db.session.commit()
    login(staff["tenant_admin"])
    refused = client.post(f"{BASE}/{made}/step/contact", data={"channel": "phone"})
    assert refused.status_code == 422 and 'id="contact-errors"' in refused.get_data(as_text=True)
    refused = client.post(f"{BASE}/{made}/step/agreement", data={"kind": "agreement", "title": "اتفاقية",
                                                                "starts_on": "2025-05-01", "ends_on": "2025-04-01"})  # fmt: skip
    assert refused.status_code == 422 and 'id="agreement-errors"' in refused.get_data(as_text=True)
    refused = client.post(f"{BASE}/{made}/step/stage", data={"stage": "active"})
    assert refused.status_code == 422
    assert client.post(f"{BASE}/{made}/step/pledge", data={"total": "900", "pledged_on": "2025-11-01", "count": "3",
                                                          "first_due_on": "2025-11-15"}).status_code == 302  # fmt: skip


def test_the_api_records_refuses_without_consent_and_reports(api, tenant, staff):
    admin = api(staff["tenant_admin"])
    created = admin.post("/supporters/", json={"kind": "foundation", "name": "مؤسسة البر", "consent_channels": ["letter"],
                                               "preferred_channel": "letter"})  # fmt: skip
    assert created.status_code == 201, created.json
    sid = created.json["id"]
    assert admin.post(f"/supporters/{sid}/contacts", json={"channel": "sms"}).status_code == 422
    assert admin.post(f"/supporters/{sid}/stage", json={"stage": "lapsed"}).status_code == 200
    assert admin.post(f"/supporters/{sid}/stage", json={"stage": "active"}).status_code == 422
    with tenant_context(tenant):
        item = program()
        paid(item, 60_000, date(2025, 1, 5))
        db.session.commit()
        item_id = item.id
    given = admin.post("/supporters/donations", json={"supporter_id": sid, "kind": "cash", "method": "bank_transfer",
                                                      "amount": 1000, "received_on": "2025-01-01",
                                                      "catalog_item_id": item_id})  # fmt: skip
    assert given.status_code == 201 and given.json["receipt_number"] == "R1446-000001"
    report = admin.get(f"/supporters/{sid}/report?start=2025-01-01&end=2025-01-31")
    assert report.status_code == 200
    (line,) = report.json["gifts"]
    assert (line["covered"], line["program_disbursed"], line["households"], line["share_percent"]) == (
        "600.00",
        "600.00",
        1,
        100.0,
    )
    assert admin.get(f"/supporters/{sid}/report?start=2025-02-01&end=2025-01-31").status_code == 422
    with tenant_context(tenant):
        assert db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.action == "supporter.report")
        ).all()


def test_pledges_through_the_api_show_the_overdue_flag(api, staff):
    admin = api(staff["tenant_admin"])
    sid = admin.post("/supporters/", json={"kind": "company", "name": "شركة"}).json["id"]
    made = admin.post(f"/supporters/{sid}/pledges", json={"total": 300, "pledged_on": "2025-01-01", "instalments": [
        {"due_on": "2025-02-01", "amount": 100}, {"due_on": "2025-03-01", "amount": 200}]})  # fmt: skip
    assert made.status_code == 201 and made.json["overdue"] is True  # both due dates are past
    assert [i["overdue"] for i in made.json["instalments"]] == [True, True]
    bad = admin.post(f"/supporters/{sid}/pledges", json={"total": 300, "pledged_on": "2025-01-01", "instalments": [
        {"due_on": "2025-02-01", "amount": 100}]})  # fmt: skip
    assert bad.status_code == 422 and "instalments" in bad.json["errors"]


def test_the_donations_export_is_a_workbook_of_the_period(client, tenant, staff, login):
    with tenant_context(tenant):
        who = supporter(staff["tenant_admin"])
        gift(staff["tenant_admin"], who, 150_050, date(2025, 3, 1))
        gift(staff["tenant_admin"], who, 10_000, date(2024, 3, 1))
        db.session.commit()
    login(staff["tenant_admin"])
    response = client.get(f"{BASE}/donations/export.xlsx?start=2025-01-01&end=2025-12-31")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "receipt_number" and len(rows) == 2 and rows[1][6] == 1500.5


def test_the_openapi_document_lists_the_supporters_paths(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/t/{tenant}/api/v1/supporters/", "/t/{tenant}/api/v1/supporters/donations",
                 "/t/{tenant}/api/v1/supporters/{supporter_id}/report"):  # fmt: skip
        assert path in paths, sorted(p for p in paths if "supporters" in p)


def test_an_agreement_keeps_its_signed_contract_and_refuses_a_file_that_is_not_one(
    client, tenant, staff, login, make_file
):
    with tenant_context(tenant):
        made = supporter(staff["tenant_admin"]).id
        db.session.commit()
    login(staff["tenant_admin"])
    fields = {"kind": "partnership", "title": "اتفاقية شراكة", "starts_on": "2025-01-01", "ends_on": "2025-12-31",
              "amount": "120000"}  # fmt: skip
    refused = client.post(f"{BASE}/{made}/step/agreement", data={**fields, "file": (io.BytesIO(b"not a pdf"), "x.pdf")},
                          content_type="multipart/form-data")  # fmt: skip
    assert refused.status_code == 422 and 'id="agreement-errors"' in refused.get_data(as_text=True)
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(Agreement.id))) == 0
    pdf = make_file("pdf")
    saved = client.post(f"{BASE}/{made}/step/agreement", data={**fields, "file": (io.BytesIO(pdf), "عقد.pdf")},
                        content_type="multipart/form-data")  # fmt: skip
    assert saved.status_code == 302
    with tenant_context(tenant):
        agreement = db.session.scalars(db.select(Agreement)).one()
        assert agreement.has_file and agreement.value_halalas == 12_000_000
        agreement_id = agreement.id
    download = client.get(f"{BASE}/agreements/{agreement_id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert 'data-agreement="' in client.get(f"{BASE}/{made}").get_data(as_text=True)
