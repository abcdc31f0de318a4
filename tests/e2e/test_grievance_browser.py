"""A complaint from the portal at 375 px to its outcome, each person in their own browser.

The beneficiary answers the satisfaction survey from the link of their SMS (no login) with a low
rating, follows the complaint route the thanks page offers, logs in and lands on the grievance
form prefilled with the disbursement and the rating, is refused without a contact number,
files and gets the number at once; the executive director assigns it to the committee
member, who decides it; the beneficiary sees the outcome with its reason — and not the
malicious marking the director recorded.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.aid.models import Disbursement
from core.calendar import today as tenant_today
from core.extensions import db
from core.notifications import OutboxMessage, unsealed
from tests.e2e.browser import screenshot
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_complaint_from_the_portal_at_375_px_to_the_outcome(
    browser, live_server, phone_page, browser_login, staff, new_request, advance
):
    request = new_request(applicant_user_id=staff["applicant"].id)
    advance(request, "disbursed")
    disbursement = db.session.scalars(db.select(Disbursement)).one()
    disbursement.disbursed_on = tenant_today() - timedelta(days=2)  # within the 15 days
    db.session.commit()

    message = db.session.scalars(
        db.select(OutboxMessage).where(
            OutboxMessage.template == "surveys_invitation", OutboxMessage.channel == "sms"
        )
    ).one()  # the link as the SMS sends it (the outbox keeps it sealed)
    survey_link = re.search(r"/t/first/surveys/answer/\S+", unsealed(message)[1]).group(0)

    portal = phone_page
    portal.goto(survey_link)  # no login: the SMS link is the credential
    portal.locator(".surveys-rating label").nth(0).click()  # rating 1: at or below complaint_below
    portal.locator("input[value=no] + label").click()
    portal.locator("input[value=poor] + label").click()
    portal.click("button[type=submit]")
    portal.wait_for_load_state()
    portal.click("#complaint-from-survey")
    portal.wait_for_load_state()
    assert "/login" in portal.url  # the form files as the signed-in applicant
    portal.fill("#email", staff["applicant"].email)
    portal.fill("#password", PASSWORD)
    portal.click("button[type=submit]")
    portal.wait_for_load_state()
    assert "/portal/grievances/new" in portal.url
    assert portal.locator("html").get_attribute("dir") == "rtl"
    assert portal.input_value("#event_date") == disbursement.disbursed_on.isoformat()
    assert "1" in portal.input_value("#description")  # the rating, in the complainant's words
    portal.fill("#complainant_phone", "")
    portal.click("#submit-grievance")
    portal.wait_for_load_state()
    assert portal.locator('#grievance-errors [data-field="complainant_phone"]').count() == 1
    _fits_the_phone(portal)
    screenshot(portal, "grievance-01-refused-phone-375")
    portal.fill("#complainant_phone", "0550000002")
    portal.click("#submit-grievance")
    portal.wait_for_load_state()
    number = portal.locator("#grievance-number").inner_text().strip()
    assert number.startswith("G") and number in portal.locator(".alert").first.inner_text()
    detail_url = portal.url
    _fits_the_phone(portal)
    screenshot(portal, "grievance-02-number-phone-375")

    def session(role: str):
        context = browser.new_context(base_url=live_server, locale="ar-SA")
        page = context.new_page()
        browser_login(page, staff[role].email, PASSWORD)
        return context, page

    context, director = session("executive_director")
    director.goto("/t/first/grievances/?queue=unassigned")
    director.click(f"text={number}")
    director.select_option("#user_ids", [str(staff["committee_member"].id)])
    director.click("#form-assign button[type=submit]")
    director.wait_for_load_state()
    assert director.locator("#grievance-state").get_attribute("data-state") == "under_review"
    director.fill("#mal-note", "ملاحظة داخلية لا يراها المستفيد")
    director.click("#form-malicious button[type=submit]")
    director.wait_for_load_state()
    assert director.locator("#malicious").count() == 1
    context.close()

    context, committee = session("committee_member")
    committee.goto("/t/first/grievances/?queue=mine")
    committee.click(f"text={number}")
    committee.select_option("#outcome", "partly_upheld")
    committee.fill("#decision_text", "ثبت التأخير في التسليم")
    committee.fill("#action_taken", "تنبيه مسؤول التوزيع")
    committee.click("#form-decide button[type=submit]")
    committee.wait_for_load_state()
    assert committee.locator("#grievance-state").get_attribute("data-state") == "decided"
    context.close()

    portal.goto(detail_url)
    outcome = portal.locator("#outcome").inner_text()
    assert "ثبت التأخير في التسليم" in outcome and "تنبيه مسؤول التوزيع" in outcome
    assert "ملاحظة داخلية" not in portal.content()
    assert portal.locator("#appeal-form").count() == 1
    _fits_the_phone(portal)
    screenshot(portal, "grievance-03-outcome-phone-375")
