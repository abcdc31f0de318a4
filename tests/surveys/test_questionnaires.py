"""A plugin's questionnaire on core's survey engine (``record_response``): published without a KPI
rating, never the survey sent with invitations, answers checked like every answer and kept out of
the satisfaction results."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from core.calendar import today as tenant_today
from core.errors import Conflict
from core.extensions import db
from core.surveys.models import Survey, SurveyResponse, SurveyVersion
from core.surveys.services import (
    add_question,
    create_survey,
    publish,
    questions_of,
    record_response,
    responses_for,
    satisfaction,
)
from core.surveys.services.defaults import install_default_survey

CHOICE = {
    "kind": "choice",
    "text_ar": "ما أكبر تحدٍّ؟",
    "text_en": "The biggest challenge?",
    "choices": [{"code": "marketing", "ar": "التسويق", "en": "Marketing", "theme": "marketing"}],
    "required": True,
    "feeds_kpi": False,
}


def _questionnaire():
    survey = create_survey(
        {"code": "challenges", "name_ar": "التحديات", "name_en": "Challenges"}, None, satisfaction=False
    )
    version = db.session.scalars(db.select(SurveyVersion).where(SurveyVersion.survey_id == survey.id)).one()
    add_question(version, CHOICE, None)
    return survey, version


def test_a_questionnaire_publishes_without_a_rating_and_is_never_the_invitation_survey(in_first):
    survey, version = _questionnaire()
    with pytest.raises(Conflict):
        record_response(version, {}, "meeting")  # a draft takes no answers
    publish(version, None, satisfaction=False)
    assert version.state == "published" and survey.for_invitations is False
    install_default_survey()  # created after it, the satisfaction survey is still the one sent
    sent = db.session.scalars(db.select(Survey).where(Survey.for_invitations.is_(True))).one()
    assert sent.code == "satisfaction"


def test_a_questionnaire_refuses_a_kpi_question(in_first):
    _survey, version = _questionnaire()
    add_question(version, {**CHOICE, "kind": "rating", "choices": [], "feeds_kpi": True}, None)
    with pytest.raises(ValidationError) as refused:
        publish(version, None, satisfaction=False)
    assert "feeds_kpi" in refused.value.messages


def test_answers_are_checked_stored_anonymously_and_kept_out_of_satisfaction(in_first):
    _survey, version = _questionnaire()
    publish(version, None, satisfaction=False)
    question = questions_of(version)[0]
    with pytest.raises(ValidationError) as refused:
        record_response(version, {str(question.id): "weather"}, "meeting")
    assert f"q{question.id}" in refused.value.messages
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0
    with pytest.raises(ValueError):
        record_response(version, {str(question.id): "marketing"}, "paper")  # the satisfaction channels
    response = record_response(version, {str(question.id): "marketing"}, "meeting")
    assert (response.channel, response.invitation_id, response.kpi_score) == ("meeting", None, None)
    today = tenant_today()
    assert responses_for(None, today.replace(day=1), today) == []
    assert satisfaction(today.replace(day=1), today)["overall"]["responses"] == 0
