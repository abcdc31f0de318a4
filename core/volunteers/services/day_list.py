"""What a volunteer sees of a distribution day: the names on that day's list, nothing else.

Volunteers never see beneficiary files. The list holds the applicant's name as the request
gives it and whether the aid was handed over — no request number, file, ID number, phone or
address, and no identifier of any row (not even a database id). It is for the assigned
volunteers of that distribution day, on that day; coordinators see it any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...aid.models import Disbursement
from ...auth.permissions import can
from ...calendar import today
from ...errors import Forbidden
from ...extensions import db
from ...i18n import gettext as _
from ...requests.models import AidRequest
from ..models import Assignment, Opportunity
from .enrolment import COORDINATE, own_volunteer


@dataclass(frozen=True)
class DayListEntry:
    name: str
    received: bool


def may_see_day_list(opportunity: Opportunity, user: Any) -> bool:
    if opportunity.kind != "distribution_day":
        return False
    if can(user, COORDINATE):
        return True
    volunteer = own_volunteer(user)
    if volunteer is None or volunteer.state != "accepted" or opportunity.on_date != today():
        return False
    return (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Assignment)
            .where(
                Assignment.opportunity_id == opportunity.id,
                Assignment.volunteer_id == volunteer.id,
                Assignment.state == "assigned",
            )
        )
        > 0
    )


def day_list(opportunity: Opportunity, user: Any) -> list[DayListEntry]:
    """The day's recipients by name: aid handed over that day (of the day's program, if it
    names one) and, for a program, the approved requests still waiting for it. Two queries."""
    if not may_see_day_list(opportunity, user):
        raise Forbidden(_("Only the volunteers of this distribution day see its list, on the day."))
    handed = (
        db.select(AidRequest.applicant_name)
        .join(Disbursement, Disbursement.request_id == AidRequest.id)
        .where(Disbursement.disbursed_on == opportunity.on_date)
    )
    if opportunity.catalog_item_id is not None:
        handed = handed.where(Disbursement.catalog_item_id == opportunity.catalog_item_id)
    received = set(db.session.scalars(handed))
    waiting: set[str] = set()
    if opportunity.catalog_item_id is not None:
        waiting = set(
            db.session.scalars(
                db.select(AidRequest.applicant_name).where(
                    AidRequest.state == "approved", AidRequest.catalog_item_id == opportunity.catalog_item_id
                )
            )
        )
    entries = [DayListEntry(name, True) for name in received]
    entries += [DayListEntry(name, False) for name in waiting - received]
    return sorted(entries, key=lambda entry: (entry.received, entry.name))
