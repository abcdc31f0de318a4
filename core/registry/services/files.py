"""Beneficiary files: status changes (which status may follow which; plugins may refuse and
are told), renewals, and the file's timeline of events."""

from __future__ import annotations

from datetime import date

from marshmallow import ValidationError

from ...audit.services import record
from ...calendar import today
from ...errors import Conflict
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks
from ...tenancy import utcnow
from ..models import BeneficiaryFile, FileEvent
from .dates import add_months, renewal_interval_months
from .lists import exclusion_reasons

# Which status may follow which (anything else is refused with 409).
TRANSITIONS: dict[str, frozenset[str]] = {
    # An applicant's file may be suspended too (a sanction before it was ever opened); the
    # suspension's end brings it back to the status it had (``resumed_status``).
    "applicant": frozenset({"active", "suspended", "excluded", "closed"}),
    "active": frozenset({"suspended", "excluded", "closed"}),
    # suspended → suspended: the suspension's end date or condition changes (a file event).
    "suspended": frozenset({"applicant", "active", "suspended", "excluded", "closed"}),
    "excluded": frozenset({"applicant", "closed"}),
    "closed": frozenset({"applicant"}),
}


def add_file_event(file, kind, old, new, reason, user, details=None) -> FileEvent:
    """An entry on the file's timeline (``kind``: created, status, renewed), added to the session."""
    event = FileEvent(
        file_id=file.id,
        kind=kind,
        from_status=old,
        to_status=new,
        reason=reason,
        details=details or {},
        user_id=getattr(user, "id", None),
    )
    db.session.add(event)
    return event


def change_status(file: BeneficiaryFile, data: dict, user=None) -> BeneficiaryFile:
    """Move a file to another status, with the reason; plugins may refuse and are told."""
    old, new = file.status, data["status"]
    if new not in TRANSITIONS.get(old, ()):
        raise Conflict(
            _l("A file cannot go from %(old)s to %(new)s.", old=status_label(old), new=status_label(new)),
            {"status": [_l("This change of status is not allowed.")]},
        )
    if new == "excluded" and data.get("exclusion_reason") not in {c.code for c in exclusion_reasons()}:
        raise ValidationError({"exclusion_reason": [_l("Choose one of the listed values.")]})
    refusals = [
        m
        for msgs in tenant_hooks().validate_file_status_change(
            file=file, old=old, new=new, reason=data, user=user
        )
        for m in (msgs or [])
    ]
    if refusals:
        raise Conflict(refusals[0], {"status": refusals})
    file.status = new
    file.status_reason = data["reason"]
    file.status_changed_at = utcnow()
    file.suspended_until = data.get("suspended_until") if new == "suspended" else None
    file.suspension_condition = data.get("suspension_condition") if new == "suspended" else None
    file.exclusion_reason = data.get("exclusion_reason") if new == "excluded" else None
    if new == "active" and file.next_renewal_due is None:
        file.last_renewal_date = file.last_renewal_date or today()
        file.next_renewal_due = add_months(file.last_renewal_date, renewal_interval_months())
    details = {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in data.items()
        if k in ("suspended_until", "suspension_condition", "exclusion_reason") and v
    }
    add_file_event(file, "status", old, new, data["reason"], user, details)
    db.session.flush()
    tenant_hooks().file_status_changed(file=file, old=old, new=new, reason=data, user=user)
    record("registry.file.status_changed", "file", file.id, {"from": old, "to": new, **details})
    return file


def renew_file(file: BeneficiaryFile, data: dict, user=None) -> BeneficiaryFile:
    """The household renewed its data: next due date = renewal + the tenant's interval."""
    renewed_on = data.get("renewed_on") or today()
    file.last_renewal_date = renewed_on
    file.next_renewal_due = add_months(renewed_on, renewal_interval_months())
    add_file_event(
        file,
        "renewed",
        file.status,
        file.status,
        data.get("note"),
        user,
        {"renewed_on": renewed_on.isoformat(), "next_due": file.next_renewal_due.isoformat()},
    )
    db.session.flush()
    record("registry.file.renewed", "file", file.id, {"next_due": file.next_renewal_due.isoformat()})
    return file


def file_events(file: BeneficiaryFile) -> list[FileEvent]:
    return list(
        db.session.execute(
            db.select(FileEvent)
            .where(FileEvent.file_id == file.id)
            .order_by(FileEvent.at.desc(), FileEvent.id.desc())
        ).scalars()
    )


def resumed_status(file: BeneficiaryFile) -> str:
    """The status a suspended file goes back to when its suspension ends: the one it had when
    it was suspended (``applicant`` or ``active``; ``active`` when the timeline does not say)."""
    before = db.session.scalars(
        db.select(FileEvent.from_status)
        .where(
            FileEvent.file_id == file.id,
            FileEvent.kind == "status",
            FileEvent.to_status == "suspended",
            FileEvent.from_status.in_(("applicant", "active")),
        )
        .order_by(FileEvent.id.desc())
        .limit(1)
    ).first()
    return before or "active"


STATUS_LABELS = {
    "applicant": _l("Applicant"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "excluded": _l("Excluded"),
    "closed": _l("Closed"),
}


def status_label(code: str | None) -> str:
    return str(STATUS_LABELS.get(code or "", code or ""))
