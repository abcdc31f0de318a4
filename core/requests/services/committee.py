"""The committee: its members, approval (within the ceiling, or overridden with a reason),
rejection, and escalation to the competent authority for a permit."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from ...auth.models import Membership
from ...auth.permissions import can
from ...calendar import today
from ...errors import Conflict, Forbidden
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...lookup import get_or_404
from ...notifications import notify_applicant
from ...numbers import format_halalas
from ...tenancy import require_tenant, utcnow
from .. import workflow
from ..models import AidRequest, Decision, Escalation
from ..workflow import record_event, transition
from .assessment import assess, ceiling_for


def committee_members() -> list:
    """The active users holding the ``committee_member`` role in the current tenant, by name."""

    memberships = db.session.scalars(db.select(Membership)).unique().all()
    users = [
        m.user
        for m in memberships
        if m.tenant_id == require_tenant().id and "committee_member" in (m.roles or []) and m.user.is_active
    ]
    return sorted(users, key=lambda u: (u.name or u.email, u.id))


def _check_step_role(request: AidRequest, action: str, actor: Any) -> None:
    """403 before the input is checked when the role does not own the step."""
    step = workflow.transitions().get(action)
    if step is not None and not workflow.may(actor, request, step):
        raise Forbidden(_("Your role cannot take this step."))


def members_snapshot(member_ids: list[int]) -> list[dict]:
    """The members present, as ``[{"id", "name"}]`` (names kept as they were on the day).

    Each id must be one of the tenant's committee members; otherwise 422, nothing written.
    """
    members = {u.id: u for u in committee_members()}
    ids = list(dict.fromkeys(member_ids or []))
    if not ids:
        raise ValidationError({"members_present": [_l("Record the members present.")]})
    unknown = [i for i in ids if i not in members]
    if unknown:
        raise ValidationError(
            {"members_present": [_l("Choose the members present among the committee's members.")]}
        )
    return [{"id": i, "name": members[i].name or members[i].email} for i in ids]


def approve(
    request: AidRequest,
    actor: Any,
    *,
    amount_halalas: int,
    members_present: list[int],
    decided_on: date | None = None,
    override_reason: str | None = None,
    note: str = "",
) -> Decision:
    """Approve with an amount: at most the ceiling, unless overridden with a reason (``requests.override``).

    ``members_present`` are user ids of the tenant's committee members (see :func:`members_snapshot`).
    """

    if amount_halalas <= 0:
        raise ValidationError({"amount": [_l("The amount must be more than zero.")]})
    _check_step_role(request, "approve", actor)
    members_present = members_snapshot(members_present)
    ceiling = ceiling_for(request)
    above = ceiling is not None and amount_halalas > ceiling.amount_halalas

    def check_ceiling() -> None:
        # Runs after the role and state checks, before anything changes.
        if not above:
            return
        if not (override_reason or "").strip():
            raise ValidationError(
                {
                    "override_reason": [
                        _(
                            "The amount is above the ceiling of %(ceiling)s SAR: record the reason for the override.",
                            ceiling=format_halalas(ceiling.amount_halalas),
                        )
                    ]
                }
            )
        if not can(actor, "requests.override"):
            raise Forbidden(_("Only the executive director may approve above the ceiling."))

    decision = Decision(
        tenant_id=request.tenant_id,
        request_id=request.id,
        outcome="approved",
        amount_halalas=amount_halalas,
        ceiling_halalas=ceiling.amount_halalas if ceiling else None,
        ceiling_basis=str(ceiling.reason) if ceiling else "",
        override_reason=override_reason if above else None,
        members_present=list(members_present),
        decided_on=decided_on or today(),
        decided_by_id=actor.id,
    )

    def apply(req: AidRequest) -> None:
        check_ceiling()
        decision.assessment = assess(req)
        req.approved_halalas = amount_halalas
        req.decided_at = utcnow()
        req.rejection_reason = None
        db.session.add(decision)

    data = {
        "amount_halalas": amount_halalas,
        "ceiling_halalas": decision.ceiling_halalas,
        "override": above,
        "override_reason": override_reason if above else None,
        "members_present": list(members_present),
    }
    transition(request, "approve", actor, note=note, data=data, apply=apply)
    return decision


def reject(
    request: AidRequest,
    actor: Any,
    *,
    reason: str,
    members_present: list[int],
    decided_on: date | None = None,
) -> Decision:
    """Reject with the reason the applicant will see (their right to know it)."""
    _check_step_role(request, "reject", actor)
    members_present = members_snapshot(members_present)
    decision = Decision(
        tenant_id=request.tenant_id,
        request_id=request.id,
        outcome="rejected",
        reason=reason,
        members_present=list(members_present),
        decided_on=decided_on or today(),
        decided_by_id=actor.id,
    )

    def apply(req: AidRequest) -> None:
        decision.assessment = assess(req)
        req.rejection_reason = reason
        req.decided_at = utcnow()
        db.session.add(decision)

    transition(
        request,
        "reject",
        actor,
        note=reason,
        data={"reason": reason, "members_present": list(members_present)},
        apply=apply,
    )
    return decision


def escalate(
    request: AidRequest, actor: Any, *, authority: str, sent_on: date, reference: str = "", notes: str = ""
) -> Escalation:
    """Send a request that needs an official permit to the competent authority."""

    if not can(actor, "requests.escalate"):
        raise Forbidden(_("Your role cannot take this step."))
    if not request.needs_permit:
        raise Conflict(_("This request does not need a permit."))
    if request.state not in ("in_committee", "approved"):
        raise Conflict(_("A request is escalated once it reaches the committee."))
    escalation = Escalation(
        tenant_id=request.tenant_id,
        request_id=request.id,
        authority=authority,
        sent_on=sent_on,
        reference=reference,
        notes=notes,
        recorded_by_id=actor.id,
    )
    db.session.add(escalation)
    db.session.flush()
    record_event(
        request, "escalate", actor, note=notes, data={"authority": authority, "escalation_id": escalation.id}
    )
    return escalation


def record_permit_outcome(
    request: AidRequest, actor: Any, escalation_id: int, *, outcome: str, outcome_on: date, notes: str = ""
) -> Escalation:
    """The authority's answer; the applicant is told. A refusal rejects the request."""

    if not can(actor, "requests.escalate"):
        raise Forbidden(_("Your role cannot take this step."))
    escalation = get_or_404(Escalation, escalation_id, request_id=request.id)
    if escalation.outcome != "pending":
        raise Conflict(_("The authority's answer is already recorded."))
    if outcome == "refused":
        reason = notes or _("The competent authority did not grant the permit.")

        def apply(req: AidRequest) -> None:
            req.rejection_reason = reason

        transition(
            request, "refuse_permit", actor, note=reason, data={"escalation_id": escalation.id}, apply=apply
        )
    else:
        record_event(request, "permit_granted", actor, note=notes, data={"escalation_id": escalation.id})
    escalation.outcome = outcome
    escalation.outcome_on = outcome_on
    escalation.notes = notes or escalation.notes
    notify_applicant(
        request, "permit_outcome", outcome=_l("granted") if outcome == "granted" else _l("refused")
    )
    return escalation
