"""The complaint route from a survey: a low rating offers the prefilled grievance form once the
grievances feature registers how to build its address (``core.surveys.links``)."""

from __future__ import annotations

import pytest

from core.surveys.links import complaint_url, register_complaint_route

from .conftest import full_answers
from .test_invitations import _questions


@pytest.fixture
def complaint_route(app):
    """The registration the grievances feature makes in its ``init_app`` (removed afterwards)."""
    register_complaint_route(
        app, lambda request_id, score: f"/t/first/grievances/new?request_id={request_id}"
    )
    yield
    app.extensions.pop("charity_surveys_complaint_route", None)


def test_without_the_grievances_feature_no_complaint_link_is_offered(app):
    with app.app_context():
        assert complaint_url(7, 1, 2) is None


@pytest.mark.parametrize("score, offered", [(1, True), (2, True), (3, False), (5, False)])
def test_a_rating_at_or_below_the_setting_offers_the_complaint(app, complaint_route, score, offered):
    with app.app_context():
        assert (complaint_url(7, score, 2) is not None) is offered


def test_the_thanks_page_links_the_prefilled_complaint_after_a_low_rating(
    disbursed, client, tenant, complaint_route
):
    request, invitation, token = disbursed()
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation), rating=1).items()}
    html = client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers).get_data(as_text=True)
    assert 'id="complaint-from-survey"' in html and f"request_id={request.id}" in html


def test_a_good_rating_gets_no_complaint_link(disbursed, client, tenant, complaint_route):
    _request, invitation, token = disbursed()
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation), rating=4).items()}
    html = client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers).get_data(as_text=True)
    assert "complaint-from-survey" not in html
