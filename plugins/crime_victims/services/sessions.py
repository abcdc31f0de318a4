"""Sessions with a victim: at the office, at home or remote — serving them from their location."""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from core.toolkit import LocalMoment, audit_record, db

from ..models import Session, VictimCase
from ..schemas import CHOOSE, SESSION_MODE_LABELS
from .steps import allow

SCHEDULED = "crime_victims.session.scheduled"


class SessionSchema(Schema):
    class Meta:
        unknown = "raise"

    mode = fields.String(required=True, validate=validate.OneOf(tuple(SESSION_MODE_LABELS), error=CHOOSE))
    scheduled_at = LocalMoment(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=120))


def schedule(case: VictimCase, data: dict, actor) -> Session:
    """Schedule a session (audited; the caller commits)."""
    allow(actor, "crime_victims.care")
    values = SessionSchema().load(data)
    session = Session(case_id=case.id, staff_id=actor.id, **values)
    db.session.add(session)
    db.session.flush()
    audit_record(
        SCHEDULED, "crime_victims_case", case.id, {"mode": session.mode, "session_id": session.id}, user=actor
    )
    return session


def sessions_of(case: VictimCase) -> list[Session]:
    return list(
        db.session.scalars(
            sa.select(Session).where(Session.case_id == case.id).order_by(Session.scheduled_at)
        )
    )
