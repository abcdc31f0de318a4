"""A tenant admin keeps the association's holidays: adding, moving or removing one is audited
and every open grievance's working-day due date is recomputed at once (the Eids move with the
moon sighting); bad dates are field errors and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from core.audit.models import AuditEvent
from core.calendar import holidays_of
from core.extensions import db
from core.grievances import services
from core.tenancy import tenant_context
from tests.grievances.helpers import filed, set_holidays

PAGE = "/t/first/admin/calendar"
API = "/t/first/api/v1/calendar/holidays"
EID = {"start": "2025-11-20", "end": "2025-11-24", "name": "عيد الفطر"}


def _actions(tenant, prefix: str) -> list[AuditEvent]:
    with tenant_context(tenant):
        return db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        ).all()


def _holidays(tenant) -> frozenset[date]:
    with tenant_context(tenant):
        db.session.refresh(tenant)
        return holidays_of(tenant)


def test_adding_a_holiday_on_the_page_recomputes_open_due_dates_and_audits(
    client, login, tenant, staff, in_first
):
    open_one, decided = filed(staff), filed(staff)  # both due Monday 15 Dec 2025
    services.decide(decided, staff["executive_director"], "dismissed", "لا أساس", None, date(2025, 11, 5))
    db.session.commit()
    login(staff["tenant_admin"])
    response = client.post(PAGE, data=EID)
    assert response.status_code == 302
    assert "عيد الفطر" in client.get(PAGE).get_data(as_text=True)
    with tenant_context(tenant):
        open_one, decided = (
            db.session.get(type(open_one), open_one.id),
            db.session.get(type(decided), decided.id),
        )
        assert open_one.due_date == date(2025, 12, 18)  # Thu 20, Sun 23, Mon 24 Nov no longer count
        assert decided.due_date == date(2025, 12, 15)
    [added] = _actions(tenant, "tenant.holidays.")
    assert added.action == "tenant.holidays.added"
    assert added.details == {"from": None, "to": {"start": "2025-11-20", "end": "2025-11-24"}}
    [recomputed] = _actions(tenant, "grievance.due_date.recomputed")
    assert recomputed.details == {"from": "2025-12-15", "to": "2025-12-18"}


def test_moving_the_eid_by_a_day_moves_the_due_date_back_and_forth(client, login, tenant, staff, in_first):
    set_holidays(in_first, [EID])
    grievance = filed(staff)
    db.session.commit()
    assert grievance.due_date == date(2025, 12, 18)
    login(staff["tenant_admin"])
    moved = {**EID, "start": "2025-11-23"}  # the moon was sighted later: Sun 23 – Mon 24
    assert client.post(f"{PAGE}/0", data={**moved, "action": "save"}).status_code == 302
    with tenant_context(tenant):
        assert db.session.get(type(grievance), grievance.id).due_date == date(2025, 12, 17)
    [entry] = _actions(tenant, "tenant.holidays.moved")
    assert entry.details["from"]["start"] == "2025-11-20" and entry.details["to"]["start"] == "2025-11-23"
    assert client.post(f"{PAGE}/0", data={"action": "remove"}).status_code == 302
    assert _holidays(tenant) == frozenset()
    with tenant_context(tenant):
        assert db.session.get(type(grievance), grievance.id).due_date == date(2025, 12, 15)


@pytest.mark.parametrize(
    "posted, field",
    [
        ({"end": "2025-11-24"}, "start"),
        ({"start": "2025-11-24", "end": "2025-11-20"}, "end"),
        ({"start": "24/11/2025x"}, "start"),
        ({"start": "2025-11-20", "name": "ع" * 121}, "name"),
    ],
)
def test_a_bad_holiday_is_a_field_error_and_nothing_is_written(client, login, tenant, staff, posted, field):
    login(staff["tenant_admin"])
    response = client.post(PAGE, data=posted)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert _holidays(tenant) == frozenset() and _actions(tenant, "tenant.holidays.") == []


def test_a_bad_move_is_shown_on_its_row_and_keeps_the_holiday(client, login, tenant, staff, in_first):
    set_holidays(in_first, [EID])
    login(staff["tenant_admin"])
    response = client.post(f"{PAGE}/0", data={"start": "2025-11-24", "end": "2025-11-20", "action": "save"})
    assert response.status_code == 422
    assert 'id="end-0-error"' in response.get_data(as_text=True)
    assert date(2025, 11, 20) in _holidays(tenant)
    assert client.post(f"{PAGE}/5", data={"action": "remove"}).status_code == 404


def test_a_holiday_overlapping_another_is_refused_on_add_and_on_move(client, login, tenant, staff, in_first):
    set_holidays(in_first, [EID, {"start": "2026-05-26", "end": "2026-05-29", "name": "عيد الأضحى"}])
    login(staff["tenant_admin"])
    again = client.post(PAGE, data={"start": "2025-11-24", "name": "مكرر"})
    assert again.status_code == 422 and "عيد الفطر" in again.get_data(as_text=True)
    onto = client.post(f"{PAGE}/1", data={"start": "2025-11-22", "end": "2025-11-25", "action": "save"})
    assert onto.status_code == 422 and 'id="start-1-error"' in onto.get_data(as_text=True)
    assert client.post(f"{PAGE}/0", data={**EID, "end": "2025-11-25", "action": "save"}).status_code == 302
    assert len(_holidays(tenant)) == 6 + 4


def test_only_the_tenant_admin_keeps_the_holidays(client, login, tenant, staff):
    login(staff["executive_director"])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data=EID).status_code == 403
    assert _holidays(tenant) == frozenset()


def test_the_api_lists_adds_moves_and_removes_holidays(client, tenant, staff, token_for):
    headers = token_for(staff["tenant_admin"])
    assert client.get(API, headers=headers).get_json() == []
    added = client.post(API, json=EID, headers=headers)
    assert added.status_code == 201
    assert added.get_json() == [{**EID, "index": 0}]
    bad = client.put(f"{API}/0", json={"start": "2025-11-24", "end": "2025-11-20"}, headers=headers)
    assert bad.status_code == 422 and "end" in bad.get_json()["errors"]
    moved = client.put(f"{API}/0", json={"start": "2025-11-23", "name": "عيد الفطر"}, headers=headers)
    assert moved.get_json() == [{"start": "2025-11-23", "end": None, "name": "عيد الفطر", "index": 0}]
    assert client.delete(f"{API}/3", headers=headers).status_code == 404
    assert client.delete(f"{API}/0", headers=headers).status_code == 204
    assert _holidays(tenant) == frozenset()
    assert client.get(API, headers=token_for(staff["researcher"])).status_code == 403


def test_holidays_moved_by_a_manifest_recompute_open_due_dates_as_the_page_does(
    runner, tenant, staff, in_first, tmp_path
):
    grievance = filed(staff)  # due Monday 15 Dec 2025
    db.session.commit()
    manifest = tmp_path / "first.toml"
    manifest.write_text(
        f"""
slug = "first"
name_ar = "{tenant.name_ar}"
name_en = "{tenant.name_en}"
service_area = ["الرياض"]

[[settings.calendar.holidays]]
start = "2025-11-20"
end = "2025-11-24"
name = "عيد الفطر"
""",
        encoding="utf-8",
    )
    result = runner.invoke(args=["tenants", "apply", str(manifest)])
    assert result.exit_code == 0, result.output
    assert _holidays(tenant) == frozenset(date(2025, 11, d) for d in range(20, 25))
    with tenant_context(tenant):
        assert db.session.get(type(grievance), grievance.id).due_date == date(2025, 12, 18)
    [recomputed] = _actions(tenant, "grievance.due_date.recomputed")
    assert recomputed.details == {"from": "2025-12-15", "to": "2025-12-18"}
