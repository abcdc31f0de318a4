"""Printing a request (summary, decision letter, receipt) on the association's letterhead in
Arabic and English, and exporting requests and disbursements to XLSX: headers in the page's
language, values in words, permission-checked and audited."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from core.aid.models import Disbursement
from core.audit.models import AuditEvent
from core.extensions import db
from core.tenancy import tenant_context


@pytest.fixture
def disbursed(tenant, new_request, advance, staff):
    """A request taken to ``disbursed`` (number, decision, one disbursement)."""
    with tenant_context(tenant):
        item = advance(new_request(linked=True, requested_amount="1500", summary="إيجار متأخر"), "disbursed")
        db.session.commit()
        disbursement = db.session.scalars(db.select(Disbursement)).one()
        return {"id": item.id, "number": item.number, "disbursement": disbursement.id}


def _english(client):
    client.get("/lang/en")
    return client


def test_request_summary_prints_on_the_letterhead_in_arabic(disbursed, staff, login):
    response = login(staff["researcher"]).get(f"/t/first/requests/{disbursed['id']}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'dir="rtl"' in html and "print.css" in html and "data-print" in html
    assert 'id="org-name">جمعية first' in html
    assert f'dir="ltr" id="doc-number">{disbursed["number"]}<' in html
    assert "ملخص الطلب" in html and "نورة محمد عبدالله السبيعي" in html and "إيجار متأخر" in html
    text = re.sub(r"<[^>]+>", "", html)  # dates are isolated left-to-right (<bdi>)
    assert re.search(r"\d{4}-\d{2}-\d{2} هـ", text)  # dates in the tenant's calendar
    assert 'id="timeline"' in html and 'id="disbursements"' in html


def test_request_summary_prints_in_english(disbursed, staff, login):
    html = (
        _english(login(staff["researcher"]))
        .get(f"/t/first/requests/{disbursed['id']}/print")
        .get_data(as_text=True)
    )
    assert 'dir="ltr"' in html and "Request summary" in html and "Timeline" in html


def test_decision_letter_states_the_approved_amount(disbursed, staff, login):
    client = login(staff["committee_member"])
    html = client.get(f"/t/first/requests/{disbursed['id']}/print/decision").get_data(as_text=True)
    assert 'data-outcome="approved"' in html and "خطاب القرار" in html
    assert "ريال" in html and "إلى: نورة محمد عبدالله السبيعي" in html
    english = (
        _english(client).get(f"/t/first/requests/{disbursed['id']}/print/decision").get_data(as_text=True)
    )
    assert "Decision letter" in english and "decided to approve aid of" in english


def test_no_decision_letter_before_the_committee_decides(new_request, staff, login, tenant):
    with tenant_context(tenant):
        item = new_request()
        db.session.commit()
        item_id = item.id
    assert login(staff["researcher"]).get(f"/t/first/requests/{item_id}/print/decision").status_code == 404


def test_receipt_prints_value_beneficiary_and_signatures(disbursed, staff, login):
    client = login(staff["finance_officer"])
    html = client.get(f"/t/first/aid/disbursements/{disbursed['disbursement']}/receipt").get_data(
        as_text=True
    )
    assert "إيصال استلام مساعدة" in html and 'id="receipt-value"' in html
    assert "توقيع المستفيد" in html and disbursed["number"] in html
    english = _english(client).get(f"/t/first/aid/disbursements/{disbursed['disbursement']}/receipt")
    assert english.status_code == 200 and "Receipt of aid" in english.get_data(as_text=True)


def test_request_page_links_to_each_printable(disbursed, staff, login):
    html = login(staff["finance_officer"]).get(f"/t/first/requests/{disbursed['id']}").get_data(as_text=True)
    links = re.search(r'<nav[^>]*id="print-links".*?</nav>', html, re.S).group(0)
    assert f"/t/first/requests/{disbursed['id']}/print" in links
    assert f"/t/first/requests/{disbursed['id']}/print/decision" in links
    assert f"/t/first/aid/disbursements/{disbursed['disbursement']}/receipt" in links


def test_printables_need_a_staff_role(disbursed, tenant, make_member, login):
    applicant = make_member("applicant@example.org", tenant, ["applicant"])
    client = login(applicant)
    assert client.get(f"/t/first/requests/{disbursed['id']}/print").status_code == 403
    assert client.get(f"/t/first/aid/disbursements/{disbursed['disbursement']}/receipt").status_code == 403


def _sheet(response):
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_requests_export_to_xlsx_with_arabic_headers_values_in_words_filtered_and_audited(
    disbursed, new_request, staff, login, tenant
):
    with tenant_context(tenant):
        new_request(applicant_name='=HYPERLINK("http://x")')
        db.session.commit()
    client = login(staff["executive_director"])
    response = client.get("/t/first/requests/export.xlsx", query_string={"state": "disbursed"})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    sheet, rows = _sheet(response)
    assert sheet.sheet_view.rightToLeft is True
    assert rows[0][:3] == ["رقم الطلب", "مقدم الطلب", "الجوال"]
    assert len(rows) == 2 and rows[1][0] == disbursed["number"]
    assert "تم الصرف" in rows[1] or any("صرف" in str(v) for v in rows[1])
    everything = _sheet(client.get("/t/first/requests/export.xlsx"))[1]
    formula = next(r for r in everything if str(r[1]).startswith("=HYPERLINK"))
    assert formula  # kept as text, not a formula
    with tenant_context(tenant):
        audits = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "requests.exported").order_by(AuditEvent.id)
        ).all()
    assert len(audits) == 2 and audits[0].details["filters"]["state"] == ["disbursed"]


def test_requests_export_headers_are_english_in_english(disbursed, staff, login):
    client = _english(login(staff["finance_officer"]))
    rows = _sheet(client.get("/t/first/requests/export.xlsx"))[1]
    assert rows[0][:2] == ["Request number", "Applicant"]


def test_exports_need_the_export_permission(disbursed, staff, login):
    client = login(staff["researcher"])
    assert client.get("/t/first/requests/export.xlsx").status_code == 403
    assert client.get("/t/first/aid/disbursements.xlsx").status_code == 403


def test_disbursements_export_by_hijri_or_gregorian_range_in_words_and_audited(
    disbursed, staff, login, tenant
):
    client = login(staff["finance_officer"])
    response = client.get(
        "/t/first/aid/disbursements.xlsx", query_string={"start": "1400-01-01", "end": "2999-01-01"}
    )
    assert response.status_code == 200
    sheet, rows = _sheet(response)
    assert rows[0][:4] == ["رقم الطلب", "مقدم الطلب", "البرنامج", "النوع"]
    assert rows[1][0] == disbursed["number"] and rows[1][3] in ("نقدي", "نقدًا", "عيني")
    assert (
        len(_sheet(client.get("/t/first/aid/disbursements.xlsx", query_string={"end": "2000-01-01"}))[1]) == 1
    )
    with tenant_context(tenant):
        assert db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "aid.disbursements_exported")
        ).all()


def test_disbursements_export_bad_date_is_a_translated_field_error(disbursed, staff, login):
    response = login(staff["finance_officer"]).get(
        "/t/first/aid/disbursements.xlsx", query_string={"start": "أمس"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'data-field="start"' in html and "من:" in html and "أدخل تاريخ" in html and "هجري" in html
