"""Answering: one response per invitation, by its link or on paper entered by staff."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from ...audit.services import record
from ...auth.permissions import can
from ...calendar import today
from ...errors import Conflict, Forbidden, NotFound
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...lookup import get_or_404
from ...requests.models import AidRequest
from ...tenancy import utcnow
from ..models import (
    CHANNELS,
    RATING_MAX,
    RATING_MIN,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyVersion,
)
from .building import questions_of
from .invitations import invite
from .settings import survey_settings


def clean_answers(questions: list[SurveyQuestion], raw: dict) -> dict[str, Any]:
    """The answers of ``raw`` (``{question id (str or int): value}``, form strings accepted),
    checked against each question's kind; a translated error per question, keyed ``q<id>``."""
    raw = {str(k): v for k, v in (raw or {}).items()}
    known = {str(q.id) for q in questions}
    errors: dict[str, list] = {}
    for key in raw:
        if key not in known:
            errors[f"q{key}"] = [_l("No such question in this survey.")]
    answers: dict[str, Any] = {}
    for q in questions:
        value = raw.get(str(q.id))
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if q.required:
                errors[f"q{q.id}"] = [_l("Answer this question.")]
            continue
        if q.kind == "rating":
            try:
                rating = int(value) if not isinstance(value, bool) else None
            except (TypeError, ValueError):
                rating = None
            if rating is None or not RATING_MIN <= rating <= RATING_MAX:
                errors[f"q{q.id}"] = [_l("Choose a rating from 1 to 5.")]
            else:
                answers[str(q.id)] = rating
        elif q.kind == "yes_no":
            if value in (True, "yes", "true"):
                answers[str(q.id)] = True
            elif value in (False, "no", "false"):
                answers[str(q.id)] = False
            else:
                errors[f"q{q.id}"] = [_l("Answer yes or no.")]
        elif q.kind == "choice":
            if value not in {c["code"] for c in q.choices or []}:
                errors[f"q{q.id}"] = [_l("Choose one of the options.")]
            else:
                answers[str(q.id)] = value
        else:
            if not isinstance(value, str) or len(value) > 2000:
                errors[f"q{q.id}"] = [_l("Write at most 2000 characters.")]
            else:
                answers[str(q.id)] = value
    if errors:
        raise ValidationError(errors)
    return answers


def check_open(invitation: SurveyInvitation) -> None:
    """A link that may still be answered: sampled, not answered, not expired."""
    if not invitation.sampled or invitation.token_hash is None:
        raise NotFound()
    if invitation.answered_at is not None:
        raise Conflict(_("This survey was already answered. Thank you."))
    if invitation.expires_at is not None and invitation.expires_at <= utcnow():
        raise Conflict(_("This survey link has expired."))


def claim(invitation: SurveyInvitation) -> None:
    """Mark the invitation answered, atomically: of two submissions racing, one wins and the
    other gets 409 (the conditional UPDATE matches a row once)."""
    result = db.session.execute(
        db.update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.answered_at.is_(None))
        .values(answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This survey was already answered. Thank you."))
    db.session.refresh(invitation)


def _store(invitation: SurveyInvitation, raw: dict, channel: str, entered_by: Any = None) -> SurveyResponse:
    version = db.session.get(SurveyVersion, invitation.version_id)
    questions = questions_of(version)
    answers = clean_answers(questions, raw)  # before anything is written
    claim(invitation)
    kpi_question = next((q for q in questions if q.feeds_kpi), None)
    response = SurveyResponse(
        tenant_id=invitation.tenant_id,
        version_id=version.id,
        invitation_id=invitation.id if survey_settings()["identified"] else None,
        program_id=invitation.program_id,
        period=invitation.period,
        channel=channel,
        answers=answers,
        kpi_score=answers.get(str(kpi_question.id)) if kpi_question else None,
        entered_by_id=getattr(entered_by, "id", None),
    )
    db.session.add(response)
    db.session.flush()
    record("surveys.response", "SurveyResponse", response.id, {"channel": channel}, user=entered_by)
    return response


def answer(invitation: SurveyInvitation, raw: dict) -> SurveyResponse:
    """The beneficiary's answers through the link (or the portal)."""
    check_open(invitation)
    return _store(invitation, raw, "link")


def enter_paper(request_id: int, raw: dict, actor: Any) -> SurveyResponse:
    """Staff type in a paper survey a beneficiary filled in about ``request_id``: it answers the
    request's invitation (made now, unsampled months included, if there is none yet)."""
    if not can(actor, "surveys.enter_paper"):
        raise Forbidden(_("Your role cannot take this step."))
    request = get_or_404(AidRequest, request_id)
    invitation = db.session.scalars(
        db.select(SurveyInvitation).where(SurveyInvitation.request_id == request.id)
    ).first()
    if invitation is None:
        invitation = invite(request, "paper")
        if invitation is None:
            raise Conflict(_("No survey is published yet."))
    if invitation.answered_at is not None:
        raise Conflict(_("This survey was already answered. Thank you."))
    invitation.sampled = True  # answered on paper: counts among the invited
    return _store(invitation, raw, "paper", entered_by=actor)


def record_response(version: SurveyVersion, raw: dict, channel: str, actor: Any = None) -> SurveyResponse:
    """Store answers to a published survey that are not tied to an invitation (a plugin's
    questionnaire, e.g. answered at a meeting and typed in by staff): checked like every answer
    (a translated error per question, nothing written), anonymous, no KPI rating. ``channel``
    names where it was answered; satisfaction results read only the ``link`` and ``paper`` ones."""
    if channel in CHANNELS:
        raise ValueError("a questionnaire's channel must differ from the satisfaction channels")
    if version.state != "published":
        raise Conflict(_("This survey is not published."))
    answers = clean_answers(questions_of(version), raw)
    response = SurveyResponse(
        tenant_id=version.tenant_id,
        version_id=version.id,
        invitation_id=None,
        program_id=None,
        period=today().strftime("%Y-%m"),  # the association's month
        channel=channel,
        answers=answers,
        kpi_score=None,
        entered_by_id=getattr(actor, "id", None),
    )
    db.session.add(response)
    db.session.flush()
    record("surveys.response", "SurveyResponse", response.id, {"channel": channel}, user=actor)
    return response
