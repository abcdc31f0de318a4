"""The audit page's CSV export: the last 30 days without dates, headers in the page's language,
actions and objects in words (codes kept in their own columns), Hijri or Gregorian dates, a
bad date a translated error beside its field — never a raw English JSON error."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from core.audit import services
from core.audit.labels import action_label, object_label
from core.audit.services import export_range, record
from core.calendar import today as tenant_today
from core.extensions import db
from core.tenancy import tenant_context


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_export_without_dates_covers_the_last_30_days():
    assert export_range(None, None, today=date(2026, 11, 30)) == (date(2026, 10, 31), date(2026, 11, 30))
    assert export_range(date(2026, 1, 1), None, today=date(2026, 11, 30)) == (
        date(2026, 1, 1),
        date(2026, 11, 30),
    )
    assert export_range(None, date(2026, 3, 31)) == (date(2026, 3, 1), date(2026, 3, 31))


def test_page_export_without_dates_has_arabic_headers_and_actions_in_words(staff, login, tenant):
    with tenant_context(tenant):
        record("registry.person.searched", "person", None, {"results": 2}, user=staff["tenant_admin"])
        db.session.commit()
    client = login(staff["auditor"])
    response = client.get("/t/first/audit/export.csv", query_string={"start": "", "end": ""})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    today = tenant_today()
    assert f"{today - timedelta(days=30)}-{today}" in response.headers["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:5] == ["الرقم", "الوقت (توقيت المملكة العربية السعودية)", "المستخدم", "الإجراء", "العنصر"]
    searched = next(r for r in rows[1:] if r[9] == "registry.person.searched")
    assert searched[3] == "بحث عن شخص" and searched[4] == "شخص"
    with tenant_context(tenant):
        from core.audit.models import AuditEvent

        assert db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "audit.exported")).all()


def test_page_export_in_english_has_english_headers(staff, login):
    client = login(staff["auditor"])
    client.get("/lang/en")
    rows = _rows(client.get("/t/first/audit/export.csv"))
    assert rows[0][:4] == ["No.", "Time (Saudi Arabia Time)", "User", "Action"]


def test_hijri_dates_are_accepted(staff, login):
    response = login(staff["auditor"]).get("/t/first/audit/export.csv", query_string={"start": "١٤٤٧-٠١-٠١"})
    assert response.status_code == 200


def test_a_bad_date_shows_the_page_with_a_translated_error_beside_the_field(staff, login):
    response = login(staff["auditor"]).get("/t/first/audit/export.csv", query_string={"start": "yesterday"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'id="start-error"' in html and "هجري" in html
    end_first = login(staff["auditor"]).get(
        "/t/first/audit/export.csv", query_string={"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert end_first.status_code == 400 and 'id="end-error"' in end_first.get_data(as_text=True)


def test_api_export_keeps_machine_columns_and_answers_a_bad_date_with_a_translated_field_error(
    staff, token_for, client
):
    headers = {**token_for(staff["auditor"]), "Accept-Language": "ar"}
    ok = client.get("/t/first/api/v1/audit/export.csv", headers=headers)
    assert ok.status_code == 200 and _rows(ok)[0][:3] == ["seq", "at", "user_id"]
    bad = client.get("/t/first/api/v1/audit/export.csv", query_string={"end": "x"}, headers=headers)
    assert bad.status_code == 422
    assert "end" in bad.get_json()["errors"]


def test_the_export_needs_the_export_permission(staff, login):
    assert login(staff["researcher"]).get("/t/first/audit/export.csv").status_code == 403


def test_unknown_codes_are_shown_as_recorded_and_features_add_labels(app_ctx):
    assert action_label("plugin.thing.done") == "plugin.thing.done"
    # Features label their own codes through the register_labels hook (grievances, here).
    assert action_label("grievance.file") != "grievance.file"
    assert object_label("grievance") != "grievance"


def test_page_and_export_name_a_request_by_its_number_not_its_row(staff, login, tenant):
    from core.requests.models import AidRequest

    with tenant_context(tenant):
        numbered = AidRequest(number="1448-000042", applicant_name="فهد", state="submitted", channel="phone")
        draft = AidRequest(applicant_name="سعد", state="draft", channel="phone")
        db.session.add_all([numbered, draft])
        db.session.flush()
        for item in (numbered, draft):
            record("request.submit", "AidRequest", item.id, {}, user=staff["tenant_admin"])
        db.session.commit()
        numbered_id, draft_id = numbered.id, draft.id
    client = login(staff["auditor"])
    page = client.get("/t/first/audit/").get_data(as_text=True)
    assert "الطلب 1448-000042" in page
    assert f"الطلب رقم {draft_id}" in page  # a draft has no number yet: its stored id
    assert f"الطلب رقم {numbered_id}<" not in page
    rows = _rows(client.get("/t/first/audit/export.csv"))
    named = next(r for r in rows[1:] if r[5] == str(numbered_id) and r[10] == "AidRequest")
    assert named[4] == "الطلب 1448-000042"


def test_an_entry_late_in_the_evening_utc_belongs_to_the_associations_next_day(
    staff, login, token_for, tenant, monkeypatch
):
    # 22:30 UTC on 31 March is 01:30 on 1 April in Riyadh (the association's zone): the export
    # and the page of 1 April hold it, those of 31 March do not, and people read its local time.
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 3, 31, 22, 30))
    with tenant_context(tenant):
        record("registry.person.searched", "person", None, {"results": 1}, user=staff["tenant_admin"])
        db.session.commit()
    client = login(staff["auditor"])

    def searched(day: str) -> list[list[str]]:
        rows = _rows(client.get("/t/first/audit/export.csv", query_string={"start": day, "end": day}))
        return [r for r in rows[1:] if r[9] == "registry.person.searched"]

    assert searched("2026-03-31") == []
    (entry,) = searched("2026-04-01")
    assert entry[1] == "2026-04-01 01:30:00"
    page = client.get("/t/first/audit/", query_string={"start": "2026-04-01", "end": "2026-04-01"})
    assert "بحث عن شخص" in page.get_data(as_text=True)
    earlier = client.get("/t/first/audit/", query_string={"start": "2026-03-31", "end": "2026-03-31"})
    assert "بحث عن شخص" not in earlier.get_data(as_text=True)
    machine = client.get(
        "/t/first/api/v1/audit/export.csv",
        query_string={"start": "2026-04-01", "end": "2026-04-01"},
        headers=token_for(staff["auditor"]),
    )
    (stored,) = [r for r in _rows(machine)[1:] if r[4] == "registry.person.searched"]
    assert stored[1] == "2026-03-31T22:30:00"  # the API's machine columns: UTC, as stored
