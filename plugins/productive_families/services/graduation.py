"""Graduation (issue 16): did the association's work lift the family?

- **Anchors.** An anchor is an event after which the producer's income is followed up: a licence
  issued, a financing request granted (approved or disbursed), a training completed. The plugin
  keeps a registry of anchors — ``(kind, label, dates)`` where ``dates(producer_ids=None)`` returns
  ``{producer_id: date}`` (one date per producer and kind: the licence in force's issue date, the
  first financing decision granting money). Licensing and financing register theirs here; another
  part (training) registers its own with :func:`register_anchor`.
- **Baseline.** When a producer's first anchor event happens, the household's monthly income as the
  registry records it (``household_income``) is kept with the anchor and the day it was read; it
  never changes afterwards. Licensing and financing capture it as the event is recorded; the daily
  job and the recording of a follow-up capture it for anchors registered elsewhere.
- **Slots.** Each anchor opens a follow-up at each of the tenant's ``followup_months`` (default 3,
  6 and 12) after it: due on the anchor date plus those months, *due* from ``followup_window_days``
  before that date to the same number of days after it, *overdue* later (:func:`slot_state`).
- **KPI.** Per producer the follow-up that counts is the **latest one made in the period** (by its
  date, then the order recorded); a producer's income *rose* when that follow-up's income is above
  the baseline. The share is the producers whose income rose among those followed up in the period
  (percent, one decimal); the median is the median of those producers' changes (halalas, rounded to
  the nearest halala, halves to even).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import add_months, db, format_halalas, household_income
from core.toolkit import today as tenant_today

from ..i18n import _l
from ..models import FinancingRequest, Producer
from ..models_graduation import IncomeBaseline, IncomeFollowUp
from ..schemas_graduation import FollowUpSchema
from ._common import audit, settings

DatesOf = Callable[[Iterable[int] | None], dict[int, date]]


@dataclass(frozen=True)
class Anchor:
    kind: str
    label: Any
    dates: DatesOf


_ANCHORS: dict[str, Anchor] = {}


def register_anchor(kind: str, label: Any, dates: DatesOf) -> Anchor:
    """Add (or replace) an anchor kind: ``dates(producer_ids=None) -> {producer_id: date}``."""
    anchor = Anchor(kind, label, dates)
    _ANCHORS[kind] = anchor
    return anchor


def anchors() -> list[Anchor]:
    return list(_ANCHORS.values())


def anchor_label(kind: str) -> Any:
    anchor = _ANCHORS.get(kind)
    return anchor.label if anchor else kind


def _only(query, column, producer_ids: Iterable[int] | None):
    return query if producer_ids is None else query.where(column.in_(list(producer_ids)))


def licence_issues(producer_ids: Iterable[int] | None = None) -> dict[int, date]:
    """The issue date of each producer's licence (in force or expired since)."""
    query = sa.select(Producer.id, Producer.licence_issued_on).where(
        Producer.licence_status.in_(("issued", "expired")), Producer.licence_issued_on.is_not(None)
    )
    return {row[0]: row[1] for row in db.session.execute(_only(query, Producer.id, producer_ids))}


def financing_grants(producer_ids: Iterable[int] | None = None) -> dict[int, date]:
    """The first day a financing request of each producer was approved or disbursed."""
    query = (
        sa.select(FinancingRequest.producer_id, sa.func.min(FinancingRequest.decided_on))
        .where(
            FinancingRequest.status.in_(("approved", "disbursed")), FinancingRequest.decided_on.is_not(None)
        )
        .group_by(FinancingRequest.producer_id)
    )
    return {
        row[0]: row[1] for row in db.session.execute(_only(query, FinancingRequest.producer_id, producer_ids))
    }


register_anchor("licence", _l("Licence issued"), licence_issues)
register_anchor("financing", _l("Financing granted"), financing_grants)


def anchor_dates(producer_ids: Iterable[int] | None = None) -> dict[int, dict[str, date]]:
    """``{producer_id: {kind: date}}`` over every registered anchor (one query per kind)."""
    ids = None if producer_ids is None else list(producer_ids)
    found: dict[int, dict[str, date]] = {}
    for anchor in anchors():
        for producer_id, day in anchor.dates(ids).items():
            if day is not None:
                found.setdefault(producer_id, {})[anchor.kind] = day
    return found


def first_anchor(dates: dict[str, date]) -> tuple[str, date]:
    """The earliest anchor; on the same day, the first registered kind."""
    order = list(_ANCHORS)
    kind = min(dates, key=lambda k: (dates[k], order.index(k) if k in order else len(order), k))
    return kind, dates[kind]


# ----------------------------------------------------------------------------- baselines


