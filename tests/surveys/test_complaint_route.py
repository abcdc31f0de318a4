"""The complaint route from a survey: a low rating offers the prefilled grievance form once the
grievances feature registers how to build its address (``core.surveys.links``)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from core.aid.models import Disbursement
from core.extensions import db
from core.surveys.links import complaint_url, register_complaint_route
from core.tenancy import tenant_context

from .conftest import full_answers
from .test_invitations import _questions

KEY = "charity_surveys_complaint_route"


@pytest.fixture
def complaint_route(app):
    """A stand-in for the registration the grievances feature makes (restored afterwards)."""
    registered = app.extensions.get(KEY)
    register_complaint_route(
        app, lambda request_id, score: f"/t/first/grievances/new?request_id={request_id}"
    )
    yield
    app.extensions[KEY] = registered


def test_without_a_registered_route_no_complaint_link_is_offered(app):
    registered = app.extensions.pop(KEY)
    try:
        with app.app_context():
            assert complaint_url(7, 1, 2) is None
    finally:
        app.extensions[KEY] = registered


def test_a_low_rating_leads_the_signed_in_applicant_to_the_grievance_form_prefilled(
    disbursed, client, tenant, staff, login
):
    request, invitation, token = disbursed(applicant_user_id=staff["applicant"].id)
    answers = {f"q{k}": v for k, v in full_answers(_questions(invitation), rating=1).items()}
    html = client.post(f"/t/{tenant.slug}/surveys/answer/{token}", data=answers).get_data(as_text=True)
    link = re.search(
        r'id="complaint-from-survey"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*id="complaint-from-survey"', html
    )
    url = unescape(link.group(1) or link.group(2))
    with tenant_context(tenant):
        disbursement = db.session.scalars(db.select(Disbursement)).one()
    assert f"disbursement_id={disbursement.id}" in url and f"request_id={request.id}" in url

    assert "/login" in client.get(url).headers["Location"]  # the link needs no login; the form does
    login(staff["applicant"])
    form = client.get(url).get_data(as_text=True)
    assert disbursement.disbursed_on.isoformat() in form
    assert "1" in re.search(r'<textarea[^>]*id="description"[^>]*>([^<]*)<', form).group(1)


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
