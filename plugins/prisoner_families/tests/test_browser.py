"""A researcher walks a debt case in the browser, on a phone: from creation to closure."""

from __future__ import annotations

import pytest

from core.testing import PASSWORD, screenshot

from .conftest import make_family

pytestmark = pytest.mark.browser


def test_debt_case_from_creation_to_closure(
    phone_page, browser_login, enabled, prisoner_factory, create_user_
):
    prisoner_factory()  # an insolvent private-right prisoner in prison, his family linked
    create_user_(email="researcher@example.org", roles={enabled: ["researcher"]})
    page = phone_page
    browser_login(page, "researcher@example.org", PASSWORD)

    page.goto("/t/first/prisoner_families/debt-cases")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#new-case #prisoner_id", index=1)
    page.fill("#new-case #creditor", "مؤسسة النخبة للتقسيط")
    page.fill("#new-case #court_reference", "٤٤٧٠١٢٣")
    page.fill("#new-case #claimed", "١٥٬٠٠٠")
    page.click("#new-case button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#sum-remaining").inner_text().strip() == "15,000.00"
    screenshot(page, "prisoner-families-debt-case-open")

    page.fill("#negotiation-form #attempted_on", "2025-02-01")
    page.fill("#negotiation-form #by_whom", "لجنة إصلاح ذات البين")
    page.select_option("#negotiation-form #outcome", "forgave_part")
    page.fill("#negotiation-form #forgiven", "5000")
    page.click("#negotiation-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#sum-forgiven").inner_text().strip() == "5,000.00"

    # More than the remainder is refused with the reason, nothing written.
    page.fill("#payment-form #amount", "10001")
    page.fill("#payment-form #payer", "فاعل خير")
    page.fill("#payment-form #paid_on", "2025-03-01")
    page.click("#payment-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#sum-remaining").inner_text().strip() == "10,000.00"

    page.fill("#payment-form #amount", "10000")
    page.fill("#payment-form #payer", "فاعل خير")
    page.fill("#payment-form #paid_on", "2025-03-01")
    page.click("#payment-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#sum-remaining").inner_text().strip() == "0.00"
    assert page.locator("#case-status").get_attribute("id")  # still open until the release
    status_open = page.locator("#case-status").inner_text()

    page.fill("#release-form #released_on", "2025-04-01")
    page.click("#release-form button[type=submit]")
    page.wait_for_load_state()
    status_closed = page.locator("#case-status").inner_text()
    assert status_closed != status_open
    assert page.locator("#payment-form").count() == 0  # a closed case takes no more amounts
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "prisoner-families-debt-case-closed")


def test_register_a_prisoner_through_the_registry_search_on_a_phone(
    phone_page, browser_login, enabled, create_user_
):
    _, person_id = make_family(enabled, 1)
    create_user_(email="admin@example.org", roles={enabled: ["tenant_admin"]})
    page = phone_page
    browser_login(page, "admin@example.org", PASSWORD)

    page.goto("/t/first/prisoner_families/")
    page.fill("#person_q", "الشمرى1")  # ى for ي: any spelling
    page.click("#person_q-search button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#person_q").input_value() == "الشمرى1"
    page.check(f"#person_id-{person_id}")
    page.fill("#new-prisoner #facility", "سجن القريات")
    page.fill("#new-prisoner #imprisoned_on", "2025-01-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "prisoner-families-person-search")
    page.click("#new-prisoner button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "فهد عبدالله الشمري1"
