"""The intake step forms of the case page as a browser posts them: a field left empty is not
given (found by the 375 px journey: "clear to the applicant" with the officer's number empty was
refused as "not a valid integer")."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.toolkit import Conflict, db

from .. import demo, services, views
from ..models import VictimCase
from .conftest import PAGE


def test_the_procedure_clear_with_the_officer_field_left_empty_records_step_3(
    client, staff, login, open_case, walk, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 2)
    login(staff["relations_officer"])
    response = client.post(
        f"{PAGE}/cases/{case_id}/steps/clarify", data={"outcome": "clear", "officer_id": ""}
    )
    assert response.status_code == 302
    with in_tenant(enabled):
        assert db.session.get(VictimCase, case_id).step == 3


def test_a_referral_with_the_officer_field_left_empty_is_a_field_error(
    client, staff, login, open_case, walk, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 2)
    login(staff["relations_officer"])
    response = client.post(
        f"{PAGE}/cases/{case_id}/steps/clarify", data={"outcome": "refer", "officer_id": ""}
    )
    assert response.status_code == 422 and 'data-field="officer_id"' in response.get_data(as_text=True)
    with in_tenant(enabled):
        assert db.session.get(VictimCase, case_id).step == 2


def test_a_closed_case_takes_no_new_need_and_the_applicant_reads_that_the_committee_answered(
    enabled, staff, in_tenant, client, login, app
):
    """Found by the journey: the need form stayed on a closed case, and the portal still said
    "expect the answer by …" after the decision."""
    with in_tenant(enabled):
        demo.load(enabled)
        db.session.commit()
        closed = next(
            case
            for case in db.session.scalars(db.select(VictimCase))
            if services.request_of(case).state == "closed"
        )
        with pytest.raises(Conflict):
            services.care.add_need(closed, {"area": "legal", "severity": "low"}, staff["researcher"])
        request = services.request_of(closed)
        with app.test_request_context("/t/first/portal/"):
            (panel,) = views.portal_panels(request, None)
        case_id = closed.id
    assert 'id="committee-answered"' in str(panel.html) and "expected-answer" not in str(panel.html)
    login(staff["researcher"])
    page = client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    assert 'id="need-form"' not in page and 'data-status="completed"' in page


def test_the_fourteen_days_run_from_the_submission_day_in_the_associations_time_zone(
    staff, open_case, walk, in_tenant, enabled
):
    """Found by the journey run at 21:10 UTC: the timeline said the case was submitted on
    1 December (Riyadh) while the expected answer was 14 December, 13 days later."""
    case_id = open_case()
    walk(case_id, 4)
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = services.request_of(case)
        request.submitted_at = datetime(2026, 11, 30, 22, 30)  # UTC: 1 December, 01:30 in Riyadh
        services.take(case, "notice", {}, staff["relations_officer"])
        row = services.row_of(case, today=date(2026, 12, 15))
        assert row.submitted_on == date(2026, 12, 1)
        assert row.expected_answer == date(2026, 12, 15) and row.overdue is False
        assert services.timeline(case)[-1].data["expected"] == "2026-12-15"
        assert services.row_of(case, today=date(2026, 12, 16)).overdue is True
