"""Licensing (seed 001, goal 1): the licence of each producer, ``none → applied → issued →
expired``, the expiry warning (a daily job) and the families licensed in a period."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Conflict, User, db, notify, staff_holding
from core.toolkit import today as tenant_today

from .. import rules
from ..i18n import _l
from ..models import Producer
from ..schemas import LicenceSchema
from ._common import PLUGIN_ID, audit, settings
from .graduation import capture_baselines

WARNING_TEMPLATE = f"{PLUGIN_ID}_licence_expiring"


def change_licence(producer: Producer, data: dict, actor: Any = None, today: date | None = None) -> Producer:
    """Move the licence to ``status`` with its details; refuses a change the states do not allow."""
    values = LicenceSchema().load(data)
    target = values["status"]
    if target == producer.licence_status and target == "issued":
        pass  # correcting the details of the licence in force
    elif not rules.can_change_licence(producer.licence_status, target):
        raise Conflict(
            _l("A licence cannot go from this state to the one chosen."),
            errors={"status": [_l("A licence cannot go from this state to the one chosen.")]},
        )
    today = today or tenant_today()
    if target == "applied":
        producer.licence_applied_on = values["applied_on"] or today
        producer.licence_body = values["body"] or _issuing_body(producer.activity)
    elif target == "issued":
        if values["issued_on"] > today:
            raise ValidationError({"issued_on": [_l("The issue date cannot be in the future.")]})
        producer.licence_body = values["body"]
        producer.licence_number = values["number"]
        producer.licence_issued_on = values["issued_on"]
        producer.licence_expires_on = values["expires_on"]
    elif target == "none":
        producer.licence_applied_on = None
    before = producer.licence_status
    producer.licence_status = target
    db.session.flush()
    audit("licence.changed", producer, {"from": before, "to": target}, actor)
    if target == "issued":
        capture_baselines([producer.id], today)  # graduation: the income before the first anchor
    return producer


def _issuing_body(activity: str) -> str:
    rule = settings()["licensed_activities"].get(activity)
    return rule["issuing_body"] if rule else ""


def _staff_to_warn() -> list[User]:
    """Staff holding ``productive_families.manage`` in this tenant (the licensing team)."""
    return staff_holding(f"{PLUGIN_ID}.manage")


def run_licence_job(today: date | None = None) -> dict[str, int]:
    """Daily: warn once per licence term ``licence_warning_days`` ahead of the expiry (the producer
    on the portal and the licensing staff, through notifications), and mark expired licences."""
    today = today or tenant_today()
    days = settings()["licence_warning_days"]
    issued = list(db.session.scalars(sa.select(Producer).where(Producer.licence_status == "issued")).unique())
    warned = expired = 0
    staff = None
    for producer in issued:
        if rules.licence_has_expired(producer.licence_status, producer.licence_expires_on, today):
            producer.licence_status = "expired"
            audit("licence.changed", producer, {"from": "issued", "to": "expired"})
            expired += 1
            continue
        if not rules.licence_warning_due(
            producer.licence_status, producer.licence_expires_on, today, days, producer.licence_warned_for
        ):
            continue
        staff = staff if staff is not None else _staff_to_warn()
        context = {
            "name": producer.trade_name,
            "date": producer.licence_expires_on,
            "days": (producer.licence_expires_on - today).days,
        }
        recipients = list(staff)
        if producer.user_id:
            owner = db.session.get(User, producer.user_id)
            if owner is not None:
                recipients.append(owner)
        for user in {u.id: u for u in recipients}.values():
            notify(WARNING_TEMPLATE, context, user=user, only=("in_app", "email"))
        producer.licence_warned_for = producer.licence_expires_on
        audit("licence.warned", producer, {"days": context["days"]})
        warned += 1
    db.session.flush()
    return {"warned": warned, "expired": expired}


def families_licensed(start: date, end: date) -> int:
    """Households whose licence was issued in the period (seed 001: at least 10 a year)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Producer.household_id))).where(
                Producer.licence_issued_on.between(start, end)
            )
        )
        or 0
    )


WARNING_MESSAGE = (
    _l("A licence expires on %(date)s"),
    _l("The licence of %(name)s expires on %(date)s (in %(days)s days). Renew it before it expires."),
)
