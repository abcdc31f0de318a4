"""Producers: the profile on top of a registry household, kept up to date by staff and by the
producer on the portal; the link to the producer's portal account."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Household, Member, NotFound, User, db, get_in_tenant, require_tenant, roles_in

from .. import rules
from ..i18n import _l
from ..models import Producer
from ..schemas import LinkAccountSchema, ProducerCreateSchema, ProfileSchema, ShowcaseSchema
from ._common import audit, settings


def _check_activity(activity: str) -> None:
    if activity not in settings()["activities"]:
        raise ValidationError({"activity": [_l("The association does not serve this activity.")]})


def create_producer(data: dict, actor: Any = None) -> Producer:
    """Register a registry household as a producer (validated, audited; the caller commits)."""
    values = ProducerCreateSchema().load(data)
    household = get_in_tenant(Household, values["household_id"])
    if household is None:
        raise ValidationError({"household_id": [_l("No such household in this association.")]})
    person_id = values.pop("person_id") or household.head_person_id
    if person_id != household.head_person_id:
        member = db.session.scalar(
            sa.select(Member.id).where(Member.household_id == household.id, Member.person_id == person_id)
        )
        if member is None:
            raise ValidationError({"person_id": [_l("This person is not a member of the household.")]})
    if db.session.scalar(sa.select(Producer.id).where(Producer.household_id == household.id)):
        raise ValidationError({"household_id": [_l("This household is already registered as a producer.")]})
    _check_activity(values["activity"])
    producer = Producer(person_id=person_id, **values)
    db.session.add(producer)
    db.session.flush()
    audit("producer.created", producer, {"activity": producer.activity}, actor)
    return producer


def update_profile(producer: Producer, data: dict, actor: Any = None) -> Producer:
    """Change the profile (the producer on the portal or staff): every field validated first."""
    values = ProfileSchema().load(data)
    if values["activity"] != producer.activity:
        _check_activity(values["activity"])
    changed = sorted(field for field, value in values.items() if getattr(producer, field) != value)
    for field, value in values.items():
        setattr(producer, field, value)
    db.session.flush()
    if changed:
        audit("producer.updated", producer, {"fields": changed}, actor)
    return producer


def set_showcase(producer: Producer, data: dict, actor: Any = None) -> Producer:
    """The producer's consent to a public page and the contact shown on it. Withdrawing the
    consent takes the page down on the next request."""
    values = ShowcaseSchema().load(data)
    number = rules.whatsapp_number(values["showcase_whatsapp"]) or ""
    before = producer.showcase_consent
    producer.showcase_consent = values["showcase_consent"]
    producer.showcase_whatsapp = number
    db.session.flush()
    action = "showcase.consented" if producer.showcase_consent else "showcase.withdrawn"
    if before != producer.showcase_consent or producer.showcase_consent:
        audit(action, producer, {"contact": bool(number)}, actor)
    return producer


def link_account(producer: Producer, data: dict, actor: Any = None) -> Producer:
    """Give the producer's portal account (an applicant of this association) the profile."""
    values = LinkAccountSchema().load(data)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == values["email"].lower()))
    if user is None or "applicant" not in roles_in(user, require_tenant()):
        raise ValidationError({"email": [_l("No portal account with this e-mail in this association.")]})
    taken = db.session.scalar(
        sa.select(Producer.id).where(Producer.user_id == user.id, Producer.id != producer.id)
    )
    if taken:
        raise ValidationError({"email": [_l("This account already keeps another producer's profile.")]})
    producer.user_id = user.id
    db.session.flush()
    audit("producer.account_linked", producer, {}, actor)
    return producer


def producer_of(user: Any) -> Producer:
    """The profile the signed-in producer keeps; 404 when the account keeps none."""
    producer = db.session.scalar(sa.select(Producer).where(Producer.user_id == getattr(user, "id", None)))
    if producer is None:
        raise NotFound(_l("Your account has no producer profile yet: ask the association to link it."))
    return producer


def get_producer(producer_id: int) -> Producer:
    producer = get_in_tenant(Producer, producer_id)
    if producer is None:
        raise NotFound(_l("No such producer in this association."))
    return producer


def list_producers(
    *, licence_queue: bool = False, activity: str | None = None, limit: int = 200
) -> list[Producer]:
    """Producers by trade name. ``licence_queue``: those whose activity needs a licence and who
    have none in force (none, applied or expired) — the licensing team's work list."""
    query = sa.select(Producer).order_by(Producer.trade_name, Producer.id).limit(limit)
    if activity:
        query = query.where(Producer.activity == activity)
    if licence_queue:
        query = query.where(
            Producer.activity.in_(list(settings()["licensed_activities"])),
            Producer.licence_status != "issued",
        )
    return list(db.session.scalars(query).unique())


def producer_count() -> int:
    return int(db.session.scalar(sa.select(sa.func.count(Producer.id))) or 0)


def producer_of_household(household_id: int) -> Producer | None:
    return db.session.scalar(sa.select(Producer).where(Producer.household_id == household_id))
