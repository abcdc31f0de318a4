"""The association's holidays (a tenant admin's page and API): add, move or remove one.

Holidays such as the two Eids move with the moon sighting. Working-day deadlines are counted
without them (:mod:`core.calendar`), so a change is audited and announced through the
``holidays_changed`` hook: features that store a due date (grievances) recompute the open ones.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm.attributes import flag_modified

from ..audit.services import record
from ..calendar import (
    CALENDAR_SETTINGS_KEY,
    HolidaySchema,
    format_date,
    holidays_of,
    tenant_calendar_settings,
)
from ..errors import NotFound
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..plugins import tenant_hooks
from ..tenancy import require_tenant


def holidays() -> list[dict]:
    """The tenant's holidays in date order: ``{"start", "end", "name"}`` (``end`` None: one day)."""
    return sorted(tenant_calendar_settings(require_tenant())["holidays"], key=lambda h: h["start"])


def add_holiday(data: dict, actor: Any) -> dict:
    holiday = HolidaySchema().load(data)
    current = holidays()
    _refuse_overlap(holiday, current)
    _save([*current, holiday], actor, "tenant.holidays.added", None, holiday)
    return holiday


def move_holiday(index: int, data: dict, actor: Any) -> dict:
    """Change the dates (or the name) of the ``index``-th holiday in date order."""
    current = holidays()
    before = _at(current, index)
    holiday = HolidaySchema().load(data)
    _refuse_overlap(holiday, current[:index] + current[index + 1 :])
    current[index] = holiday
    _save(current, actor, "tenant.holidays.moved", before, holiday)
    return holiday


def remove_holiday(index: int, actor: Any) -> dict:
    current = holidays()
    before = _at(current, index)
    del current[index]
    _save(current, actor, "tenant.holidays.removed", before, None)
    return before


def _refuse_overlap(holiday: dict, others: list[dict]) -> None:
    """Two holidays never share a day: moving one onto another is a field error, not a merge."""
    start, end = holiday["start"], holiday["end"] or holiday["start"]
    for other in others:
        if start <= (other["end"] or other["start"]) and other["start"] <= end:
            raise ValidationError(
                {
                    "start": [
                        _l(
                            "These days overlap the holiday %(name)s.",
                            name=other["name"] or format_date(other["start"]),
                        )
                    ]
                }
            )


def _at(current: list[dict], index: int) -> dict:
    if not 0 <= index < len(current):
        raise NotFound()
    return current[index]


def _days(holiday: dict | None) -> dict | None:
    if holiday is None:
        return None
    return {"start": holiday["start"].isoformat(), "end": (holiday["end"] or holiday["start"]).isoformat()}


def _save(new: list[dict], actor: Any, action: str, before: dict | None, after: dict | None) -> None:
    tenant = require_tenant()
    old_days = holidays_of(tenant)
    settings = dict(tenant.settings or {})
    settings[CALENDAR_SETTINGS_KEY] = {
        **(settings.get(CALENDAR_SETTINGS_KEY) or {}),
        "holidays": [
            {
                "start": h["start"].isoformat(),
                "end": h["end"].isoformat() if h["end"] else None,
                "name": h["name"],
            }
            for h in sorted(new, key=lambda h: h["start"])
        ],
    }
    tenant.settings = settings
    flag_modified(tenant, "settings")
    db.session.flush()
    # Dates and codes only in the trail; the holiday's name is the association's, not personal.
    record(action, "tenant", tenant.id, {"from": _days(before), "to": _days(after)}, user=actor)
    announce_holiday_changes(tenant, old_days)


def announce_holiday_changes(tenant: Any, old_days: frozenset) -> None:
    """Fire ``holidays_changed`` when the tenant's holidays differ from ``old_days`` (the page,
    the API and ``flask tenants apply`` alike); the tenant in context, inside the change's
    transaction."""
    new_days = holidays_of(tenant)
    added, removed = sorted(new_days - old_days), sorted(old_days - new_days)
    if added or removed:
        tenant_hooks().holidays_changed(tenant=tenant, added=added, removed=removed)


__all__ = ["add_holiday", "announce_holiday_changes", "holidays", "move_holiday", "remove_holiday"]
