"""Tenant API of the satisfaction surveys: ``/t/<tenant>/api/v1/surveys/…``.

Staff endpoints need a permission; the two ``/answer/<token>`` endpoints are public: the signed,
single-use, expiring token in the path is the credential (no cookie, so no CSRF)."""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..auth.api_auth import by_credentials
from ..errors import NotFound
from ..extensions import db
from ..lookup import get_or_404
from . import services
from .models import Survey, SurveyQuestion, SurveyVersion
from .schemas import (
    AnswersSchema,
    PaperSchema,
    PeriodSchema,
    QuestionSchema,
    ResponseSchema,
    SatisfactionSchema,
    SettingsSchema,
    SurveyInvitationSchema,
    SurveySchema,
    VersionSchema,
)

bp = ApiBlueprint("surveys_api", __name__, description="Beneficiary satisfaction surveys")


def _version_out(version: SurveyVersion) -> dict:
    return {
        "id": version.id,
        "survey_id": version.survey_id,
        "number": version.number,
        "state": version.state,
        "published_at": version.published_at,
        "questions": services.questions_of(version),
    }


@bp.route("/")
@bp.response(200, SurveySchema(many=True))
@bp.requires("surveys.manage", "surveys.view_results")
def list_surveys():
    return services.surveys()


@bp.route("/", methods=["POST"])
@bp.arguments(SurveySchema)
@bp.response(201, SurveySchema)
@bp.requires("surveys.manage")
def create_survey(data):
    survey = services.create_survey(data, current_user)
    db.session.commit()
    return survey


@bp.route("/<int:survey_id>/invitations-use", methods=["POST"])
@bp.response(200, SurveySchema)
@bp.requires("surveys.manage")
def use_for_invitations(survey_id):
    """Make this survey the one the invitations use."""
    survey = get_or_404(Survey, survey_id)
    services.use_for_invitations(survey, current_user)
    db.session.commit()
    return survey


@bp.route("/<int:survey_id>/versions")
@bp.response(200, VersionSchema(many=True))
@bp.requires("surveys.manage", "surveys.view_results")
def list_versions(survey_id):
    return [_version_out(v) for v in services.versions_of(get_or_404(Survey, survey_id))]


@bp.route("/<int:survey_id>/versions", methods=["POST"])
@bp.response(201, VersionSchema)
@bp.requires("surveys.manage")
def new_version(survey_id):
    """A new draft copying the latest version's questions."""
    version = services.new_version(get_or_404(Survey, survey_id), current_user)
    db.session.commit()
    return _version_out(version)


@bp.route("/versions/<int:version_id>/questions", methods=["POST"])
@bp.arguments(QuestionSchema)
@bp.response(201, QuestionSchema)
@bp.requires("surveys.manage")
def add_question(data, version_id):
    question = services.add_question(get_or_404(SurveyVersion, version_id), data, current_user)
    db.session.commit()
    return question


@bp.route("/questions/<int:question_id>", methods=["DELETE"])
@bp.response(204)
@bp.requires("surveys.manage")
def remove_question(question_id):
    services.remove_question(get_or_404(SurveyQuestion, question_id), current_user)
    db.session.commit()


@bp.route("/versions/<int:version_id>/publish", methods=["POST"])
@bp.response(200, VersionSchema)
@bp.requires("surveys.manage")
def publish(version_id):
    """Freeze a draft (one rating question must feed the KPI); the previous version retires."""
    version = services.publish(get_or_404(SurveyVersion, version_id), current_user)
    db.session.commit()
    return _version_out(version)


@bp.route("/settings")
@bp.response(200, SettingsSchema)
@bp.requires("surveys.manage", "surveys.view_results")
def get_settings():
    return services.survey_settings()


@bp.route("/settings", methods=["PATCH"])
@bp.arguments(SettingsSchema)
@bp.response(200, SettingsSchema)
@bp.requires("surveys.manage")
def update_settings(data):
    """Sampling (all or a sample per program and month at a target margin), the satisfied
    threshold, link validity, anonymity and who reads free text."""
    settings = services.update_settings(data, current_user)
    db.session.commit()
    return settings


@bp.route("/results")
@bp.arguments(PeriodSchema, location="query")
@bp.response(200, SatisfactionSchema)
@bp.requires("surveys.view_results")
def results(period):
    """The satisfaction share, response rate and margin of error, overall, per program and per
    month (groups under 5 responses suppressed)."""
    return services.satisfaction(period["start"], period["end"])


@bp.route("/responses")
@bp.arguments(PeriodSchema, location="query")
@bp.response(200, ResponseSchema(many=True))
@bp.requires("surveys.view_results")
def responses(period):
    """Responses without who gave them (unless the tenant turned that on); free text only for
    the roles the tenant grants it."""
    return services.responses_for(current_user, period["start"], period["end"])


@bp.route("/paper", methods=["POST"])
@bp.arguments(PaperSchema)
@bp.response(201, ResponseSchema)
@bp.requires("surveys.enter_paper")
def enter_paper(data):
    """A paper survey the beneficiary filled in about a request, typed in by staff."""
    response = services.enter_paper(data["request_id"], data["answers"], current_user)
    db.session.commit()
    return _response_out(response)


def _response_out(response) -> dict:
    return {
        "id": response.id,
        "version_id": response.version_id,
        "program_id": response.program_id,
        "period": response.period,
        "channel": response.channel,
        "kpi_score": response.kpi_score,
        "answers": response.answers,
        "request_id": None,
    }


def _open_invitation(token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise NotFound()
    return invitation


@bp.route("/answer/<token>")
@bp.response(200, VersionSchema)
def answer_form(token):
    """Public: the questions of an invitation's survey (404 for a bad token, 409 once answered
    or expired)."""
    invitation = _open_invitation(token)
    services.check_open(invitation)
    return _version_out(db.session.get(SurveyVersion, invitation.version_id))


@bp.route("/answer/<token>", methods=["POST"])
@bp.arguments(AnswersSchema)
@bp.response(201, SurveyInvitationSchema)
@by_credentials
def answer(data, token):
    """Public: answer once through the link's token (409 the second time)."""
    invitation = _open_invitation(token)
    services.answer(invitation, data["answers"])
    db.session.commit()
    return invitation
