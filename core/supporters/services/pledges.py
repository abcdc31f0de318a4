"""Pledges paid in instalments, and which instalments are overdue (unpaid after their due day)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import ValidationError

from ...calendar import today
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ..models import Instalment, Pledge, Supporter
from .common import audit, check_manage
from .donations import restriction_errors
from .supporters import set_stage

MAX_INSTALMENTS = 120


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Jan → 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def split_instalments(total: int, count: int, first_due: date, every_months: int = 1) -> list[dict]:
    """``total`` halalas in ``count`` instalments a number of months apart; the amounts differ by
    at most one halala (the first ones carry the remainder) and add up to ``total``."""
    base, rest = divmod(total, count)
    return [
        {"due_on": add_months(first_due, i * every_months), "amount_halalas": base + (1 if i < rest else 0)}
        for i in range(count)
    ]


def pledge_errors(data: dict) -> dict:
    errors = restriction_errors(data)
    total = data.get("total_halalas")
    if not isinstance(total, int) or total <= 0:
        errors["total_halalas"] = [_l("Give an amount greater than zero.")]
    pledged_on = data.get("pledged_on")
    if pledged_on is None:
        errors["pledged_on"] = [_l("Give the date of the pledge.")]
    elif pledged_on > today():
        errors["pledged_on"] = [_l("The date cannot be in the future.")]
    instalments = data.get("instalments") or []
    if not instalments or len(instalments) > MAX_INSTALMENTS:
        errors["instalments"] = [_l("Give between 1 and %(n)s instalments.", n=MAX_INSTALMENTS)]
    elif any(i.get("amount_halalas", 0) <= 0 for i in instalments):
        errors["instalments"] = [_l("Every instalment must be greater than zero.")]
    elif pledged_on is not None and any(i["due_on"] < pledged_on for i in instalments):
        errors["instalments"] = [_l("An instalment cannot fall due before the pledge was made.")]
    elif "total_halalas" not in errors and sum(i["amount_halalas"] for i in instalments) != total:
        errors["instalments"] = [_l("The instalments must add up to the pledged amount.")]
    return errors


def create_pledge(supporter: Supporter, data: dict, actor: Any) -> Pledge:
    """A pledge with its instalments; a prospect or contacted supporter moves to ``pledged``."""
    check_manage(actor)
    if errors := pledge_errors(data):
        raise ValidationError(errors)
    pledge = Pledge(
        supporter_id=supporter.id,
        total_halalas=data["total_halalas"],
        pledged_on=data["pledged_on"],
        catalog_item_id=data.get("catalog_item_id"),
        season=data.get("season"),
        note=(data.get("note") or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(pledge)
    db.session.flush()
    for item in sorted(data["instalments"], key=lambda i: i["due_on"]):
        db.session.add(
            Instalment(pledge_id=pledge.id, due_on=item["due_on"], amount_halalas=item["amount_halalas"])
        )
    db.session.flush()
    db.session.expire(pledge, ["instalments"])
    audit(
        "pledge",
        "pledge",
        pledge.id,
        actor,
        {"total_halalas": pledge.total_halalas, "instalments": len(data["instalments"])},
    )
    if supporter.stage in ("prospect", "contacted", "lapsed"):
        set_stage(supporter, "pledged", actor, pledge.pledged_on, "pledge")
    return pledge


@dataclass(frozen=True)
class PledgeStatus:
    paid_halalas: int
    remaining_halalas: int
    overdue_count: int
    overdue_halalas: int

    @property
    def overdue(self) -> bool:
        return self.overdue_count > 0


def pledge_status(pledge: Pledge, on: date) -> PledgeStatus:
    paid = sum(i.paid_halalas for i in pledge.instalments)
    late = [i for i in pledge.instalments if i.overdue_on(on)]
    return PledgeStatus(
        paid_halalas=paid,
        remaining_halalas=pledge.total_halalas - paid,
        overdue_count=len(late),
        overdue_halalas=sum(i.amount_halalas - i.paid_halalas for i in late),
    )


def pledges_of(supporter: Supporter) -> list[Pledge]:
    return list(
        db.session.scalars(
            db.select(Pledge).where(Pledge.supporter_id == supporter.id).order_by(Pledge.pledged_on.desc())
        )
    )


def overdue_instalments(on: date, limit: int | None = None) -> list[tuple[Instalment, Supporter]]:
    """Every instalment unpaid after its due day, oldest first, with its supporter (one query)."""
    query = (
        db.select(Instalment, Supporter)
        .join(Pledge, (Pledge.id == Instalment.pledge_id) & (Pledge.tenant_id == Instalment.tenant_id))
        .join(Supporter, (Supporter.id == Pledge.supporter_id) & (Supporter.tenant_id == Pledge.tenant_id))
        .where(Instalment.due_on < on, Instalment.paid_halalas < Instalment.amount_halalas)
        .order_by(Instalment.due_on, Instalment.id)
    )
    if limit:
        query = query.limit(limit)
    return [(row[0], row[1]) for row in db.session.execute(query)]


def pledge_view(pledge: Pledge, on: date) -> dict:
    """A pledge with its figures and each instalment's overdue flag on ``on`` (pages and API)."""
    status = pledge_status(pledge, on)
    return {
        "id": pledge.id,
        "supporter_id": pledge.supporter_id,
        "total_halalas": pledge.total_halalas,
        "pledged_on": pledge.pledged_on,
        "catalog_item_id": pledge.catalog_item_id,
        "season": pledge.season,
        "note": pledge.note,
        "paid_halalas": status.paid_halalas,
        "remaining_halalas": status.remaining_halalas,
        "overdue": status.overdue,
        "overdue_halalas": status.overdue_halalas,
        "instalments": [
            {"id": i.id, "due_on": i.due_on, "amount_halalas": i.amount_halalas, "paid_halalas": i.paid_halalas,
             "overdue": i.overdue_on(on)}
            for i in pledge.instalments
        ],
    }  # fmt: skip
