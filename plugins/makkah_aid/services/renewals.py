"""Data-renewal rounds: announced by the association, due by announcement + the tenant's window;
late renewals feed the ``late_renewal`` exclusion."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core.toolkit import (
    BeneficiaryFile,
    Conflict,
    audit_record,
    db,
    renew_file,
    today,
)

from .. import rules
from ..i18n import _
from ..models import Renewal, RenewalRound
from .rule_versions import current_rule_version


def rounds() -> list[RenewalRound]:
    return list(
        db.session.scalars(
            db.select(RenewalRound).order_by(RenewalRound.announced_on.desc(), RenewalRound.id.desc())
        )
    )


def active_round() -> RenewalRound | None:
    found = rounds()
    return found[0] if found else None


def announce_round(data: dict, actor: Any) -> RenewalRound:
    """A renewal round: every open file must renew by announcement + the tenant's window."""
    version = current_rule_version()
    announced_on = data.get("announced_on") or today()
    renewal_round = RenewalRound(
        title=data["title"],
        announced_on=announced_on,
        due_on=rules.renewal_due(announced_on, version.settings),
        late_renewal_days=int(version.settings["late_renewal_days"]),
        rule_version_id=version.id,
        announced_by_id=getattr(actor, "id", None),
    )
    db.session.add(renewal_round)
    db.session.flush()
    files = db.session.scalars(
        db.select(BeneficiaryFile.id).where(BeneficiaryFile.status.in_(("applicant", "active", "suspended")))
    ).all()
    for file_id in files:
        db.session.add(Renewal(round_id=renewal_round.id, file_id=file_id))
    db.session.flush()
    audit_record(
        "makkah_aid.round.announced", "renewal_round", renewal_round.id, {"files": len(files)}, user=actor
    )
    return renewal_round


def renewals_of(renewal_round: RenewalRound) -> list[Renewal]:
    return list(
        db.session.scalars(
            db.select(Renewal).where(Renewal.round_id == renewal_round.id).order_by(Renewal.id)
        )
    )


def renewal_view(renewal_round: RenewalRound, renewal: Renewal, on: date) -> dict:
    rule_settings = {"late_renewal_days": renewal_round.late_renewal_days}
    return {
        "id": renewal.id,
        "file_id": renewal.file_id,
        "renewed_on": renewal.renewed_on,
        "days_late": 0 if renewal.renewed_on else rules.days_late(renewal_round.due_on, on),
        "late": rules.renewal_is_late(renewal_round.due_on, on, rule_settings, renewal.renewed_on),
    }


def round_view(renewal_round: RenewalRound, on: date | None = None) -> dict:
    on = on or today()
    rows = [renewal_view(renewal_round, r, on) for r in renewals_of(renewal_round)]
    return {
        "id": renewal_round.id,
        "title": renewal_round.title,
        "announced_on": renewal_round.announced_on,
        "due_on": renewal_round.due_on,
        # The first day the round's renewal counts as late (day ``late_renewal_days`` itself).
        "late_after": renewal_round.due_on + timedelta(days=renewal_round.late_renewal_days),
        "late_days": renewal_round.late_renewal_days,
        "rule_version_id": renewal_round.rule_version_id,
        "renewed": [r for r in rows if r["renewed_on"]],
        "late": [r for r in rows if r["late"]],
        "due": [r for r in rows if not r["renewed_on"] and not r["late"]],
    }


def record_renewal(
    renewal_round: RenewalRound, file: BeneficiaryFile, renewed_on: date | None, actor: Any
) -> Renewal:
    renewal = db.session.scalars(
        db.select(Renewal).where(Renewal.round_id == renewal_round.id, Renewal.file_id == file.id)
    ).first()
    if renewal is None:
        renewal = Renewal(round_id=renewal_round.id, file_id=file.id)
        db.session.add(renewal)
    if renewal.renewed_on is not None:
        raise Conflict(_("This file already renewed its data in this round."))
    renewal.renewed_on = renewed_on or today()
    renewal.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    renew_file(file, {"renewed_on": renewal.renewed_on, "note": renewal_round.title}, actor)
    return renewal


def renewal_facts(file: BeneficiaryFile) -> tuple[date | None, date | None]:
    """(due date, renewed on) of the file in the latest round it belongs to."""
    row = db.session.execute(
        db.select(RenewalRound.due_on, Renewal.renewed_on, RenewalRound.late_renewal_days)
        .join(
            Renewal, db.and_(Renewal.round_id == RenewalRound.id, Renewal.tenant_id == RenewalRound.tenant_id)
        )
        .where(Renewal.file_id == file.id)
        .order_by(RenewalRound.announced_on.desc(), RenewalRound.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def renewal_facts_of(file_ids: list[int]) -> dict[int, tuple[date | None, date | None]]:
    """``renewal_facts`` of many files in one query."""
    rows = db.session.execute(
        db.select(Renewal.file_id, RenewalRound.due_on, Renewal.renewed_on)
        .join(
            Renewal, db.and_(Renewal.round_id == RenewalRound.id, Renewal.tenant_id == RenewalRound.tenant_id)
        )
        .where(Renewal.file_id.in_(file_ids))
        .order_by(RenewalRound.announced_on.desc(), RenewalRound.id.desc())
    )
    found: dict[int, tuple[date | None, date | None]] = {}
    for file_id, due_on, renewed_on in rows:
        found.setdefault(file_id, (due_on, renewed_on))
    return found
