"""The sealed narrative of a case: what happened and the incident's details.

Readable only by the assigned researcher, the research committee and the executive director
(``rules.narrative_basis``); encrypted at rest with the national IDs' keys; every read logged
(``NarrativeRead``) and audited; the executive director's read of a case not assigned to them is
a break-glass read: it needs a reason and the auditors are told at once. Everyone else sees
that the case exists (and its needs), never the narrative.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.toolkit import (
    Conflict,
    Forbidden,
    Text,
    User,
    audit_record,
    can,
    db,
    decrypt_at_rest,
    encrypt_at_rest,
    notify,
    page_path,
    require_tenant,
    roles_in,
)

from .. import rules
from ..i18n import _, _l
from ..models import NarrativeRead, VictimCase
from .cases import check_invalid
from .steps import allow

READ = "crime_victims.narrative.read"
WRITTEN = "crime_victims.narrative.written"
ASSIGNED = "crime_victims.researcher.assigned"
BREAK_GLASS_TEMPLATE = "crime_victims_break_glass"
# The sealed reads by role (the assigned researcher reads by the case's assignment): declared
# ``fixed`` (the spec names their holders), so no association gives them to another role.
COMMITTEE_READ = "crime_victims.narrative_committee"
BREAK_GLASS_READ = "crime_victims.narrative_break_glass"
MAX = 20000


class NarrativeSchema(Schema):
    class Meta:
        unknown = "raise"

    narrative = Text(
        required=True, validate=validate.Length(min=2, max=MAX), metadata={"label": _l("Narrative")}
    )
    incident_details = Text(load_default="", validate=validate.Length(max=MAX))


class AssignSchema(Schema):
    class Meta:
        unknown = "raise"

    researcher_id = fields.Integer(required=True)


def basis_of(case: VictimCase, user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    tenant = require_tenant()
    return rules.narrative_basis(
        can(user, COMMITTEE_READ, tenant), can(user, BREAK_GLASS_READ, tenant), user.id, case.researcher_id
    )


def may_read(case: VictimCase, user) -> bool:
    return basis_of(case, user) is not None


def needs_reason(case: VictimCase, user) -> bool:
    return basis_of(case, user) == rules.BREAK_GLASS


def has_narrative(case: VictimCase) -> bool:
    return bool(case.narrative_encrypted)


def read(case: VictimCase, user, *, via: str, reason: str | None = None) -> dict:
    """The narrative for ``user`` (403 for a role that may not read it), the read logged and
    audited; a break-glass read without a reason is refused (422) and nothing is read."""
    basis = basis_of(case, user)
    if basis is None:
        raise Forbidden(
            _(
                "The narrative of a case is sealed: only its researcher, the research committee and the executive director read it."
            )
        )
    reason = (reason or "").strip() or None
    if basis == rules.BREAK_GLASS:
        check_invalid(
            reason is None or len(reason) < 5,
            "reason",
            _("Give the reason for opening a case not assigned to you."),
        )
    entry = NarrativeRead(
        case_id=case.id,
        user_id=user.id,
        basis=basis,
        via=via,
        reason=reason if basis == rules.BREAK_GLASS else None,
    )
    db.session.add(entry)
    db.session.flush()
    audit_record(
        READ, "crime_victims_case", case.id, {"basis": basis, "via": via, "read_id": entry.id}, user=user
    )
    if basis == rules.BREAK_GLASS:
        _tell_auditors(case, user, reason)
    return {
        "narrative": decrypt_at_rest(case.narrative_encrypted) or "",
        "incident_details": decrypt_at_rest(case.incident_details_encrypted) or "",
        "basis": basis,
    }


def _tell_auditors(case: VictimCase, reader, reason: str) -> None:
    tenant = require_tenant()
    for user in db.session.scalars(db.select(User).where(User.is_active.is_(True)).order_by(User.id)):
        if "auditor" in roles_in(user, tenant):
            notify(
                BREAK_GLASS_TEMPLATE,
                {"case": case.id, "reader": reader.email, "reason": reason},
                user=user,
                only=("in_app",),
                link=page_path("crime_victims.case", case_id=case.id),
            )


def write(case: VictimCase, data: dict, user) -> None:
    """The assigned researcher records (or rewrites) the narrative; audited without its text."""
    if case.researcher_id is None or case.researcher_id != getattr(user, "id", None):
        raise Forbidden(_("Only the researcher assigned to the case records its narrative."))
    values = NarrativeSchema().load(data)
    case.narrative_encrypted = encrypt_at_rest(values["narrative"])
    case.incident_details_encrypted = (
        encrypt_at_rest(values["incident_details"]) if values["incident_details"] else None
    )
    audit_record(WRITTEN, "crime_victims_case", case.id, {"fields": sorted(values)}, user=user)


def assign(case: VictimCase, data: dict, actor) -> None:
    """Assign the case's researcher (a member holding the researcher role)."""

    allow(actor, "crime_victims.intake")
    values = AssignSchema().load(data)
    researcher = db.session.get(User, values["researcher_id"])
    check_invalid(
        researcher is None or "researcher" not in roles_in(researcher, require_tenant()),
        "researcher_id",
        _("Choose a social researcher of the association."),
    )
    if case.researcher_id == researcher.id:
        raise Conflict(_("This researcher is already assigned."))
    case.researcher_id = researcher.id
    audit_record(ASSIGNED, "crime_victims_case", case.id, {"researcher_id": researcher.id}, user=actor)
