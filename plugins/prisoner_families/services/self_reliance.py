"""Self-reliance (goal 2 of seed 000): families placed in school canteens and exhibitions, and
beneficiaries referred to employers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Household, Person, db, get_in_tenant

from ..i18n import _l
from ..models import Employment, Placement
from ._common import audit


def list_placements() -> list[Placement]:
    return list(db.session.scalars(placements_query()))


def placements_query() -> sa.Select:
    return db.select(Placement).order_by(Placement.placed_on.desc(), Placement.id.desc())


def add_placement(data: dict, actor: Any = None) -> Placement:
    if get_in_tenant(Household, data["household_id"]) is None:
        raise ValidationError({"household_id": [_l("No such household in this association.")]})
    placement = Placement(**data)
    db.session.add(placement)
    db.session.flush()
    audit("placement.created", placement, {"kind": placement.kind}, actor)
    return placement


def list_employments() -> list[Employment]:
    return list(db.session.scalars(employments_query()))


def employments_query() -> sa.Select:
    return db.select(Employment).order_by(Employment.referred_on.desc(), Employment.id.desc())


def add_employment(data: dict, actor: Any = None) -> Employment:
    if get_in_tenant(Person, data["person_id"]) is None:
        raise ValidationError({"person_id": [_l("No such person in this association.")]})
    if data.get("employed_on") and data["employed_on"] < data["referred_on"]:
        raise ValidationError({"employed_on": [_l("The employment cannot be before the referral.")]})
    employment = Employment(**data)
    db.session.add(employment)
    db.session.flush()
    audit("employment.created", employment, {"employed": employment.employed_on is not None}, actor)
    return employment


def placements_between(start, end) -> list[tuple[int, str]]:
    """``(household_id, kind)`` of the placements made in the period (the shared self-reliance hook)."""
    rows = db.session.execute(
        db.select(Placement.household_id, Placement.kind).where(Placement.placed_on.between(start, end))
    )
    return [(household_id, kind) for household_id, kind in rows]
