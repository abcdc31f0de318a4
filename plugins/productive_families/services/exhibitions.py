"""Exhibitions (seed 001, goal 1): the call with its deadline, producers' applications (portal or
staff), scoring against the criteria, booths allocated with the fair rotation rule
(``rules.allocation_order``), sales per family after the event, and the figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Conflict, NotFound, db, get_in_tenant
from core.toolkit import today as tenant_today

from .. import rules
from ..i18n import _l
from ..models import Exhibition, ExhibitionApplication, Producer
from ..schemas import ExhibitionSchema, SalesSchema, ScoreSchema
from ._common import audit


def create_exhibition(data: dict, actor: Any = None) -> Exhibition:
    values = ExhibitionSchema().load(data)
    exhibition = Exhibition(**values)
    db.session.add(exhibition)
    db.session.flush()
    audit("exhibition.created", exhibition, {"booths": exhibition.booths}, actor)
    return exhibition


def get_exhibition(exhibition_id: int) -> Exhibition:
    exhibition = get_in_tenant(Exhibition, exhibition_id)
    if exhibition is None:
        raise NotFound(_l("No such exhibition in this association."))
    return exhibition


def list_exhibitions(limit: int = 200) -> list[Exhibition]:
    return list(db.session.scalars(sa.select(Exhibition).order_by(Exhibition.starts_on.desc()).limit(limit)))


def open_calls(today: date | None = None) -> list[Exhibition]:
    """Exhibitions still taking applications, soonest deadline first."""
    today = today or tenant_today()
    query = (
        sa.select(Exhibition)
        .where(Exhibition.applications_close_on >= today)
        .order_by(Exhibition.applications_close_on)
    )
    return list(db.session.scalars(query))


def applications_of(exhibition: Exhibition) -> list[ExhibitionApplication]:
    """Booth holders first (by booth), then the others by application time."""
    query = (
        sa.select(ExhibitionApplication)
        .where(ExhibitionApplication.exhibition_id == exhibition.id)
        .order_by(
            ExhibitionApplication.booth.is_(None),
            ExhibitionApplication.booth,
            ExhibitionApplication.applied_at,
        )
    )
    return list(db.session.scalars(query).unique())


def applications_by_producer(producer: Producer) -> dict[int, ExhibitionApplication]:
    rows = db.session.scalars(
        sa.select(ExhibitionApplication).where(ExhibitionApplication.producer_id == producer.id)
    )
    return {a.exhibition_id: a for a in rows.unique()}


def apply(
    exhibition: Exhibition, producer: Producer, actor: Any = None, today: date | None = None
) -> ExhibitionApplication:
    """The producer applies (on the portal, or staff for them) while the call is open."""
    today = today or tenant_today()
    if today > exhibition.applications_close_on:
        raise Conflict(_l("Applications to this exhibition have closed."))
    if applications_by_producer(producer).get(exhibition.id) is not None:
        raise ValidationError({"producer_id": [_l("This producer has already applied to this exhibition.")]})
    application = ExhibitionApplication(exhibition_id=exhibition.id, producer_id=producer.id)
    db.session.add(application)
    db.session.flush()
    audit("exhibition.applied", application, {"exhibition_id": exhibition.id}, actor)
    return application


def get_application(exhibition: Exhibition, application_id: int) -> ExhibitionApplication:
    application = get_in_tenant(ExhibitionApplication, application_id)
    if application is None or application.exhibition_id != exhibition.id:
        raise NotFound(_l("No such application."))
    return application


def score_application(
    application: ExhibitionApplication, data: dict, actor: Any = None
) -> ExhibitionApplication:
    values = ScoreSchema().load(data)
    application.score = values["score"]
    db.session.flush()
    audit("exhibition.scored", application, {"score": application.score}, actor)
    return application


def previous_booth_holders(exhibition: Exhibition) -> set[int]:
    """Producers who had a booth at the association's previous exhibition (the latest one that
    started before this one)."""
    previous = db.session.scalar(
        sa.select(Exhibition.id)
        .where(Exhibition.starts_on < exhibition.starts_on, Exhibition.id != exhibition.id)
        .order_by(Exhibition.starts_on.desc(), Exhibition.id.desc())
        .limit(1)
    )
    if previous is None:
        return set()
    return set(
        db.session.scalars(
            sa.select(ExhibitionApplication.producer_id).where(
                ExhibitionApplication.exhibition_id == previous, ExhibitionApplication.booth.is_not(None)
            )
        )
    )


def allocate(
    exhibition: Exhibition, actor: Any = None, today: date | None = None
) -> list[ExhibitionApplication]:
    """Select and number the booths once the call has closed (the rotation rule in ``rules``);
    run again after a score changes, it allocates afresh."""
    today = today or tenant_today()
    if today <= exhibition.applications_close_on:
        raise Conflict(_l("Booths are allocated once applications have closed."))
    candidates = [a for a in applications_of(exhibition) if a.status != "withdrawn"]
    booths = rules.allocate_booths(
        [
            {"id": a.id, "producer_id": a.producer_id, "score": a.score, "applied_at": a.applied_at}
            for a in candidates
        ],
        exhibition.booths,
        previous_booth_holders(exhibition),
    )
    for application in candidates:
        application.booth = booths[application.id]
        application.status = "selected" if application.booth else "not_selected"
    db.session.flush()
    audit("exhibition.allocated", exhibition, {"selected": sum(1 for b in booths.values() if b)}, actor)
    return applications_of(exhibition)


def record_sales(
    application: ExhibitionApplication, data: dict, actor: Any = None, today: date | None = None
):
    """A booth holder's sales, once the exhibition has started."""
    values = SalesSchema().load(data)
    exhibition = get_exhibition(application.exhibition_id)
    if application.booth is None:
        raise Conflict(_l("Only a family with a booth has sales to record."))
    if (today or tenant_today()) < exhibition.starts_on:
        raise Conflict(_l("Sales are recorded once the exhibition has started."))
    application.sales_halalas = values["sales_halalas"]
    db.session.flush()
    audit("exhibition.sales", application, {}, actor)
    return application