def capture_baselines(producer_ids: Iterable[int] | None = None, today: date | None = None) -> int:
    """Keep the registry's monthly income of every producer (of ``producer_ids``) who has an
    anchor and no baseline yet; returns how many were captured."""
    today = today or tenant_today()
    dates = anchor_dates(producer_ids)
    if not dates:
        return 0
    have = set(
        db.session.scalars(
            sa.select(IncomeBaseline.producer_id).where(IncomeBaseline.producer_id.in_(list(dates)))
        )
    )
    missing = [pid for pid in dates if pid not in have]
    if not missing:
        return 0
    producers = db.session.scalars(sa.select(Producer).where(Producer.id.in_(missing))).unique()
    for producer in producers:
        kind, day = first_anchor(dates[producer.id])
        baseline = IncomeBaseline(
            producer_id=producer.id,
            income_halalas=household_income(producer.household),
            anchor_kind=kind,
            anchor_on=day,
            captured_on=today,
        )
        db.session.add(baseline)
        db.session.flush()
        audit("graduation.baseline", producer, {"anchor": kind})
    return len(missing)


def baseline_of(producer_id: int) -> IncomeBaseline | None:
    return db.session.scalar(sa.select(IncomeBaseline).where(IncomeBaseline.producer_id == producer_id))


# ----------------------------------------------------------------------------- slots


@dataclass(frozen=True)
class Slot:
    producer_id: int
    anchor_kind: str
    anchor_on: date
    months: int
    due_on: date
    state: str
    trade_name: str = ""

    @property
    def key(self) -> str:
        """``kind:YYYY-MM-DD:months`` — the slot's value in a page's form."""
        return f"{self.anchor_kind}:{self.anchor_on.isoformat()}:{self.months}"


def slot_state(due_on: date, today: date, window_days: int) -> str:
    """``upcoming`` before ``due_on - window``, ``due`` up to ``due_on + window`` (both ends
    included), ``overdue`` after."""
    days = (today - due_on).days
    if days < -window_days:
        return "upcoming"
    return "due" if days <= window_days else "overdue"


def slots_for(
    dates: dict[int, dict[str, date]],
    months: Iterable[int],
    recorded: set[tuple[int, str, date, int]],
    today: date,
    window_days: int,
) -> list[Slot]:
    """Every slot not yet answered by a follow-up, by due date (a plain rule, no database)."""
    slots = [
        Slot(pid, kind, day, m, due, slot_state(due, today, window_days))
        for pid, kinds in dates.items()
        for kind, day in kinds.items()
        for m in sorted(set(months))
        if (pid, kind, day, m) not in recorded
        for due in (add_months(day, m),)
    ]
    return sorted(slots, key=lambda s: (s.due_on, s.producer_id, s.anchor_kind, s.months))


def _recorded(producer_ids: Iterable[int] | None) -> set[tuple[int, str, date, int]]:
    query = sa.select(
        IncomeFollowUp.producer_id,
        IncomeFollowUp.anchor_kind,
        IncomeFollowUp.anchor_on,
        IncomeFollowUp.months,
    )
    return {tuple(row) for row in db.session.execute(_only(query, IncomeFollowUp.producer_id, producer_ids))}


def open_slots(
    producer_ids: Iterable[int] | None = None,
    today: date | None = None,
    states: tuple[str, ...] = ("due", "overdue"),
) -> list[Slot]:
    """The follow-ups waiting (the staff queue: due and overdue), with the producers' trade names."""
    today = today or tenant_today()
    ids = None if producer_ids is None else list(producer_ids)
    config = settings()
    slots = [
        slot
        for slot in slots_for(
            anchor_dates(ids),
            config["followup_months"],
            _recorded(ids),
            today,
            config["followup_window_days"],
        )
        if slot.state in states
    ]
    names = {
        row[0]: row[1]
        for row in db.session.execute(
            sa.select(Producer.id, Producer.trade_name).where(Producer.id.in_({s.producer_id for s in slots}))
        )
    }
    return [
        Slot(
            s.producer_id,
            s.anchor_kind,
            s.anchor_on,
            s.months,
            s.due_on,
            s.state,
            names.get(s.producer_id, ""),
        )
        for s in slots
    ]


# ----------------------------------------------------------------------------- follow-ups

NOT_A_SLOT = _l("No follow-up of this producer is due for this anchor and number of months.")


