"""Invitations: one per request, after a disbursement or the request's closing; sampled per
program and month; a signed, single-use, expiring link.

The link's token is ``itsdangerous``-signed ``[tenant id, invitation id, nonce]`` (salted with
the app's ``SECRET_KEY``): a forged or altered token is refused before any lookup; only the
SHA-256 of the nonce is stored (``token_hash``), so a database copy cannot answer; the
expiry is the invitation's ``expires_at``; single use is the atomic ``answered_at`` update of
:func:`core.surveys.services.answering.claim`.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import date, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ...audit.services import record
from ...calendar import today as tenant_today
from ...extensions import db
from ...notifications.services import Sealed, notify_applicant
from ...requests.models import AidRequest
from ...tenancy import page_path, page_url, require_tenant, utcnow
from ..models import Survey, SurveyInvitation
from .building import invitation_version
from .defaults import install_default_survey
from .settings import survey_settings
from .stats import sample_size

_SALT = "charity-survey-invitation"
_rng: random.Random = random.SystemRandom()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def hash_nonce(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def issue_token(invitation: SurveyInvitation) -> str:
    """A new token for ``invitation`` (replaces any earlier one)."""
    nonce = secrets.token_urlsafe(18)
    invitation.token_hash = hash_nonce(nonce)
    return _serializer().dumps([invitation.tenant_id, invitation.id, nonce])


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The current tenant's invitation whose token this is (None: forged, altered, another
    tenant's, or replaced). Expiry and use are the caller's to check."""
    try:
        tenant_id, invitation_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    tenant = require_tenant()
    if tenant_id != tenant.id or not isinstance(invitation_id, int) or not isinstance(nonce, str):
        return None
    invitation = db.session.get(SurveyInvitation, invitation_id)
    if invitation is None or invitation.tenant_id != tenant.id or not invitation.token_hash:
        return None
    if not secrets.compare_digest(invitation.token_hash, hash_nonce(nonce)):
        return None
    return invitation


def answer_link(token: str) -> str:
    """The answer page's absolute address, in a request or a background job (``page_url``)."""
    return page_url("surveys.answer", token=token)


def portal_link(invitation: SurveyInvitation, external: bool = True) -> str:
    """The signed-in applicant's own page of the invitation (``surveys.mine``): what their
    in-app message shows in place of the single-use link, which the outbox does not keep
    (``external=False``: the path alone, the message's page on the portal it is read on)."""
    return (page_url if external else page_path)("surveys.mine", invitation_id=invitation.id)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def _eligible_count(program_id: int | None, period: str) -> int:
    same_program = (
        SurveyInvitation.program_id.is_(None)
        if program_id is None
        else SurveyInvitation.program_id == program_id
    )
    return int(
        db.session.scalar(
            db.select(db.func.count(SurveyInvitation.id)).where(
                SurveyInvitation.period == period, same_program
            )
        )
    )


def sampling_probability(program_id: int | None, period: str, settings: dict) -> float:
    """The chance that an eligible request of this program and month is invited.

    ``all``: 1. ``sample``: n / N, where N is the program's expected monthly population (the
    larger of last month's eligible requests and this month's so far, plus this one) and n the
    sample size reaching the tenant's target margin of error for N."""
    if settings["sampling"] != "sample":
        return 1.0
    population = max(
        _eligible_count(program_id, previous_period(period)), _eligible_count(program_id, period) + 1
    )
    return sample_size(population, float(settings["target_margin"])) / population


def invite(
    request: AidRequest, trigger: str, *, today: date | None = None, rng: Any = None
) -> SurveyInvitation | None:
    """Invite the applicant of ``request`` once (None when already invited or no survey is
    published). A request the month's sample leaves out is recorded, unsampled, without a link."""
    paper = trigger == "paper"  # staff enter a paper survey: no sampling, no link
    if not paper and not (request.applicant_user_id or request.applicant_phone or request.applicant_email):
        return None
    exists = db.session.scalar(
        db.select(db.func.count(SurveyInvitation.id)).where(SurveyInvitation.request_id == request.id)
    )
    if exists:
        return None
    if not db.session.scalar(db.select(db.func.count(Survey.id))):
        install_default_survey()  # every association ships with the default survey
    version = invitation_version()
    if version is None:
        return None
    settings = survey_settings()
    period = period_of(today or tenant_today())
    program_id = request.catalog_item_id
    chance = 1.0 if paper else sampling_probability(program_id, period, settings)
    sampled = chance >= 1.0 or (rng or _rng).random() < chance
    invitation = SurveyInvitation(
        tenant_id=request.tenant_id,
        version_id=version.id,
        request_id=request.id,
        program_id=program_id,
        period=period,
        trigger=trigger,
        sampled=sampled,
        user_id=request.applicant_user_id,
    )
    db.session.add(invitation)
    db.session.flush()
    if sampled and not paper:
        token = issue_token(invitation)
        invitation.expires_at = utcnow() + timedelta(days=int(settings["link_days"]))
        db.session.flush()
        # The link goes out by SMS/e-mail but is not kept in clear (a database copy must not
        # answer); the applicant's inbox shows their portal page of the survey instead.
        link = Sealed(answer_link(token), shown=portal_link(invitation))
        notify_applicant(
            request, "surveys_invitation", page=portal_link(invitation, external=False), link=link
        )
    record(
        "surveys.invite",
        "SurveyInvitation",
        invitation.id,
        {"trigger": trigger, "sampled": sampled, "request_id": request.id},
    )
    return invitation


def pending_invitations_of(user: Any) -> list[SurveyInvitation]:
    """The user's unanswered, unexpired invitations (the portal's list)."""
    return list(
        db.session.scalars(
            db.select(SurveyInvitation)
            .where(
                SurveyInvitation.user_id == user.id,
                SurveyInvitation.sampled.is_(True),
                SurveyInvitation.answered_at.is_(None),
                SurveyInvitation.expires_at > utcnow(),
            )
            .order_by(SurveyInvitation.id.desc())
        )
    )
