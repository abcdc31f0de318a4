"""Fixtures of the survey tests: a disbursed request (its invitation and link) and the token."""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.notifications import OutboxMessage, unsealed
from core.surveys.models import SurveyInvitation

LINK = re.compile(r"/t/(?P<slug>[a-z0-9-]+)/surveys/answer/(?P<token>[A-Za-z0-9._-]+)")


def token_in_outbox(request_id: int | None = None) -> str:
    """The token of the last survey link queued, as the SMS/e-mail sends it (the outbox keeps
    it sealed)."""
    messages = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.template == "surveys_invitation", OutboxMessage.channel != "in_app")
        .order_by(OutboxMessage.id.desc())
    ).all()
    assert messages, "no survey invitation was queued"
    return LINK.search(unsealed(messages[0])[1]).group("token")


@pytest.fixture
def disbursed(new_request, advance, in_first):
    """A request taken to ``disbursed`` (so invited); returns (request, invitation, token)."""

    def make(**fields):
        request = advance(new_request(**fields), "disbursed")
        db.session.commit()
        invitation = db.session.scalars(
            db.select(SurveyInvitation).where(SurveyInvitation.request_id == request.id)
        ).one()
        return request, invitation, token_in_outbox()

    return make


def rating_question(version_questions):
    return next(q for q in version_questions if q.feeds_kpi)


def full_answers(questions, rating: int = 5) -> dict:
    answers = {}
    for q in questions:
        answers[str(q.id)] = {
            "rating": rating,
            "yes_no": "yes",
            "choice": (q.choices or [{"code": "x"}])[0]["code"],
            "text": "شكرا",
        }[q.kind]
    return answers
