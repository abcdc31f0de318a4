"""Invitations after a disbursement or closing; the signed single-use expiring link."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.extensions import db
from core.notifications import MASK, OutboxMessage, unsealed
from core.requests import services as request_services
from core.surveys import services
from core.surveys.models import SurveyInvitation, SurveyResponse, SurveyVersion
from core.surveys.services.defaults import install_default_survey
from core.surveys.services.invitations import sampling_probability
from core.tenancy import Tenant, tenant_context, utcnow

from .conftest import full_answers

ROOT = Path(__file__).resolve().parents[2]


def _questions(invitation):
    return services.questions_of(db.session.get(SurveyVersion, invitation.version_id))


def test_a_disbursement_invites_the_beneficiary_once_by_sms_with_a_link(
    disbursed, advance, staff, tenant, app
):
    request, invitation, token = disbursed()
    assert invitation.trigger == "disbursement" and invitation.sampled and invitation.expires_at > utcnow()
    messages = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "surveys_invitation")
    ).all()
    assert [m.channel for m in messages] == ["sms"]
    # sent outside a request (as a background job would): the platform's address, not localhost's
    assert f"{app.config['PUBLIC_URL']}/t/{tenant.slug}/surveys/answer/{token}" in unsealed(messages[0])[1]
    assert token not in messages[0].body and MASK in messages[0].body  # the outbox keeps it sealed
    # closing the same request later does not invite again
    request_services.close(request, staff["executive_director"])
    assert request.state == "closed"
    assert db.session.scalar(db.select(db.func.count(SurveyInvitation.id))) == 1


def test_the_tenant_gets_the_default_survey_with_its_first_invitation(disbursed):
    _request, invitation, _token = disbursed()
    questions = _questions(invitation)
    assert [q.kind for q in questions] == ["rating", "yes_no", "choice", "text"]
    assert sum(q.feeds_kpi for q in questions) == 1
    assert all(q.text_ar and q.text_en for q in questions)


def test_a_link_answers_once_and_the_second_use_is_refused(disbursed, client, tenant):
    _request, invitation, token = disbursed()
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation), rating=4).items()}
    first = client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers)
    assert first.status_code == 200 and "survey-thanks" in first.get_data(as_text=True)
    second = client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers)
    assert second.status_code == 409
    again = client.get(f"/t/{tenant.slug}/surveys/answer/{token}")
    assert again.status_code == 409
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1


def test_the_public_api_answers_once_then_409(disbursed, client, tenant):
    _request, invitation, token = disbursed()
    body = {"answers": full_answers(_questions(invitation), rating=2)}
    base = f"/t/{tenant.slug}/api/v1/surveys/answer/{token}"
    form = client.get(base)
    assert form.status_code == 200 and len(form.json["questions"]) == 4
    assert client.post(base, json=body, csrf=False).status_code == 201
    assert client.post(base, json=body, csrf=False).status_code == 409


def test_a_bad_answer_gets_a_field_error_and_nothing_is_written(disbursed, client, tenant):
    _request, invitation, token = disbursed()
    questions = _questions(invitation)
    rating = next(q for q in questions if q.feeds_kpi)
    answers = {f"q{k}": v for k, v in full_answers(questions).items()}
    answers[f"q{rating.id}"] = "6"
    response = client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers)
    assert response.status_code == 422
    assert "1 إلى 5" in response.get_data(as_text=True) or "1 to 5" in response.get_data(as_text=True)
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0
        assert db.session.get(SurveyInvitation, invitation.id).answered_at is None


@pytest.mark.parametrize("offset, status", [(timedelta(seconds=-1), 409), (timedelta(minutes=1), 200)])
def test_an_expired_link_is_refused(disbursed, client, tenant, offset, status):
    _request, invitation, token = disbursed()
    with tenant_context(tenant):
        db.session.get(SurveyInvitation, invitation.id).expires_at = utcnow() + offset
        db.session.commit()
    assert client.get(f"/t/{tenant.slug}/surveys/answer/{token}").status_code == status


def test_a_forged_or_altered_or_foreign_token_is_404(disbursed, client, tenant, other_tenant):
    _request, _invitation, token = disbursed()
    assert client.get(f"/t/{tenant.slug}/surveys/answer/{token[:-2]}xx").status_code == 404
    assert client.get(f"/t/{tenant.slug}/surveys/answer/not-a-token").status_code == 404
    assert client.get(f"/t/{other_tenant.slug}/surveys/answer/{token}").status_code == 404


def test_responses_are_anonymous_unless_the_tenant_turns_identification_on(disbursed, client, tenant, staff):
    _request, invitation, token = disbursed()
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation)).items()}
    client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers)
    with tenant_context(tenant):
        response = db.session.scalars(db.select(SurveyResponse)).one()
        assert response.invitation_id is None and response.period == invitation.period


def test_identified_responses_keep_their_invitation(disbursed, client, tenant, staff):
    with tenant_context(tenant):
        services.update_settings({"identified": True}, staff["tenant_admin"])
        db.session.commit()
    request, invitation, token = disbursed()
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation)).items()}
    client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers)
    with tenant_context(tenant):
        assert db.session.scalars(db.select(SurveyResponse)).one().invitation_id == invitation.id


class _Dice:
    def __init__(self, value):
        self.value = value

    def random(self):
        return self.value


def test_sampling_invites_with_the_chance_the_target_margin_needs(new_request, in_first, staff):
    install_default_survey()
    services.update_settings({"sampling": "sample", "target_margin": 20}, staff["tenant_admin"])
    # 20 points: n0 = 24.01; first request of the month: population 1, chance 1
    first = services.invite(new_request(), "disbursement", rng=_Dice(0.99))
    assert first.sampled
    # 100 eligible last month: n = ceil(24.01 / (1 + 23.01/100)) = 20, chance 0.2
    last = services.invite(new_request(), "disbursement", rng=_Dice(0.0))
    db.session.execute(db.update(SurveyInvitation).values(period="2000-01"))
    for _index in range(99):
        db.session.add(
            SurveyInvitation(
                tenant_id=last.tenant_id, version_id=last.version_id, period="2000-01", trigger="disbursement"
            )
        )
    db.session.flush()
    assert sampling_probability(None, "2000-02", services.survey_settings()) == pytest.approx(20 / 101)
    left_out = services.invite(new_request(), "disbursement", rng=_Dice(0.99), today=date(2000, 2, 3))
    assert left_out.sampled is False and left_out.token_hash is None
    taken = services.invite(new_request(), "disbursement", rng=_Dice(0.1), today=date(2000, 2, 3))
    assert taken.sampled is True and taken.token_hash


def test_a_portal_applicant_is_invited_in_app_with_their_portal_page_not_the_link(
    disbursed, create_user_, tenant
):
    applicant = create_user_("applicant@example.org", roles={tenant: ["applicant"]})
    _request, invitation, token = disbursed(applicant_user_id=applicant.id)
    messages = {
        m.channel: m
        for m in db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "surveys_invitation")
        )
    }
    assert {"in_app", "sms"} <= messages.keys() and invitation.user_id == applicant.id
    assert services.pending_invitations_of(applicant) == [invitation]
    # No copy in the database answers the survey: the in-app message (and its values, kept to
    # show it again in the reader's language) holds the applicant's page behind their login.
    in_app = messages["in_app"]
    page = f"/t/{tenant.slug}/surveys/mine/{invitation.id}"
    assert page in in_app.body and page in in_app.context["link"] and in_app.sealed is None
    for message in messages.values():
        assert token not in f"{message.subject} {message.body} {message.context}"


def test_demo_data_gives_every_association_responses_over_several_months(runner, app):
    runner.invoke(args=["tenants", "apply", str(ROOT / "tenants")])
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0  # idempotent
    with app.app_context():
        tenants = db.session.scalars(db.select(Tenant)).all()
        assert len(tenants) >= 5
        for each in tenants:
            with tenant_context(each):
                assert services.invitation_version() is not None
                months = set(db.session.scalars(db.select(SurveyResponse.period)))
                assert len(months) >= 6, each.slug


def test_the_portal_lists_the_beneficiarys_survey_and_answers_it_once(
    disbursed, create_user_, tenant, client, login
):
    applicant = create_user_("applicant@example.org", roles={tenant: ["applicant"]})
    other = create_user_("other@example.org", roles={tenant: ["applicant"]})
    _request, invitation, _token = disbursed(applicant_user_id=applicant.id)
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation)).items()}
    login(other)
    assert client.get(f"/t/{tenant.slug}/surveys/mine/{invitation.id}").status_code == 404  # not theirs
    login(applicant)
    portal = client.get(f"/t/{tenant.slug}/portal/").get_data(as_text=True)
    assert f"/t/{tenant.slug}/surveys/mine/{invitation.id}" in portal
    # the in-app message's page is a link the applicant can tap
    assert re.search(
        rf'<a href="[^"]*/t/{tenant.slug}/surveys/mine/{invitation.id}"', portal.split('id="messages"')[1]
    )
    assert client.post(f"/t/{tenant.slug}/surveys/mine/{invitation.id}", data=answers).status_code == 200
    assert client.post(f"/t/{tenant.slug}/surveys/mine/{invitation.id}", data=answers).status_code == 409
    assert "my-surveys" not in client.get(f"/t/{tenant.slug}/portal/").get_data(as_text=True)
