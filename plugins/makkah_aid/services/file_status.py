"""The file's status under the ladder: core's status reflects the strongest sanction in force
(an applicant's file as an active one's),
timed suspensions end by themselves, and the daily run."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.toolkit import (
    BeneficiaryFile,
    audit_record,
    change_file_status,
    db,
    get_or_404,
    resumed_file_status,
    today,
    utcnow,
)

from .. import rules
from ..i18n import _
from ..models import Violation
from .exclusions import scan_all
from .ladder import sanction_text, violations_of
from .pledge import find_pledge


def sanctions_in_force(file: BeneficiaryFile) -> list[Violation]:
    lift_expired(file)
    return [v for v in violations_of(file) if v.in_force]


def blocking_messages(file: BeneficiaryFile) -> list[str]:
    in_force = sanctions_in_force(file)
    if not in_force:
        return []
    return [_("A sanction of the violations ladder is in force on this file: no approval or disbursement.")]


def _in_force_view(violation: Violation, file: BeneficiaryFile, on: date) -> rules.InForce:
    sanction = violation.sanction or {}
    awaiting = rules.pledge_required(sanction) and rules.awaiting_pledge(
        sanction, violation.ends_on, on, find_pledge(violation, file) is not None
    )
    return rules.InForce(
        id=violation.id,
        kind=violation.sanction_kind,
        ends_on=violation.ends_on,
        condition=sanction.get("condition_ar") or sanction.get("condition_en") or "",
        awaiting_pledge=awaiting,
    )


def displayed_state(
    file: BeneficiaryFile, on: date | None = None, violations: list[Violation] | None = None
) -> dict:
    """The file's state as the household page and the portal word it: the strongest sanction in
    force (the one core's status reflects) — ``{"kind", "text", "violation"}``; kind None when
    no sanction is in force. A dismissal (the file excluded with referral) reads as such.
    ``violations``: the file's violations when the caller already read them (after
    ``lift_expired``)."""
    on = on or today()
    in_force = sanctions_in_force(file) if violations is None else [v for v in violations if v.in_force]
    views = {v.id: _in_force_view(v, file, on) for v in in_force}
    effective = rules.effective_sanction(list(views.values()))
    if effective is None:
        dismissal = next((v for v in in_force if v.sanction_kind == "dismissal"), None)
        if dismissal is None:
            return {"kind": None, "text": "", "violation": None}
        return {"kind": "dismissal", "text": sanction_text(dismissal.sanction), "violation": dismissal.id}
    strongest = next(v for v in in_force if v.id == effective.id)
    if effective.awaiting_pledge:
        return {
            "kind": "condition",
            "text": _("Suspended until the written pledge is attached"),
            "violation": strongest.id,
        }
    text = sanction_text(strongest.sanction, strongest.ends_on, strongest.documenters)
    return {"kind": effective.kind, "text": text, "violation": strongest.id}


def sync_file_status(
    file: BeneficiaryFile, actor: Any, reason: str, on: date | None = None, cause: int | None = None
) -> bool:
    """Make core's file status reflect the strongest sanction in force (permanent > later end
    date > condition), through core's change of status (a file event) each time it changes;
    back to active only when none is in force. True when the status changed."""
    if file.status not in ("applicant", "active", "suspended"):
        return False
    on = on or today()
    in_force = [v for v in violations_of(file) if v.in_force]
    views = {v.id: _in_force_view(v, file, on) for v in in_force}
    effective = rules.effective_sanction(list(views.values()))
    if effective is None:
        if file.status != "suspended":
            return False
        # Back to what it was: an applicant's file suspended before it was opened stays one.
        change_file_status(file, {"status": resumed_file_status(file), "reason": reason}, actor)
        return True
    target = rules.file_suspension(effective)
    current = {"suspended_until": file.suspended_until, "suspension_condition": file.suspension_condition}
    if file.status == "suspended" and current == target:
        return False
    strongest = next(v for v in in_force if v.id == effective.id)
    if effective.awaiting_pledge:
        under = _("Suspended until the written pledge is attached")
    else:
        under = sanction_text(strongest.sanction, strongest.ends_on, strongest.documenters)
    if file.status == "suspended" and effective.id != cause:
        reason = _("%(reason)s — the file stays suspended under: %(sanction)s", reason=reason, sanction=under)
    data = {"status": "suspended", "reason": reason}
    data.update({k: v for k, v in target.items() if v is not None})
    change_file_status(file, data, actor)
    return True


def lift_expired(file: BeneficiaryFile, on: date | None = None) -> int:
    """Timed suspensions past their end date end by themselves (lazily, when the file is read)
    — unless their written pledge is missing: they stay in force until it is attached."""
    on = on or today()
    lifted = 0
    awaiting = False
    for violation in violations_of(file):
        if not (violation.in_force and violation.sanction_kind == "timed"):
            continue
        if not rules.suspension_over(violation.ends_on, on):
            continue
        sanction = violation.sanction or {}
        attached = find_pledge(violation, file) is not None if rules.pledge_required(sanction) else False
        if rules.timed_may_end(sanction, violation.ends_on, on, attached):
            violation.lifted_at = utcnow()
            violation.lift_note = "expired"
            lifted += 1
        else:
            awaiting = True
    if lifted:
        db.session.flush()
        audit_record("makkah_aid.violation.expired", "file", file.id, {"lifted": lifted})
    if lifted or awaiting:
        sync_file_status(file, None, _("The timed suspension ended."), on)
    return lifted


def tick(on: date | None = None) -> dict:
    """The daily run for the tenant in context: end timed suspensions, propose late renewals."""
    on = on or today()
    lifted = 0
    due = db.session.scalars(
        db.select(Violation.file_id)
        .where(Violation.lifted_at.is_(None), Violation.sanction_kind == "timed", Violation.ends_on <= on)
        .distinct()
    ).all()
    for file_id in due:
        lifted += lift_expired(get_or_404(BeneficiaryFile, file_id), on)
    proposed = scan_all(on)
    return {"lifted": lifted, "proposed": proposed}