def record_followup(
    producer: Producer, data: dict, actor: Any = None, today: date | None = None
) -> IncomeFollowUp:
    """Record a follow-up answering one of the producer's due or overdue slots; the change is the
    income found minus the baseline. Refusals are field errors; nothing is written."""
    values = FollowUpSchema().load(data)
    today = today or tenant_today()
    kind, anchor_on, months = values["anchor"], values["anchor_on"], values["months"]
    if (producer.id, kind, anchor_on, months) in _recorded([producer.id]):
        raise ValidationError({"months": [_l("This follow-up has already been recorded.")]})
    waiting = {(s.anchor_kind, s.anchor_on, s.months) for s in open_slots([producer.id], today)}
    if (kind, anchor_on, months) not in waiting:
        raise ValidationError({"months": [NOT_A_SLOT]})
    followed_on = values["followed_on"]
    if followed_on > today:
        raise ValidationError({"followed_on": [_l("The follow-up date cannot be in the future.")]})
    if followed_on < anchor_on:
        raise ValidationError({"followed_on": [_l("The follow-up date cannot be before the anchor's date.")]})
    capture_baselines([producer.id], today)
    baseline = baseline_of(producer.id)
    followup = IncomeFollowUp(
        producer_id=producer.id,
        anchor_kind=kind,
        anchor_on=anchor_on,
        months=months,
        followed_on=followed_on,
        income_halalas=values["income_halalas"],
        change_halalas=values["income_halalas"] - baseline.income_halalas,
        note=values["note"],
        recorded_by_id=getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None,
    )
    db.session.add(followup)
    db.session.flush()
    audit(
        "graduation.followed_up",
        followup,
        {"producer_id": producer.id, "anchor": kind, "months": months, "rose": followup.change_halalas > 0},
        actor,
    )
    return followup


def followups_of(producer_id: int) -> list[IncomeFollowUp]:
    query = (
        sa.select(IncomeFollowUp)
        .where(IncomeFollowUp.producer_id == producer_id)
        .order_by(IncomeFollowUp.followed_on.desc(), IncomeFollowUp.id.desc())
    )
    return list(db.session.scalars(query).unique())


def graduation_of(producer: Producer, today: date | None = None) -> dict:
    """A producer's graduation at a glance: baseline, follow-ups, and the slots still open
    (upcoming too, so the page shows what comes next)."""
    return {
        "producer_id": producer.id,
        "baseline": baseline_of(producer.id),
        "followups": followups_of(producer.id),
        "slots": open_slots([producer.id], today, states=("due", "overdue", "upcoming")),
    }


# ----------------------------------------------------------------------------- the KPI


def _latest(rows: Iterable[tuple[int, date, int, int]]) -> dict[int, tuple[date, int, int]]:
    latest: dict[int, tuple[date, int, int]] = {}
    for producer_id, day, row_id, change in rows:
        if producer_id not in latest or (day, row_id) > latest[producer_id][:2]:
            latest[producer_id] = (day, row_id, change)
    return latest


def latest_per_producer(rows: Iterable[tuple[int, date, int, int]]) -> dict[int, int]:
    """``{producer_id: change}`` from ``(producer_id, followed_on, id, change)`` rows: for each
    producer the change of the latest follow-up (by date, then the order recorded)."""
    return {producer_id: value[2] for producer_id, value in _latest(rows).items()}


def _period_rows(start: date, end: date):
    return db.session.execute(
        sa.select(
            IncomeFollowUp.producer_id,
            IncomeFollowUp.followed_on,
            IncomeFollowUp.id,
            IncomeFollowUp.change_halalas,
        ).where(IncomeFollowUp.followed_on.between(start, end))
    )


def counted_changes(start: date, end: date) -> dict[int, int]:
    """The change that counts for each producer followed up in the period: that of the latest
    follow-up made in it (:func:`latest_per_producer`)."""
    return latest_per_producer(tuple(row) for row in _period_rows(start, end))


def counted_records(start: date, end: date) -> list[dict]:
    """The records behind the graduation KPIs (planning's "explain"): per producer followed up in
    the period, the follow-up that counts — its date and the change of the monthly income — with
    a link to the producer's graduation page; by date."""
    latest = _latest(tuple(row) for row in _period_rows(start, end))
    names: dict[int, str] = {}
    if latest:
        query = sa.select(Producer.id, Producer.trade_name).where(Producer.id.in_(list(latest)))
        names = {row[0]: row[1] for row in db.session.execute(query)}
    rows = sorted(latest.items(), key=lambda item: (item[1][0], item[1][1]))
    return [
        {
            "label": names.get(producer_id, f"#{producer_id}"),
            "date": day,
            "value": ("+" if change > 0 else "") + format_halalas(change),
            "endpoint": "productive_families.graduation_producer",
            "values": {"producer_id": producer_id},
        }
        for producer_id, (day, _row_id, change) in rows
    ]


def rose_share(changes: Iterable[int]) -> float | None:
    """Percent (one decimal) of the changes above zero; None when nobody was followed up."""
    values = list(changes)
    return round(100 * sum(1 for c in values if c > 0) / len(values), 1) if values else None


def median_change(changes: Iterable[int]) -> int | None:
    """The median change in halalas (to the nearest halala, halves to even); None when empty."""
    values = list(changes)
    return round(statistics.median(values)) if values else None


def outcomes(start: date, end: date) -> dict:
    changes = list(counted_changes(start, end).values())
    return {
        "followed_up": len(changes),
        "rose": sum(1 for c in changes if c > 0),
        "rose_share": rose_share(changes),
        "median_change": median_change(changes),
    }


def run_graduation_job(today: date | None = None) -> dict[str, int]:
    """Daily: capture the baselines of producers whose first anchor was recorded elsewhere."""
    return {"captured": capture_baselines(today=today)}
