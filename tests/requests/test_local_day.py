"""A request's dates are the association's days: a submission at 22:30 UTC on Sunday 1 March
2026 is Monday 2 March in Riyadh, and a decision taken then is dated 2 March. The clock is moved
with ``set_clock``; nothing here depends on the real time of day."""

from __future__ import annotations

from datetime import date, datetime

from core.extensions import db
from core.requests import services
from core.requests.models import Decision

LATE_EVENING_UTC = datetime(2026, 3, 1, 22, 30)  # Sunday, UTC; Monday 01:30 in Riyadh


def test_the_decision_deadline_runs_from_the_local_day_of_the_submission(new_request, advance, staff, tenant):
    request = advance(new_request(), "in_research")
    request.submitted_at = LATE_EVENING_UTC
    tenant.settings = {"calendar": {"decision_deadline_days": 5}}
    # 5 working days after Monday 2 March (Sunday–Thursday): Tue 3, Wed 4, Thu 5, Sun 8, Mon 9.
    assert services.deadline_of(request) == date(2026, 3, 9)
    assert services.is_overdue(request, request.submitted_at, date(2026, 3, 9)) is False
    assert services.is_overdue(request, request.submitted_at, date(2026, 3, 10)) is True
    # The queue filters in SQL and agrees with the row-by-row rule.
    assert services.queue("overdue", staff["researcher"], today=date(2026, 3, 9)) == []
    assert services.queue("overdue", staff["researcher"], today=date(2026, 3, 10)) == [request]


def test_a_decision_without_a_date_is_dated_the_associations_day(new_request, advance, set_clock):
    set_clock(LATE_EVENING_UTC)
    request = advance(new_request(), "approved")
    decision = db.session.scalars(db.select(Decision).where(Decision.request_id == request.id)).one()
    assert decision.decided_on == date(2026, 3, 2)