def exhibition_totals(exhibition: Exhibition) -> dict[str, int]:
    row = db.session.execute(
        sa.select(
            sa.func.count(ExhibitionApplication.id),
            sa.func.count(ExhibitionApplication.booth),
            sa.func.coalesce(sa.func.sum(ExhibitionApplication.sales_halalas), 0),
        ).where(ExhibitionApplication.exhibition_id == exhibition.id)
    ).one()
    return {"applied": int(row[0]), "selected": int(row[1]), "sales_halalas": int(row[2])}


def upcoming_for(producer: Producer, today: date | None = None) -> list[Exhibition]:
    """Exhibitions not over yet where the producer has a booth (shown on the public page)."""
    today = today or tenant_today()
    query = (
        sa.select(Exhibition)
        .join(
            ExhibitionApplication,
            sa.and_(
                ExhibitionApplication.exhibition_id == Exhibition.id,
                ExhibitionApplication.tenant_id == Exhibition.tenant_id,
            ),
        )
        .where(
            ExhibitionApplication.producer_id == producer.id,
            ExhibitionApplication.booth.is_not(None),
            Exhibition.ends_on >= today,
        )
        .order_by(Exhibition.starts_on)
    )
    return list(db.session.scalars(query))


def _held(start: date, end: date):
    return sa.and_(Exhibition.ends_on >= start, Exhibition.ends_on <= end)


def exhibitions_held(start: date, end: date) -> int:
    """Exhibitions that ended in the period (seed 001: at least one specialised exhibition a year)."""
    return int(db.session.scalar(sa.select(sa.func.count(Exhibition.id)).where(_held(start, end))) or 0)


def _booths_in(start: date, end: date):
    return (
        sa.select(Producer.household_id, ExhibitionApplication.sales_halalas)
        .join(
            Exhibition,
            sa.and_(
                Exhibition.id == ExhibitionApplication.exhibition_id,
                Exhibition.tenant_id == ExhibitionApplication.tenant_id,
            ),
        )
        .join(
            Producer,
            sa.and_(
                Producer.id == ExhibitionApplication.producer_id,
                Producer.tenant_id == ExhibitionApplication.tenant_id,
            ),
        )
        .where(ExhibitionApplication.booth.is_not(None), _held(start, end))
    )


def exhibition_households(start: date, end: date) -> set[int]:
    """Households that had a booth at an exhibition held in the period."""
    return {row[0] for row in db.session.execute(_booths_in(start, end))}


def exhibition_sales(start: date, end: date) -> int:
    """Halalas sold by the families at the exhibitions held in the period."""
    return sum(row[1] or 0 for row in db.session.execute(_booths_in(start, end)))
