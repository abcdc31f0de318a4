"""A beneficiary answers the satisfaction survey from the link of their SMS, on a phone (375 px),
in Arabic, without logging in; the link cannot be used twice."""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.notifications.models import OutboxMessage
from core.surveys.models import SurveyResponse
from core.tenancy import tenant_context
from tests.e2e.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_beneficiary_answers_the_survey_link_once_on_a_phone(
    phone_page, live_server, new_request, advance, tenant
):
    advance(new_request(), "disbursed")  # the disbursement invites the applicant (SMS)
    db.session.commit()
    body = db.session.scalars(
        db.select(OutboxMessage.body).where(OutboxMessage.template == "surveys_invitation")
    ).one()
    path = re.search(r"/t/first/surveys/answer/\S+", body).group(0)

    page = phone_page
    page.goto(path)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("button[type=submit]")  # nothing answered: field errors, in Arabic
    page.wait_for_load_state()
    assert "أجب عن هذا السؤال" in page.content()
    page.locator(".surveys-rating label").nth(1).click()  # rating 2
    page.locator("input[value=no] + label").click()
    page.locator("input[value=poor] + label").click()
    page.fill("textarea", "تأخر صرف المساعدة")
    screenshot(page, "survey-01-answer-phone-375")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#survey-thanks").is_visible()
    screenshot(page, "survey-02-thanks-phone-375")
    page.goto(path)
    assert "تمت الإجابة عن هذه الاستبانة" in page.content()
    with tenant_context(tenant):
        assert db.session.scalars(db.select(SurveyResponse.kpi_score)).all() == [2]
