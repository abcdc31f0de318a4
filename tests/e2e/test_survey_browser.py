"""A beneficiary answers the satisfaction survey from the link of their SMS, on a phone (375 px),
in Arabic, without logging in; the link cannot be used twice. A portal applicant opens it from
the message in their portal inbox instead, signed in."""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.notifications import OutboxMessage, unsealed
from core.surveys.models import SurveyResponse
from core.tenancy import tenant_context
from core.testing import PASSWORD
from tests.e2e.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_beneficiary_answers_the_survey_link_once_on_a_phone(
    phone_page, live_server, new_request, advance, tenant
):
    advance(new_request(), "disbursed")  # the disbursement invites the applicant (SMS)
    db.session.commit()
    message = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "surveys_invitation")
    ).one()
    path = re.search(r"/t/first/surveys/answer/\S+", unsealed(message)[1]).group(0)  # as sent

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


def test_a_portal_applicant_opens_the_survey_from_the_message_in_their_inbox(
    phone_page, browser_login, new_request, advance, tenant, staff
):
    applicant = staff["applicant"]
    advance(new_request(applicant_user_id=applicant.id), "disbursed")
    db.session.commit()
    page = phone_page
    browser_login(page, applicant.email, PASSWORD)
    page.goto("/t/first/portal/")
    message = page.locator("#messages li", has_text="الاستبانة")
    assert re.search(r"/t/first/surveys/mine/\d+", message.inner_text())  # the page, not the link
    link = message.locator("a[data-open]")
    assert re.fullmatch(r"/t/first/surveys/mine/\d+", link.get_attribute("href"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "survey-03-portal-message-phone-375")
    link.click()
    page.wait_for_load_state()
    assert page.locator(".surveys-rating").count() == 1  # the questions, signed in: no token


def test_the_portal_inbox_reads_in_english_on_a_desktop(signed_in, new_request, advance, staff):
    applicant = staff["applicant"]
    applicant.locale = "en"
    advance(new_request(applicant_user_id=applicant.id), "disbursed")
    db.session.commit()
    page = signed_in(applicant.email, width=1366, lang="en")
    page.goto("/t/first/portal/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    message = page.locator("#messages li", has_text="Answer this short survey")
    assert "Answer this short survey, once" in message.inner_text()  # the message in their language
    handed = page.locator("#messages li", has_text="was handed over").inner_text()
    assert " AH (" in handed and "هـ" not in handed  # its date written in English too
    assert re.fullmatch(r"/t/first/surveys/mine/\d+", message.locator("a[data-open]").get_attribute("href"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "survey-04-portal-message-desktop-en-1366")
