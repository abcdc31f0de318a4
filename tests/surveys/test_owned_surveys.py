"""A survey a plugin owns (``create_survey(..., owner=…)``): never sent with invitations, listed
apart and read-only in the survey builder with the feature named in words, and every builder
page action and API endpoint that would change it refused with a translated 409; the owner's own
calls still change it. Without ``owner`` everything is as before."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from core.extensions import db
from core.surveys.models import Survey, SurveyQuestion, SurveyVersion
from core.surveys.services import add_question, create_survey, new_version, publish, questions_of
from core.surveys.services.defaults import install_default_survey
from core.tenancy import tenant_context

ADMIN = "/t/first/surveys/admin"
API = "/t/first/api/v1/surveys"
OWNER = "productive_families"
CHOICE = {
    "kind": "choice",
    "text_ar": "ما أكبر تحدٍّ؟",
    "text_en": "The biggest challenge?",
    "choices": [{"code": "marketing", "ar": "التسويق", "en": "Marketing"}],
    "required": True,
    "feeds_kpi": False,
}


def _owned(with_draft: bool = False) -> tuple[int, int, int]:
    """A plugin's questionnaire, published by its owner (and a new draft): survey, version and
    question ids (of the draft when there is one)."""
    survey = create_survey(
        {"code": "families-challenges", "name_ar": "استبانة التحديات", "name_en": "Challenges"},
        None,
        satisfaction=False,
        owner=OWNER,
    )
    version = db.session.scalars(db.select(SurveyVersion).where(SurveyVersion.survey_id == survey.id)).one()
    add_question(version, CHOICE, None, owner=OWNER)
    publish(version, None, satisfaction=False, owner=OWNER)
    if with_draft:
        version = new_version(survey, None, owner=OWNER)
    db.session.commit()
    return survey.id, version.id, questions_of(version)[0].id


def _unchanged(survey_id: int) -> tuple:
    survey = db.session.get(Survey, survey_id)
    versions = db.session.scalars(db.select(SurveyVersion).where(SurveyVersion.survey_id == survey_id)).all()
    questions = db.session.scalar(
        db.select(db.func.count(SurveyQuestion.id)).where(
            SurveyQuestion.version_id.in_([v.id for v in versions])
        )
    )
    return survey.for_invitations, sorted((v.number, v.state) for v in versions), questions


def test_an_owned_survey_is_never_sent_and_only_its_owner_changes_it(in_first):
    survey_id, draft_id, _question = _owned(with_draft=True)
    survey = db.session.get(Survey, survey_id)
    assert survey.owner == OWNER and survey.for_invitations is False  # the tenant's first, yet not sent
    draft = db.session.get(SurveyVersion, draft_id)
    for attempt in (
        lambda: add_question(draft, CHOICE, None),
        lambda: publish(draft, None, satisfaction=False),
        lambda: new_version(survey, None, owner="someone_else"),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert "Productive families" in str(refused.value.message) or "الأسر المنتجة" in str(
            refused.value.message
        )
    assert add_question(draft, {**CHOICE, "text_en": "Second?"}, None, owner=OWNER).id
    assert publish(draft, None, satisfaction=False, owner=OWNER).state == "published"


def test_without_an_owner_surveys_behave_as_before(in_first):
    install_default_survey()  # create_survey(data, actor): the first satisfaction survey is sent
    survey = db.session.scalars(db.select(Survey)).one()
    assert survey.owner is None and survey.for_invitations is True
    assert new_version(survey, None).number == 2


def test_the_builder_lists_an_owned_survey_apart_read_only_in_words(client, login, staff, tenant):
    with tenant_context(tenant):
        install_default_survey()
        survey_id, draft_id, _question = _owned(with_draft=True)
    login(staff["tenant_admin"])
    html = client.get(ADMIN).get_data(as_text=True)
    owned = html[html.index('id="owned-surveys"') :]
    owned = owned[: owned.index("</section>")]
    assert "استبانة التحديات" in owned and "الأسر المنتجة" in owned  # the feature, in words
    assert "<form" not in owned
    assert f'name="version_id" value="{draft_id}"' not in html  # no editing form for its draft
    assert f'name="survey_id" value="{survey_id}"' not in html
    mine = html[: html.index('id="owned-surveys"')]
    assert "استبانة التحديات" not in mine
    # Words, not the survey's code: the association's own survey says what it is.
    assert "(satisfaction)" not in html and "families-challenges" not in html
    assert "استبانة رضا" in mine


@pytest.mark.parametrize(
    "action, field",
    [
        ("add_question", "version_id"),
        ("remove_question", "question_id"),
        ("publish", "version_id"),
        ("new_version", "survey_id"),
        ("use_for_invitations", "survey_id"),
    ],
)
def test_the_builder_refuses_to_change_an_owned_survey_with_409(client, login, staff, tenant, action, field):
    with tenant_context(tenant):
        survey_id, draft_id, question_id = _owned(with_draft=action != "new_version")
        before = _unchanged(survey_id)
    login(staff["tenant_admin"])
    target = {"survey_id": survey_id, "version_id": draft_id, "question_id": question_id}[field]
    refused = client.post(
        ADMIN,
        data={"action": action, field: target, "kind": "yes_no", "text_ar": "سؤال؟", "text_en": "Question?"},
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "الأسر المنتجة" in html and ("لا يمكن" in html)
    with tenant_context(tenant):
        assert _unchanged(survey_id) == before


def test_the_api_marks_the_owner_and_refuses_changes_with_a_translated_409(client, staff, token_for, tenant):
    with tenant_context(tenant):
        survey_id, draft_id, question_id = _owned(with_draft=True)
        before = _unchanged(survey_id)
    headers = {**token_for(staff["tenant_admin"]), "Accept-Language": "en"}
    listed = client.get(f"{API}/", headers=headers).json
    assert [(s["id"], s["owner"]) for s in listed] == [(survey_id, OWNER)]
    attempts = [
        client.post(
            f"{API}/versions/{draft_id}/questions",
            json={"kind": "yes_no", "text_ar": "سؤال؟", "text_en": "Question?"},
            headers=headers,
        ),
        client.delete(f"{API}/questions/{question_id}", headers=headers),
        client.post(f"{API}/versions/{draft_id}/publish", headers=headers),
        client.post(f"{API}/{survey_id}/versions", headers=headers),
        client.post(f"{API}/{survey_id}/invitations-use", headers=headers),
    ]
    for response in attempts:
        assert response.status_code == 409, response.json
        assert "Productive families" in response.get_data(as_text=True)
    with tenant_context(tenant):
        assert _unchanged(survey_id) == before
