"""A relations officer registers a household through the form on a phone, finds it, sees its file."""

from __future__ import annotations

import pytest

from tests.e2e.browser import screenshot
from tests.fixtures import PASSWORD
from tests.registry.factories import valid_id

pytestmark = pytest.mark.browser


def test_officer_registers_a_household_through_the_form(
    phone_page, browser_login, create_tenant, create_user_
):
    tenant = create_tenant("first")
    create_user_(email="officer@example.org", roles={tenant: ["relations_officer", "researcher"]})
    page = phone_page
    browser_login(page, "officer@example.org", PASSWORD)

    page.goto("/t/first/registry/households/new")
    assert page.locator("html").get_attribute("dir") == "rtl"
    number = valid_id().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    fields = {
        "#first_name": "عبدالله", "#father_name": "سالم", "#grandfather_name": "مبارك", "#family_name": "الشهري",
        "#national_id": "123", "#id_expiry": "١٤٥٠-٠٣-٠١", "#nationality": "سعودي", "#phone": "٠٥٥٠٠٠٠٠٠١",
        "#city": "مكة المكرمة", "#job": "سائق", "#monthly_income": "٣٬٢٠٠", "#annual_rent": "١٨٬٠٠٠",
    }  # fmt: skip
    for selector, value in fields.items():
        page.fill(selector, value)
    page.select_option("#housing_tenure", "rented")
    page.click("button[type=submit].btn-success")
    page.wait_for_load_state()
    # a wrong ID number comes back as an Arabic error under its field, values kept
    assert "رقم هوية وطنية" in page.locator("#national_id-error").inner_text()
    assert page.input_value("#first_name") == "عبدالله"
    screenshot(page, "registry-form-errors-phone-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.fill("#national_id", number)
    page.click("button[type=submit].btn-success")
    page.wait_for_load_state()
    assert page.locator("#file-title").inner_text() == "عبدالله سالم مبارك الشهري"
    assert page.locator("#file-status").inner_text() == "مقدم الطلب"
    assert page.locator("#history").count() == 1 and page.locator("#aid").count() == 1
    screenshot(page, "registry-household-file-phone-375")

    page.goto("/t/first/registry/")
    page.fill("#q", "الشهرى")
    page.click("form[role=search] button")
    page.wait_for_load_state()
    assert page.locator("a", has_text="ملف الأسرة").count() == 1
