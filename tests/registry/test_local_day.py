"""The registry's date rules count the association's day: at 22:30 UTC on 1 March 2026 it is
already 2 March in Riyadh (the clock is moved with ``set_clock``, never the real one)."""

from __future__ import annotations

from datetime import date, datetime

from core.extensions import db
from core.registry import BeneficiaryFile
from core.tenancy import tenant_context

LATE_EVENING_UTC = datetime(2026, 3, 1, 22, 30)  # 01:30 on 2 March in Riyadh


def _file_due_on(tenant, household, due: date) -> int:
    with tenant_context(tenant):
        file = db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
        ).one()
        file.next_renewal_due = due
        db.session.commit()
        return file.id


def test_a_renewal_due_yesterday_in_riyadh_is_overdue_though_utc_is_still_on_that_day(
    api, officer, create_household, tenant, set_clock
):
    file_id = _file_due_on(tenant, create_household(tenant), date(2026, 3, 1))
    due_today = _file_due_on(tenant, create_household(tenant), date(2026, 3, 2))
    set_clock(LATE_EVENING_UTC)
    with tenant_context(tenant):
        assert db.session.get(BeneficiaryFile, file_id).renewal_overdue is True
        assert db.session.get(BeneficiaryFile, due_today).renewal_overdue is False  # due today: not late yet
    assert api(officer).get(f"/files/{file_id}").json["renewal_overdue"] is True
    assert api(officer).get(f"/files/{due_today}").json["renewal_overdue"] is False
    overdue = api(officer).get("/files", query_string={"renewal_overdue": "true"}).json
    assert [f["id"] for f in overdue] == [file_id]


def test_for_a_tenant_on_utc_the_same_renewal_is_not_overdue_yet(
    api, officer, create_household, tenant, set_clock
):
    tenant.settings = {**(tenant.settings or {}), "calendar": {"time_zone": "UTC"}}
    db.session.commit()
    file_id = _file_due_on(tenant, create_household(tenant), date(2026, 3, 1))
    set_clock(LATE_EVENING_UTC)
    with tenant_context(tenant):
        assert db.session.get(BeneficiaryFile, file_id).renewal_overdue is False
    assert api(officer).get("/files", query_string={"renewal_overdue": "true"}).json == []


def test_a_suspension_until_the_associations_today_is_not_in_the_future(
    api, officer, create_household, tenant, set_clock
):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    set_clock(LATE_EVENING_UTC)
    change = {"status": "suspended", "reason": "رفض الزيارة"}
    refused = api(officer).post(f"/files/{file_id}/status", json={**change, "suspended_until": "2026-03-02"})
    assert refused.status_code == 422 and "suspended_until" in refused.json["errors"]
    accepted = api(officer).post(f"/files/{file_id}/status", json={**change, "suspended_until": "2026-03-03"})
    assert accepted.status_code == 200, accepted.json


def test_a_renewal_recorded_without_a_date_is_dated_the_associations_day(
    api, officer, create_household, tenant, set_clock
):
    household = create_household(tenant)
    file_id = api(officer).get(f"/households/{household.id}").json["file"]["id"]
    set_clock(LATE_EVENING_UTC)
    response = api(officer).post(f"/files/{file_id}/renewals", json={})
    assert response.status_code == 200, response.json
    assert response.json["last_renewal_date"] == "2026-03-02"
