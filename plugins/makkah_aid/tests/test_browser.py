"""In a real browser: an application through the need-gap assessment to a committee approval
within the band's ceiling (Makkah association, seed 004)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import PASSWORD, new_file, screenshot
from core.testing import request_services as requests
from core.toolkit import AidRequest, db, install_default_catalog, tenant_context
from core.toolkit import today as tenant_today

from .helpers import PNG, national_id

pytestmark = pytest.mark.browser


def test_application_assessment_and_committee_approval(
    page, phone_page, signed_in, browser_login, tenant, staff, enable_plugin, tmp_path
):
    enable_plugin(tenant, "makkah_aid")
    with tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    scan = tmp_path / "id.png"
    scan.write_bytes(PNG)

    # 1. The relations officer takes the application; an incomplete one is refused per field.
    browser_login(page, staff["relations_officer"].email, PASSWORD)
    page.goto("/t/first/requests/new")  # core's intake, with the plugin's fields and documents
    assert page.locator("html").get_attribute("dir") == "rtl"
    x = "#extra-makkah_aid-"
    page.fill("#applicant_name", "نورة محمد عبدالله السبيعي")
    page.fill(x + "nationality", "سعودية")
    page.click("#submit-now")
    page.wait_for_load_state()
    assert page.locator("#request-errors li[data-field='extra.makkah_aid.id_number']").count() == 1
    assert page.locator("#request-errors li[data-field='extra.makkah_aid.housing']").count() == 1
    page.fill(x + "id_number", national_id(5150))
    page.set_input_files("#documents-makkah_aid-id", str(scan))
    page.fill(x + "id_expiry", (tenant_today() + timedelta(days=400)).isoformat())
    page.fill(x + "current_job", "لا تعمل")
    page.fill(x + "monthly_income", "2000")
    page.select_option("#catalog_item_id", index=1)
    page.fill(x + "dependents_count", "1")
    page.click("button[name=add_row][value='extra.makkah_aid.dependents']")  # no empty row at first
    page.fill(x + "dependents-0-name", "سارة")
    page.select_option(x + "dependents-0-relationship", "daughter")
    page.select_option(x + "housing", "rented")
    page.set_input_files("#documents-makkah_aid-housing", str(scan))
    page.fill(x + "annual_rent", "18000")
    screenshot(page, "makkah-application")
    page.click("#submit-now")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "submitted"

    with tenant_context(tenant):
        item = db.session.scalars(db.select(AidRequest)).one()
        request_id = item.id
        researcher = staff["researcher"]
        requests.start_research(item, researcher)
        requests.schedule_visit(item, researcher, tenant_today())
        requests.record_visit(
            item,
            researcher,
            visited_on=tenant_today(),
            findings="زيارة ميدانية",
            checked_fields=[{"field": "rent", "entered": "18000", "status": "confirmed", "found": ""}],
        )
        requests.verify(item, researcher)
        db.session.commit()

    # 2. The researcher records the annual needs on a phone: gap, band, ceiling and rule version.
    browser_login(phone_page, staff["researcher"].email, PASSWORD)
    phone_page.goto(f"/t/first/makkah_aid/requests/{request_id}/assessment")
    phone_page.fill("#need_food_drink", "30000")
    phone_page.fill("#need_medical", "4000")
    phone_page.fill("#need_housing", "18000")
    phone_page.fill("#need_education", "2000")
    phone_page.click("#record-assessment")
    phone_page.wait_for_load_state()
    # needs 54,000 − income 24,000 = gap 30,000 → band C, ceiling 18,000.
    result = phone_page.locator("#assessment-result")
    assert result.get_attribute("data-band") == "C"
    assert "30,000.00" in phone_page.locator("#gap").inner_text()
    assert "18,000.00" in phone_page.locator("#ceiling").inner_text()
    assert phone_page.locator("#rule-version").inner_text().strip()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "makkah-assessment-phone-375")

    # The relations officer linked the application to the applicant's new beneficiary file.
    with tenant_context(tenant):
        item = db.session.get(AidRequest, request_id)
        requests.link_file(item, staff["relations_officer"], new_file().id)
        # With the assessment recorded, the request may go to the committee.
        requests.send_to_committee(item, staff["researcher"])
        db.session.commit()

    # 3. The committee sees the gap check and approves within the ceiling.
    page = signed_in(staff["committee_member"].email)  # a desk, in Arabic
    page.goto(f"/t/first/requests/{request_id}")
    assert page.locator("tr[data-check='makkah_aid.gap']").count() == 1
    assert page.locator("#ceiling").get_attribute("data-halalas") == "1800000"
    page.fill("#amount", "15000")
    page.select_option("#members_present", [str(staff["committee_member"].id)])
    screenshot(page, "makkah-committee")
    page.locator("#committee button.btn-success").click()
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "approved"
    with tenant_context(tenant):
        approved = db.session.get(AidRequest, request_id)
        assert approved.approved_halalas == 1_500_000


def test_portal_application_on_a_phone(phone_page, live_server, tenant, enable_plugin, tmp_path):
    """An applicant registers on the portal at 375 px, applies in Arabic-Indic digits with a
    dependent row added without JavaScript, attaches the documents listed and submits."""
    enable_plugin(tenant, "makkah_aid")
    with tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    page = phone_page
    page.goto("/t/first/portal/register")
    page.fill("#name", "نورة السبيعي")
    page.fill("#email", "noura.phone@example.org")
    page.fill("#password", "long-enough-pass-1")
    page.fill("#password2", "long-enough-pass-1")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    # registering does not log in (a taken e-mail answers the same way): the login page follows
    page.fill("#password", "long-enough-pass-1")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto("/t/first/portal/apply")
    assert page.locator("html").get_attribute("dir") == "rtl"
    x = "#extra-makkah_aid-"
    # no empty row at first: the first dependent row, by the form's own button (copied in place
    # by static/rows.js; without JavaScript the button asks the server for it)
    assert page.locator(x + "dependents-0-name").count() == 0
    page.locator("button[name=add_row][value='extra.makkah_aid.dependents']").click()
    assert page.locator(x + "dependents-0-name").count() == 1
    page.fill("#applicant_name", "نورة محمد عبدالله السبيعي")
    page.select_option("#catalog_item_id", index=1)
    page.fill(x + "nationality", "سعودية")
    page.fill(x + "id_number", national_id(6161).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))
    page.fill(x + "id_expiry", "١٤٥٩-٠١-٠١")
    page.fill(x + "current_job", "لا تعمل")
    page.fill(x + "monthly_income", "١٬٥٠٠")
    page.fill(x + "dependents_count", "١")
    page.fill(x + "dependents-0-name", "سارة")
    page.select_option(x + "dependents-0-relationship", "daughter")
    page.select_option(x + "housing", "rented")
    page.fill(x + "annual_rent", "١٨٠٠٠")
    page.check("#declaration")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "makkah-portal-apply-phone-375")
    page.click("#submit-request")
    page.wait_for_load_state()
    # saved as a draft: the documents still missing are listed
    assert page.locator("#still-missing li[data-missing='documents.id_copy']").count() == 1
    assert page.locator("#still-missing li[data-missing='documents.lease']").count() == 1
    for doc_type in ("id_copy", "lease"):
        page.select_option("#doc_type", doc_type)
        page.set_input_files("#file", str(scan))
        page.locator("#upload-document button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator("#still-missing").count() == 0
    page.check("#declaration")
    page.click("#submit-request")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "submitted"
    number = page.locator("#request-number").inner_text().strip()
    assert number
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "makkah-portal-submitted-phone-375")
    with tenant_context(tenant):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.number == number and item.extra["makkah_aid"]["monthly_income_halalas"] == 150_000
