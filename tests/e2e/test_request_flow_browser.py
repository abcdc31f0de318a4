"""One aid request from the portal to its disbursement, every role in its own browser session.

The applicant registers and applies on a phone (375 px), attaches a document and gets the
request number at once; the relations officer finds it, the researcher studies it (field
visit, verification), the committee approves within the ceiling with its members present,
the finance officer records the disbursement with a scanned receipt; the applicant sees it.
"""

from __future__ import annotations

import pytest

from core.extensions import db
from tests.e2e.browser import screenshot
from tests.files import PNG
from tests.fixtures import PASSWORD
from tests.registry.factories import valid_id

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_request_from_portal_application_to_disbursement(
    browser, live_server, phone_page, browser_login, create_tenant, create_user_
):
    tenant = create_tenant("first")
    tenant.settings = {**(tenant.settings or {}), "aid": {"default_ceiling_halalas": 500000}}
    db.session.commit()
    roles = ("relations_officer", "researcher", "committee_member", "finance_officer")
    staff = {
        role: create_user_(email=f"{role}@example.org", roles={tenant: [role]}, name=role) for role in roles
    }

    # --- the applicant registers, applies with the declaration, sees the number (phone)
    portal = phone_page
    portal.goto("/t/first/portal/register")
    portal.fill("#name", "فهد سالم القحطاني")
    portal.fill("#email", "fahad@example.org")
    portal.fill("#password", "long-enough-pass-1")
    portal.fill("#password2", "long-enough-pass-1")
    portal.click("form.card button[type=submit]")
    portal.wait_for_load_state()
    # registering does not log in (a taken e-mail answers the same way): the login page follows
    portal.fill("#password", "long-enough-pass-1")
    portal.click("main form button[type=submit]")
    portal.wait_for_load_state()
    portal.goto("/t/first/portal/apply")
    assert portal.locator("html").get_attribute("dir") == "rtl"
    portal.fill("#applicant_name", "فهد سالم علي القحطاني")
    portal.fill("#applicant_phone", "0550000002")
    portal.fill("#requested_amount", "٣٬٠٠٠")
    portal.fill("#summary", "مساعدة في سداد الإيجار")
    portal.check("#declaration")
    _fits_the_phone(portal)
    screenshot(portal, "request-flow-01-apply-phone-375")
    portal.click("form.card button[type=submit]")
    portal.wait_for_load_state()
    number = portal.locator("#request-number").inner_text().strip()
    assert number and number in portal.locator(".alert").first.inner_text()
    detail_url = portal.url
    portal.select_option("#doc_type", "id_copy")
    portal.set_input_files("#file", files=[{"name": "id.png", "mimeType": "image/png", "buffer": PNG}])
    portal.click("#upload-document button[type=submit]")
    portal.wait_for_load_state()
    assert portal.locator("#documents [data-document]").count() == 1
    _fits_the_phone(portal)
    screenshot(portal, "request-flow-02-number-phone-375")

    def session(role: str):
        context = browser.new_context(base_url=live_server, locale="ar-SA")
        page = context.new_page()
        browser_login(page, staff[role].email, PASSWORD)
        return context, page

    def state(page) -> str:
        return page.locator("#request-state").get_attribute("data-state")

    # --- relations officer: the new request is in their queue, with its number and document
    context, page = session("relations_officer")
    page.goto("/t/first/requests/?queue=new")
    page.click(f"text={number}")
    page.wait_for_load_state()
    assert state(page) == "submitted" and page.locator("#documents [data-document]").count() == 1
    request_url = page.url
    screenshot(page, "request-flow-03-officer")
    context.close()

    # --- researcher: research, field visit, verification, to the committee
    context, page = session("researcher")
    page.goto(request_url)
    # The portal application has no beneficiary file: register the household from the applicant's data.
    assert page.locator("#no-linked-file").count() == 1
    page.click("#register-household")
    page.wait_for_load_state()
    assert page.input_value("#first_name") == "فهد" and page.input_value("#family_name") == "القحطاني"
    page.fill("#national_id", valid_id("1"))
    page.fill("#id_expiry", "1452-01-01")
    page.fill("#nationality", "SA")
    page.fill("#job", "لا يعمل")
    page.fill("#monthly_income", "1500")
    page.fill("#annual_rent", "18000")
    page.click("main form button.btn-success[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#linked-file").count() == 1
    assert page.locator("#timeline [data-action=link_file]").count() == 1
    page.click("[data-action=start_research]")
    page.wait_for_load_state()
    assert state(page) == "in_research"
    page.fill("#scheduled_for", "2025-11-09")
    page.click("form[action$='/step/schedule_visit'] button[type=submit]")
    page.wait_for_load_state()
    assert state(page) == "field_visit_scheduled"
    page.fill("#visited_on", "2025-11-09")
    page.fill("#findings", "تمت مطابقة البيانات مع الأصول")
    page.locator("#record-visit input[name=field]").first.fill("rent")
    page.locator("#record-visit input[name=entered]").first.fill("18000")
    page.click("#record-visit button[type=submit]")
    page.wait_for_load_state()
    assert state(page) == "visited"  # recording the visit moves the request on
    assert page.locator("#research [data-field=rent]").count() == 1
    page.click("[data-action=verify]")
    page.wait_for_load_state()
    assert state(page) == "verified"
    page.click("[data-action=send_to_committee]")
    page.wait_for_load_state()
    assert state(page) == "in_committee"
    screenshot(page, "request-flow-04-researcher")
    context.close()

    # --- committee member: approves within the ceiling, members present chosen from the list
    context, page = session("committee_member")
    page.goto(request_url)
    assert page.locator("#ceiling").get_attribute("data-halalas") == "500000"
    page.fill("#amount", "3000")
    page.select_option("#members_present", [str(staff["committee_member"].id)])
    screenshot(page, "request-flow-05-committee")
    page.click("#committee form[action$='/step/approve'] button[type=submit]")
    page.wait_for_load_state()
    assert state(page) == "approved"
    assert "committee_member" in page.locator("#decisions .members-present").inner_text()
    context.close()

    # --- finance officer: the disbursement with the scanned receipt as proof
    context, page = session("finance_officer")
    page.goto(request_url)
    page.fill("#value", "3000")
    page.fill("#disbursed_on", "2025-11-20")
    page.set_input_files(
        "#proof_file", files=[{"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("#disburse button[type=submit]")
    page.wait_for_load_state()
    assert state(page) == "disbursed"
    assert page.locator("#disbursements a").count() == 1  # the proof of receipt
    screenshot(page, "request-flow-06-finance")
    context.close()

    # --- the applicant sees the disbursement and its value
    portal.goto(detail_url)
    assert portal.locator("#request-state").get_attribute("data-state") == "disbursed"
    item = portal.locator("#disbursements li[data-value]")
    assert item.count() == 1 and item.get_attribute("data-value") == "300000"
    assert "3,000.00" in item.inner_text()
    _fits_the_phone(portal)
    screenshot(portal, "request-flow-07-disbursed-phone-375")
