"""In a real browser at 1366 px, in Arabic: a Makkah request from the officer through the
researcher's visit and assessment to the committee, whose page shows what was asked, the
visit's results field by field, the band and the ceiling, with the amount box started."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import PASSWORD, screenshot
from core.toolkit import CatalogItem, db, install_default_catalog, tenant_context
from core.toolkit import today as tenant_today

from .helpers import PNG, national_id

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1366, "height": 900}


def _desktop(browser, live_server):
    return browser.new_context(base_url=live_server, locale="ar-SA", viewport=DESKTOP)


def test_officer_researcher_committee_see_one_request_page_with_everything(
    browser, live_server, browser_login, tenant, staff, enable_plugin, tmp_path
):
    enable_plugin(tenant, "makkah_aid")
    with tenant_context(tenant):
        install_default_catalog(tenant)
        # The plugin declares its services (dialysis, …) beside core's items: ask for cash aid.
        item = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == "cash_aid")).one()
        program, program_id = item.name_ar, item.id
        db.session.commit()
    scan = tmp_path / "id.png"
    scan.write_bytes(PNG)

    # 1. The relations officer registers the application and submits it.
    officer = _desktop(browser, live_server)
    page = officer.new_page()
    browser_login(page, staff["relations_officer"].email, PASSWORD)
    page.goto("/t/first/requests/new")
    x = "#extra-makkah_aid-"
    page.fill("#applicant_name", "هند سالم مبارك العتيبي")
    page.fill("#applicant_city", "مكة المكرمة")
    page.select_option("#catalog_item_id", value=str(program_id))
    page.fill("#requested_amount", "12000")
    page.fill(x + "nationality", "سعودية")
    page.fill(x + "id_number", national_id(6161))
    page.set_input_files("#documents-makkah_aid-id", str(scan))
    page.fill(x + "id_expiry", (tenant_today() + timedelta(days=400)).isoformat())
    page.fill(x + "current_job", "لا تعمل")
    page.fill(x + "monthly_income", "2000")
    page.fill(x + "dependents_count", "1")
    page.click("button[name=add_row][value='extra.makkah_aid.dependents']")  # no empty row at first
    page.fill(x + "dependents-0-name", "ريم")
    page.select_option(x + "dependents-0-relationship", "daughter")
    page.select_option(x + "housing", "rented")
    page.set_input_files("#documents-makkah_aid-housing", str(scan))
    page.fill(x + "annual_rent", "18000")
    page.click("#submit-now")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "submitted"
    asked = page.locator("#asked")
    assert program in asked.inner_text() and "12,000.00" in asked.inner_text()
    assert "مكة المكرمة" in page.locator("#asked-city").inner_text()
    request_url = page.url
    screenshot(page, "reqpage-1-officer-1366")
    # The officer registers the household from the applicant's data: nothing to retype.
    page.click("#register-household")
    page.wait_for_load_state()
    assert page.locator("#national_id").input_value() == national_id(6161)
    assert page.locator("#monthly_income").input_value() == "2000"
    assert page.locator("#member-0-first_name").input_value() == "ريم"
    assert page.locator("#not-carried").count() == 0
    screenshot(page, "reqpage-2-register-from-request-1366")
    page.click("main form button.btn-success[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#linked-file").count() == 1
    assert "ريم" in page.locator("#household-members").inner_text()
    officer.close()

    # 2. The researcher: the research, the visit field by field, the assessment, the committee.
    researcher = _desktop(browser, live_server)
    page = researcher.new_page()
    browser_login(page, staff["researcher"].email, PASSWORD)
    page.goto(request_url)
    page.click("[data-action=start_research]")
    page.wait_for_load_state()
    page.fill("#scheduled_for", tenant_today().isoformat())
    page.click("form[action$='/step/schedule_visit'] button[type=submit]")
    page.wait_for_load_state()
    page.fill("#visited_on", tenant_today().isoformat())
    page.fill("#findings", "السكن مستأجر والدخل أعلى مما ذُكر")
    fields = page.locator("#record-visit input[name=field]")
    entered = page.locator("#record-visit input[name=entered]")
    fields.nth(0).fill("الإيجار السنوي")
    entered.nth(0).fill("18000")
    fields.nth(1).fill("الدخل الشهري")
    entered.nth(1).fill("2000")
    page.locator("#record-visit select[name=status]").nth(1).select_option("corrected")
    page.locator("#record-visit input[name=found]").nth(1).fill("2500")
    page.click("#record-visit button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "visited"
    page.click("[data-action=verify]")
    page.wait_for_load_state()
    # No assessment yet: the committee is refused with the plugin's message, in words.
    assert page.locator("#makkah-gap #gap-missing").count() == 1
    page.click("[data-action=send_to_committee]")
    page.wait_for_load_state()
    refusal = page.locator("#step-error").inner_text()
    assert "تقييم الفجوة" in refusal
    assert page.locator("#request-state").get_attribute("data-state") == "verified"
    page.click("#gap-assess")  # the panel's link to the assessment
    page.wait_for_load_state()
    page.fill("#need_food_drink", "30000")
    page.fill("#need_medical", "4000")
    page.fill("#need_housing", "18000")
    page.fill("#need_education", "2000")
    page.click("#record-assessment")
    page.wait_for_load_state()
    page.goto(request_url)
    assert page.locator("#gap-band").inner_text().strip()
    page.click("[data-action=send_to_committee]")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "in_committee"
    researcher.close()

    # 3. The committee sees everything on the one page.
    committee = _desktop(browser, live_server)
    page = committee.new_page()
    browser_login(page, staff["committee_member"].email, PASSWORD)
    page.goto(request_url)
    assert program in page.locator("#asked-program").inner_text()
    assert "12,000.00" in page.locator("#asked-amount").inner_text()
    visit = page.locator("#research")
    assert "الدخل الشهري" in visit.inner_text() and "2500" in visit.inner_text()
    corrected = page.locator("#research tr[data-status=corrected]")
    assert corrected.count() == 1 and "مصحح" in corrected.inner_text()
    assert page.locator("#visit-date").count() == 1
    band = page.locator("#gap-band").inner_text().strip()
    assert band and band not in ("A", "B", "C")  # the band in Arabic words
    ceiling = page.locator("#gap-ceiling").get_attribute("data-halalas")
    assert ceiling is not None and int(ceiling) > 0
    assert page.locator("#ceiling").get_attribute("data-halalas") == ceiling
    amount = page.locator("#amount").input_value()
    assert amount and int(float(amount) * 100) == min(1_200_000, int(ceiling))
    assert page.locator("#amount-hint").inner_text().strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    screenshot(page, "reqpage-3-committee-1366")
    committee.close()

    # The same page on a phone, in English: nothing wider than the screen.
    phone = browser.new_context(
        base_url=live_server, locale="en-US", viewport={"width": 375, "height": 812}, is_mobile=True
    )
    page = phone.new_page()
    browser_login(page, staff["committee_member"].email, PASSWORD)
    page.goto(request_url + "?lang=en")
    assert "What was asked" in page.locator("#asked").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "reqpage-4-committee-375-en")
    phone.close()
