"""Handling: the states and transitions, the malicious marking, appeals and their conflict of
interest rule, and the KPIs against hand-computed figures."""

from __future__ import annotations

from datetime import date

import pytest
from marshmallow import ValidationError

from core.audit.models import AuditEvent
from core.errors import Conflict, Forbidden
from core.extensions import db
from core.grievances import services
from core.kpi import kpi_values
from core.notifications.models import OutboxMessage
from tests.grievances.helpers import ON, filed


def test_received_under_review_decided_closed(in_first, staff):
    director, committee = staff["executive_director"], staff["committee_member"]
    grievance = filed(staff)
    services.assign(grievance, director, [committee.id], "لجنة الشكاوى")
    assert grievance.state == "under_review" and grievance.assigned_body == "لجنة الشكاوى"
    services.decide(grievance, committee, "partly_upheld", "ثبت جزء", "إعادة الدراسة", date(2025, 11, 20))
    assert (grievance.state, grievance.outcome, grievance.decided_by_id) == (
        "decided",
        "partly_upheld",
        committee.id,
    )
    decided = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "grievance_decided")
    ).all()
    assert decided and "ثبت جزء" in decided[0].body
    services.close(grievance, director)
    assert grievance.state == "closed"
    actions = [e.action for e in grievance.events]
    assert actions == ["file", "assign", "decide", "close"]
    audited = {a for (a,) in db.session.execute(db.select(AuditEvent.action)) if a.startswith("grievance.")}
    assert {"grievance.file", "grievance.assign", "grievance.decide", "grievance.close"} <= audited


def test_a_step_from_the_wrong_state_is_a_conflict_and_changes_nothing(in_first, staff):
    grievance = filed(staff)
    with pytest.raises(Conflict):
        services.close(grievance, staff["executive_director"])
    with pytest.raises(Conflict):
        services.answer(grievance, staff["executive_director"], "x", ON)
    assert grievance.state == "received"


def test_only_the_director_or_an_assignee_may_decide(in_first, staff):
    grievance = filed(staff)
    for role in ("researcher", "committee_member", "auditor", "relations_officer"):
        with pytest.raises(Forbidden):
            services.decide(grievance, staff[role], "upheld", "x", None, ON)
    services.assign(grievance, staff["executive_director"], [staff["researcher"].id])
    services.decide(grievance, staff["researcher"], "upheld", "ثبت", None, ON)


def test_deciding_needs_a_reason_and_a_known_outcome(in_first, staff):
    grievance = filed(staff)
    with pytest.raises(ValidationError) as refused:
        services.decide(grievance, staff["executive_director"], "upheld", "  ", None, ON)
    assert list(refused.value.messages) == ["decision_text"]
    with pytest.raises(ValidationError) as refused:
        services.decide(grievance, staff["executive_director"], "maybe", "x", None, ON)
    assert list(refused.value.messages) == ["outcome"]
    assert grievance.state == "received"


def test_inadmissible_names_its_rule_and_withdrawal_ends_the_clock(in_first, staff):
    director = staff["executive_director"]
    refused, withdrawn = filed(staff), filed(staff)
    services.reject_inadmissible(refused, director, "duplicate", "مكررة")
    assert refused.state == "rejected_inadmissible" and refused.inadmissible_rule == "duplicate"
    services.withdraw(withdrawn, director)
    assert withdrawn.state == "withdrawn" and services.light(withdrawn, ON) is None


def test_the_malicious_marking_is_audited_and_never_public(in_first, staff):
    grievance = filed(staff)
    services.mark_malicious(grievance, staff["executive_director"], "ثبت أنها كيدية", refer=True)
    assert grievance.malicious and grievance.disciplinary_referral
    event = grievance.events[-1]
    assert event.action == "mark_malicious" and event.public is False
    with pytest.raises(Forbidden):
        services.mark_malicious(grievance, staff["committee_member"], "x", refer=False)


def test_the_staff_member_it_is_about_is_never_assigned(in_first, staff):
    grievance = filed(staff, about_user_id=staff["researcher"].id, category="staff_conduct")
    with pytest.raises(ValidationError) as refused:
        services.assign(grievance, staff["executive_director"], [staff["researcher"].id])
    assert list(refused.value.messages) == ["user_ids"]


def _decided(staff, handler_role="committee_member", on=date(2025, 11, 20)):
    grievance = filed(staff)
    services.assign(grievance, staff["executive_director"], [staff[handler_role].id])
    services.decide(grievance, staff[handler_role], "dismissed", "لا أساس", None, on)
    db.session.flush()
    return grievance


def test_an_appeal_is_decided_by_someone_who_did_not_handle_the_original(in_first, staff):
    grievance = _decided(staff)
    appeal = services.open_appeal(
        grievance, staff["relations_officer"], "أطلب إعادة النظر", date(2025, 11, 24)
    )
    assert grievance.state == "appealed"
    assert appeal.due_date == date(2026, 1, 5)  # 30 working days from Monday 24 November
    with pytest.raises(ValidationError) as refused:
        services.assign_appeal(appeal, staff["executive_director"], staff["committee_member"].id)
    assert refused.value.messages == {"handler_id": [services.CONFLICT]}
    with pytest.raises(Forbidden):
        services.decide_appeal(appeal, staff["committee_member"], "upheld", "x", ON)
    services.assign_appeal(appeal, staff["executive_director"], staff["finance_officer"].id)
    services.decide_appeal(
        appeal, staff["finance_officer"], "upheld", "ثبت عند الاستئناف", date(2025, 11, 30)
    )
    assert appeal.state == "decided" and grievance.state == "closed"


