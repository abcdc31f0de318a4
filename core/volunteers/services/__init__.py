"""Volunteer services: plain functions, one per rule or step (views and the API are thin).

* :mod:`.enrolment` — the offer, staff registration, the skill list, accept / decline;
* :mod:`.hours` — opportunities, places, check-in / check-out, the supervisor's confirmation;
* :mod:`.day_list` — the distribution day's list a volunteer sees (names, no IDs);
* :mod:`.links` — the volunteer-service channel's volunteer and field-visit companions;
* :mod:`.kpis` — the KPI sources; :mod:`.export` — the XLSX workbook.
"""

from ...calendar import today
from ...tenancy import current_tenant
from .day_list import DayListEntry, day_list, may_see_day_list
from .enrolment import (
    COORDINATE,
    DEFAULT_SKILLS,
    OFFER,
    can_coordinate,
    decide,
    offer,
    own_volunteer,
    register,
    set_skills,
    skill_label,
    skills,
    update,
)
from .export import export_xlsx
from .hours import (
    apply,
    assign,
    check_in,
    check_out,
    confirm_hours,
    confirmed_minutes,
    create_opportunity,
    history,
    may_confirm,
    pending_hours,
    supervisors,
    taken,
    taken_by_opportunity,
    update_opportunity,
    withdraw,
)
from .kpis import kpi_active, kpi_filled, kpi_hours, kpi_share
from .links import (
    CHANNEL,
    accepted_volunteers,
    add_companion,
    companions_of,
    field_volunteers,
    record_referral,
    referral_of,
    submission_errors,
)

__all__ = [
    "CHANNEL",
    "accepted_volunteers",
    "add_companion",
    "companions_of",
    "field_volunteers",
    "record_referral",
    "referral_of",
    "submission_errors",
    "COORDINATE",
    "DEFAULT_SKILLS",
    "OFFER",
    "DayListEntry",
    "apply",
    "can_coordinate",
    "current_tenant",
    "assign",
    "check_in",
    "check_out",
    "confirm_hours",
    "confirmed_minutes",
    "create_opportunity",
    "day_list",
    "decide",
    "export_xlsx",
    "history",
    "kpi_active",
    "kpi_filled",
    "kpi_hours",
    "kpi_share",
    "may_confirm",
    "may_see_day_list",
    "offer",
    "own_volunteer",
    "pending_hours",
    "register",
    "set_skills",
    "skill_label",
    "skills",
    "supervisors",
    "taken",
    "taken_by_opportunity",
    "today",
    "update",
    "update_opportunity",
    "withdraw",
]
