"""Plain helpers of the volunteer tests (the fixtures come from core.testing)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from core.volunteers import services


def volunteer_data(**overrides) -> dict:
    data = {
        "name": "سلمان فهد عبدالله العنزي",
        "phone": "+966500000011",
        "kind": "individual",
        "skills": ["distribution"],
        "days": ["sat", "thu"],
        "available_from": time(16, 0),
        "available_to": time(21, 0),
        "areas": ["حي الروضة"],
        "field_visits": True,
    }
    data.update(overrides)
    return data


def opportunity_data(**overrides) -> dict:
    data = {
        "kind": "event",
        "title": "يوم التوزيع الشهري",
        "on_date": services.today(),
        "places": 2,
        "skills": ["distribution"],
    }
    data.update(overrides)
    return data


def accepted(staff, **overrides):
    """A volunteer registered and accepted by the tenant admin (flushed)."""
    return services.register(volunteer_data(**overrides), staff["tenant_admin"])


def at(hour: int, minute: int = 0, on: date | None = None) -> datetime:
    return datetime.combine(on or services.today(), time(hour, minute))


def worked(staff, volunteer, opportunity, start=(9, 0), end=(12, 30)):
    """Assign, check in and out (pending hours)."""
    assignment = services.assign(opportunity, volunteer, staff["tenant_admin"])
    services.check_in(assignment, staff["tenant_admin"], at=at(*start, on=opportunity.on_date))
    services.check_out(assignment, staff["tenant_admin"], at=at(*end, on=opportunity.on_date))
    return assignment


YESTERDAY = timedelta(days=-1)