def test_a_director_who_decided_the_original_cannot_decide_the_appeal(in_first, staff):
    grievance = filed(staff)
    services.decide(grievance, staff["executive_director"], "dismissed", "لا أساس", None, ON)
    appeal = services.open_appeal(grievance, staff["relations_officer"], "استئناف", ON)
    with pytest.raises(Forbidden):
        services.decide_appeal(appeal, staff["executive_director"], "upheld", "x", ON)


def test_the_appeal_window_is_10_working_days_after_the_decision(in_first, staff):
    # Decided Thursday 20 Nov; the 10th working day after is Thursday 4 Dec.
    on_time = _decided(staff)
    services.open_appeal(on_time, staff["relations_officer"], "استئناف", date(2025, 12, 4))
    late = _decided(staff)
    with pytest.raises(ValidationError) as refused:
        services.open_appeal(late, staff["relations_officer"], "استئناف", date(2025, 12, 7))
    assert list(refused.value.messages) == ["reason"]
    assert late.state == "decided"


def test_tick_closes_a_decision_once_its_appeal_window_passed(in_first, staff):
    grievance = _decided(staff)
    assert services.tick(date(2025, 12, 4))["closed"] == 0
    assert services.tick(date(2025, 12, 7))["closed"] == 1
    assert grievance.state == "closed"


def test_kpis_against_hand_computed_figures(in_first, staff):
    director = staff["executive_director"]
    # Four grievances filed Monday 3 Nov (due 15 Dec); decided on the 5th, 10th, 30th and 31st working day.
    decided_on = [date(2025, 11, 10), date(2025, 11, 17), date(2025, 12, 15), date(2025, 12, 16)]
    outcomes = ["upheld", "partly_upheld", "dismissed", "dismissed"]
    for day, outcome in zip(decided_on, outcomes, strict=True):
        services.decide(filed(staff), director, outcome, "سبب", None, day)
    filed(staff)  # a fifth, still open
    db.session.flush()
    start, end = date(2025, 11, 1), date(2025, 12, 31)
    assert services.kpi_filed(in_first, start, end) == 5
    assert services.kpi_decided_in_time(in_first, start, end) == 75.0
    assert services.kpi_median_days(in_first, start, end) == 20.0  # median of 5, 10, 30, 31
    assert services.kpi_upheld(in_first, start, end) == 50.0
    assert services.kpi_appeal_rate(in_first, start, end) == 0.0
    assert services.kpi_filed(in_first, date(2025, 12, 1), end) == 0
    assert services.kpi_decided_in_time(in_first, date(2026, 1, 1), date(2026, 1, 31)) is None


def test_the_kpis_are_registered_kpi_sources(in_first, staff):
    filed(staff)
    db.session.commit()
    values = {v["key"]: v for v in kpi_values(in_first, date(2025, 11, 1), date(2025, 11, 30))}
    assert values["grievances.filed"]["value"] == 1 and values["grievances.filed"]["unit"] == "count"
    assert {"grievances.decided_in_time", "grievances.median_working_days", "grievances.upheld",
            "grievances.appeal_rate", "grievances.reopen_rate"} <= set(values)  # fmt: skip
    assert values["grievances.upheld"]["value"] is None  # nothing decided in the period


def test_reopen_and_appeal_rates(in_first, staff):
    director = staff["executive_director"]
    reopened, appealed, plain = filed(staff), filed(staff), filed(staff)
    services.decide(reopened, director, "dismissed", "لا", None, date(2025, 11, 5))
    services.reopen(reopened, director, "معلومات جديدة", date(2025, 11, 6))
    services.decide(reopened, director, "upheld", "ثبت", None, date(2025, 11, 10))
    services.decide(appealed, director, "dismissed", "لا", None, date(2025, 11, 5))
    services.open_appeal(appealed, staff["relations_officer"], "استئناف", date(2025, 11, 6))
    services.decide(plain, director, "upheld", "ثبت", None, date(2025, 11, 7))
    db.session.flush()
    start, end = date(2025, 11, 1), date(2025, 11, 30)
    assert services.kpi_reopen_rate(in_first, start, end) == round(100 / 3, 1)
    assert services.kpi_appeal_rate(in_first, start, end) == round(100 / 3, 1)


def test_reopening_restarts_the_clock_but_keeps_the_filing_date(in_first, staff):
    director = staff["executive_director"]
    grievance = filed(staff)
    services.decide(grievance, director, "dismissed", "لا", None, date(2025, 11, 5))
    services.reopen(grievance, director, "معلومات جديدة", date(2025, 11, 9))
    assert grievance.state == "under_review" and grievance.filed_on == ON and grievance.outcome is None
    assert grievance.due_date == date(2025, 12, 21)  # 30 working days after Sunday 9 November
