"""Recording violations, attaching the written pledge and lifting suspensions: what staff do
on the ladder; the file's status follows through ``file_status``."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from core.toolkit import (
    BeneficiaryFile,
    Conflict,
    Document,
    audit_record,
    change_file_status,
    db,
    get_in_tenant,
    get_or_404,
    lazy_text,
    local_time,
    today,
    upload_document,
    users_with_role,
    utcnow,
)

from .. import rules
from ..i18n import _
from ..models import Violation
from .file_status import lift_expired, sync_file_status
from .ladder import role_label, sanction_text, violations_of
from .notifications import notify_file
from .pledge import find_pledge
from .rule_versions import current_rule_version, label


def _can_change(file: BeneficiaryFile, new: str) -> bool:
    allowed = {
        "applicant": {"active", "suspended", "excluded", "closed"},
        "active": {"suspended", "excluded", "closed"},
        "suspended": {"applicant", "active", "excluded", "closed"},
        "excluded": {"applicant", "closed"},
        "closed": {"applicant"},
    }
    return new in allowed.get(file.status, set())


def record_violation(file: BeneficiaryFile, data: dict, actor: Any) -> Violation:
    """Record a violation; the ladder gives the sanction of its occurrence in this file, and
    the file's status changes through core (suspended until a date / a condition /
    permanently; dismissal excludes the file with referral)."""
    version = current_rule_version()
    rule_settings = version.settings
    item = rules.ladder_item(rule_settings, data["code"])
    if item is None:
        raise ValidationError({"code": [_("Choose one of the listed values.")]})
    if file.status in ("excluded", "closed"):
        raise Conflict(_("This file is already excluded or closed."))
    previous = db.session.scalar(
        db.select(db.func.count(Violation.id)).where(
            Violation.file_id == file.id, Violation.code == data["code"]
        )
    )
    occurrence = int(previous or 0) + 1
    sanction = rules.sanction_for(rule_settings, data["code"], occurrence)
    documenters = _documenters(sanction, data)
    occurred_on = data.get("occurred_on") or today()
    pledge_id = data.get("pledge_document_id")
    if pledge_id is not None:
        document = get_in_tenant(Document, pledge_id)
        if (
            document is None
            or document.doc_type != "pledge"
            or document.household_id != file.household_id
            or not rules.pledge_counts(local_time(document.uploaded_at).date(), occurred_on)
        ):
            raise ValidationError(
                {
                    "pledge_document_id": [
                        _(
                            "Choose a signed written pledge (document type: pledge) attached to this "
                            "household on or after the violation date."
                        )
                    ]
                }
            )
        if not rules.pledge_required(sanction):
            pledge_id = None
    ends_on = rules.sanction_end(sanction, occurred_on)
    violation = Violation(
        file_id=file.id,
        code=data["code"],
        occurrence=occurrence,
        occurred_on=occurred_on,
        sanction=sanction,
        sanction_kind=sanction["kind"],
        ends_on=ends_on,
        pledge_document_id=pledge_id,
        referral=bool(sanction.get("referral")),
        notes=data.get("notes") or "",
        rule_version_id=version.id,
        recorded_by_id=getattr(actor, "id", None),
        documenters=documenters,
    )
    db.session.add(violation)
    db.session.flush()
    why = (item, occurrence, sanction, ends_on, documenters)
    reason = _reason(*why)
    _apply_sanction(file, sanction, ends_on, reason, actor, cause=violation.id)
    audit_record(
        "makkah_aid.violation.recorded",
        "file",
        file.id,
        {
            "violation": violation.id,
            "code": violation.code,
            "occurrence": occurrence,
            "sanction": sanction["kind"],
            "documented_by": [d["user_id"] for d in documenters],
        },
        user=actor,
    )
    # the beneficiary reads it in their own language, whoever recorded it
    notify_file(file, "makkah_aid_sanction", reason=lazy_text(_reason, *why))
    return violation


def _reason(item: dict, occurrence: int, sanction: dict, ends_on, documenters: list[dict]) -> str:
    """The sanction's reason in the current language (the file's status note, the notice)."""
    return _(
        "Violation: %(violation)s (occurrence %(n)s) — %(sanction)s",
        violation=label(item),
        n=occurrence,
        sanction=sanction_text(sanction, ends_on, documenters),
    )


def _documenters(sanction: dict, data: dict) -> list[dict]:
    """Who documented the violation, one user per role the sanction asks for (violation 3's
    second sanction: the researcher AND the executive director), with how it was documented."""
    roles = sanction.get("documented_by") or []
    if not roles:
        return []
    errors: dict = {}
    given = data.get("documented_by") or {}
    found = []
    for role in roles:
        user_id = given.get(role)
        user = next((u for u in users_with_role(role) if u.id == user_id), None) if user_id else None
        if user is None:
            errors[f"documented_by.{role}"] = [
                _("Choose who documented it as %(role)s.", role=role_label(role))
            ]
            continue
        found.append({"role": role, "user_id": user.id, "name": user.name or user.email})
    if not (data.get("notes") or "").strip():
        errors["notes"] = [_("Record how the research team and the executive director documented it.")]
    if errors:
        raise ValidationError(errors)
    return found


def _apply_sanction(
    file: BeneficiaryFile,
    sanction: dict,
    ends_on: date | None,
    reason: str,
    actor: Any,
    cause: int | None = None,
) -> None:
    if sanction["kind"] == "dismissal":
        if _can_change(file, "excluded"):
            change_file_status(
                file, {"status": "excluded", "exclusion_reason": "assault", "reason": reason}, actor
            )
        return
    # An applicant's file is suspended too (the spec: a suspended file gets no new aid) and
    # goes back to ``applicant`` when the sanction ends.
    sync_file_status(file, actor, reason, cause=cause)


def attach_pledge(file: BeneficiaryFile, data: bytes, filename: str | None, actor: Any) -> Document:
    """Upload the signed written pledge (core document, type ``pledge``) to the household;
    timed suspensions waiting for it may then end at their date."""
    document = upload_document(
        data, filename, {"doc_type": "pledge", "household_id": file.household_id}, actor
    )
    for violation in violations_of(file):
        if violation.in_force and rules.pledge_required(violation.sanction or {}):
            find_pledge(violation, file)
    audit_record("makkah_aid.pledge.attached", "file", file.id, {"document": document.id}, user=actor)
    lift_expired(file)
    return document


def lift(violation: Violation, actor: Any, note: str) -> Violation:
    """Staff lift a suspension-until-a-condition once the condition is met (and, when the
    ladder asks for one, once the signed pledge is attached)."""
    if not violation.in_force:
        raise Conflict(_("This sanction is no longer in force."))
    if violation.sanction_kind not in ("condition", "stop"):
        raise Conflict(
            _("Only a suspension until a condition is lifted by staff; timed ones end by themselves.")
        )
    file = get_or_404(BeneficiaryFile, violation.file_id)
    if rules.pledge_required(violation.sanction or {}) and find_pledge(violation, file) is None:
        raise Conflict(
            _(
                "Attach the signed written pledge to the household (dated on or after the violation) "
                "before lifting this suspension."
            )
        )
    violation.lifted_at = utcnow()
    violation.lifted_by_id = getattr(actor, "id", None)
    violation.lift_note = note
    db.session.flush()
    sync_file_status(file, actor, _("The condition of the suspension is met: %(note)s", note=note))
    audit_record("makkah_aid.violation.lifted", "file", file.id, {"violation": violation.id}, user=actor)
    return violation
