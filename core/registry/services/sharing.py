"""Duplicates and sharing: how many other associations hold an ID number (and nothing else
about them), and the data-sharing agreements under which partners see aid totals."""

from __future__ import annotations

from marshmallow import ValidationError

from ...audit.services import record
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks
from ...tenancy import Tenant, require_tenant, tenant_context, unscoped, utcnow
from ..models import Person, SharingAgreement


def duplicate_signal(person: Person) -> dict:
    """How many other associations hold this ID number — and nothing else about them —
    plus, for partners under a data-sharing agreement in force, their aid totals."""
    tenant = require_tenant()
    if not person.national_id_hash:
        return {"other_associations": 0, "shared": []}
    with unscoped("duplicate signal: count other associations holding this ID number"):
        holders = set(
            db.session.execute(
                db.select(Person.tenant_id).where(
                    Person.national_id_hash == person.national_id_hash, Person.tenant_id != tenant.id
                )
            ).scalars()
        )
    shared = []
    for partner in partners_in_force(tenant):
        if partner.id not in holders:
            continue
        with tenant_context(partner):
            theirs = db.session.execute(
                db.select(Person).where(Person.national_id_hash == person.national_id_hash)
            ).scalar_one_or_none()
            total = aid_total(theirs) if theirs is not None else 0
        shared.append(
            {
                "association": partner.slug,
                "name_ar": partner.name_ar,
                "name_en": partner.name_en,
                "aid_total": total,
            }
        )
    return {"other_associations": len(holders), "shared": shared}


def aid_total(person: Person) -> int:
    return sum(int(v or 0) for v in tenant_hooks().person_aid_total(person=person))


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def agreement_with(partner: Tenant) -> SharingAgreement | None:
    tenant = require_tenant()
    low, high = _pair(tenant.id, partner.id)
    return db.session.execute(
        db.select(SharingAgreement).where(
            SharingAgreement.tenant_a_id == low, SharingAgreement.tenant_b_id == high
        )
    ).scalar_one_or_none()


def accept_agreement(partner: Tenant) -> SharingAgreement:
    """Record this tenant's acceptance of sharing aid totals with ``partner``."""
    tenant = require_tenant()
    if partner.id == tenant.id:
        raise ValidationError({"partner": [_l("Choose another association.")]})
    agreement = agreement_with(partner)
    if agreement is None:
        low, high = _pair(tenant.id, partner.id)
        agreement = SharingAgreement(tenant_a_id=low, tenant_b_id=high)
        db.session.add(agreement)
    if agreement.tenant_a_id == tenant.id:
        agreement.accepted_by_a_at = agreement.accepted_by_a_at or utcnow()
    else:
        agreement.accepted_by_b_at = agreement.accepted_by_b_at or utcnow()
    db.session.flush()
    record("registry.sharing.accepted", "sharing_agreement", agreement.id, {"partner": partner.slug})
    return agreement


def revoke_agreement(partner: Tenant) -> None:
    agreement = agreement_with(partner)
    if agreement is not None:
        record("registry.sharing.revoked", "sharing_agreement", agreement.id, {"partner": partner.slug})
        db.session.delete(agreement)
        db.session.flush()


def agreements_view(tenant: Tenant | None = None) -> list[dict]:
    tenant = tenant or require_tenant()
    rows = db.session.execute(
        db.select(SharingAgreement).where(
            db.or_(SharingAgreement.tenant_a_id == tenant.id, SharingAgreement.tenant_b_id == tenant.id)
        )
    ).scalars()
    out = []
    for row in rows:
        ours_is_a = row.tenant_a_id == tenant.id
        partner = db.session.get(Tenant, row.tenant_b_id if ours_is_a else row.tenant_a_id)
        out.append(
            {
                "id": row.id,
                "partner_slug": partner.slug,
                "partner_name": partner.name_ar,
                "accepted_by_us": (row.accepted_by_a_at if ours_is_a else row.accepted_by_b_at) is not None,
                "accepted_by_partner": (row.accepted_by_b_at if ours_is_a else row.accepted_by_a_at)
                is not None,
                "in_force": row.in_force,
            }
        )
    return out


def partners_in_force(tenant: Tenant) -> list[Tenant]:
    return [
        db.session.execute(db.select(Tenant).where(Tenant.slug == row["partner_slug"])).scalar_one()
        for row in agreements_view(tenant)
        if row["in_force"]
    ]
