"""The lists of the pages and the API (one query each, filters applied in SQL)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from .models import Donation, Supporter


def supporters_query(stage: str | None = None, kind: str | None = None, search: str | None = None):
    query = db.select(Supporter).order_by(Supporter.name, Supporter.id)
    if stage:
        query = query.where(Supporter.stage == stage)
    if kind:
        query = query.where(Supporter.kind == kind)
    if search:
        like = f"%{search.replace('%', '').replace('_', '')}%"
        query = query.where(sa.or_(Supporter.name.ilike(like), Supporter.contact_name.ilike(like)))
    return query


def donations_query(start: date | None = None, end: date | None = None, supporter_id: int | None = None):
    query = db.select(Donation).order_by(Donation.received_on.desc(), Donation.receipt_seq.desc())
    if start:
        query = query.where(Donation.received_on >= start)
    if end:
        query = query.where(Donation.received_on <= end)
    if supporter_id:
        query = query.where(Donation.supporter_id == supporter_id)
    return query
