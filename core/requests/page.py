"""What the staff request page shows, gathered in a fixed number of queries: what was asked,
the linked file with its members, each step's record (visits field by field, verifications,
escalations, the status log with who and when), the enabled plugins' panels, and the figure
the committee's amount box starts from.

Plain functions over the request; ``requests.views`` renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..i18n import current_language
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..plugins import tenant_hooks
from ..registry.labels import LABELS as REGISTRY_LABELS
from ..registry.models import Household, Member
from ..registry.panels import Panel, merge_panels
from .models import AidRequest, CatalogItem, Escalation, FieldVisit, Verification

FIELD_CHECK_LABELS = {
    "confirmed": _l("Confirmed"),
    "corrected": _l("Corrected"),
    "not_seen": _l("Not seen"),
}
VERIFICATION_OUTCOME_LABELS = {
    "confirmed": _l("Confirmed"),
    "not_confirmed": _l("Not confirmed"),
    "pending": _l("Pending"),
}
ESCALATION_OUTCOME_LABELS = {
    "pending": _l("Pending"),
    "granted": _l("Permit granted"),
    "refused": _l("Permit refused"),
}


def field_check_label(code: str) -> str:
    return str(FIELD_CHECK_LABELS.get(code, code))


def verification_outcome_label(code: str) -> str:
    return str(VERIFICATION_OUTCOME_LABELS.get(code, code))


def escalation_outcome_label(code: str) -> str:
    return str(ESCALATION_OUTCOME_LABELS.get(code, code))


def relationship_label(code: str) -> str:
    return str(REGISTRY_LABELS.get(code, code))


def program_name(request: AidRequest) -> str | None:
    """The catalog item (program) asked for, in the reader's language."""
    if request.catalog_item_id is None:
        return None
    item = db.session.get(CatalogItem, request.catalog_item_id)
    if item is None:
        return None
    return item.name_ar if current_language() == "ar" else (item.name_en or item.name_ar)


def household_of(file: Any) -> Household | None:
    """The linked file's household with its head and members (and their persons) loaded at once."""
    if file is None:
        return None
    return db.session.scalars(
        db.select(Household)
        .where(Household.id == file.household_id)
        .options(
            selectinload(Household.head),
            selectinload(Household.members).selectinload(Member.person),
        )
    ).first()


def children(model, request_id: int) -> list:
    """A request's records of one kind (visits, verifications, decisions …), oldest first."""
    return list(db.session.scalars(db.select(model).where(model.request_id == request_id).order_by(model.id)))


def steps_record(request: AidRequest) -> dict[str, list]:
    """Each research step's own record: field visits, verifications, escalations."""
    return {
        "visits": children(FieldVisit, request.id),
        "verifications": children(Verification, request.id),
        "escalations": children(Escalation, request.id),
    }


def people_by_id(request: AidRequest, *records: list) -> dict[int, str]:
    """Who took each step (timeline events, visits, verifications …), by user id, in one query."""
    ids = {event.actor_id for event in request.events if event.actor_id}
    for rows in records:
        for row in rows:
            for attribute in ("researcher_id", "recorded_by_id", "decided_by_id"):
                value = getattr(row, attribute, None)
                if value:
                    ids.add(value)
    if not ids:
        return {}
    return {u.id: (u.name or u.email) for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}


def request_panels(request: AidRequest, user: Any) -> list[Panel]:
    """The sections every enabled feature adds to the request's page (``register_request_panels``)."""
    return merge_panels(tenant_hooks().register_request_panels(request=request, user=user))


def override_reasons(request: AidRequest) -> list[str]:
    """Stated reasons the committee may cite to approve above the ceiling
    (``approval_override_reasons``), offered beside the free-text reason."""
    found = tenant_hooks().approval_override_reasons(request=request)
    return list(dict.fromkeys(str(reason) for group in found for reason in group or []))


@dataclass(frozen=True)
class AmountHint:
    """The figure the committee's amount box starts from, and where it comes from."""

    halalas: int | None
    source: str

    @property
    def typed(self) -> str:
        """The figure as the box takes it: riyals, Latin digits, halalas only when there are some."""
        if not self.halalas:
            return ""
        riyals, rest = divmod(self.halalas, 100)
        return f"{riyals}.{rest:02d}" if rest else str(riyals)


def amount_hint(request: AidRequest, ceiling: Any) -> AmountHint:
    """The amount asked when it is within the ceiling (or there is none), else the ceiling."""
    asked = request.requested_halalas
    if ceiling is not None and ceiling.amount_halalas and (asked is None or asked > ceiling.amount_halalas):
        reason = str(ceiling.reason or "")
        if asked is None:
            source = _("The ceiling (%(reason)s): the applicant did not give an amount.", reason=reason)
        else:
            source = _("The ceiling (%(reason)s), below the amount asked.", reason=reason)
        return AmountHint(ceiling.amount_halalas, source)
    if asked:
        return AmountHint(asked, _("The amount the applicant asked for."))
    return AmountHint(None, _("No amount was asked and no ceiling applies: enter the amount decided."))


__all__ = [
    "AmountHint",
    "amount_hint",
    "escalation_outcome_label",
    "field_check_label",
    "household_of",
    "people_by_id",
    "program_name",
    "relationship_label",
    "request_panels",
    "steps_record",
    "verification_outcome_label",
]
