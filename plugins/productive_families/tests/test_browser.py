"""A producer, on a phone (375 px), changes a product on the portal and sees it on the public
showcase; the staff pages are looked at too."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import PASSWORD, PDF, screenshot
from core.toolkit import db
from core.toolkit import today as tenant_today

from .. import services
from ..services import documents
from .conftest import PID

pytestmark = pytest.mark.browser


def test_a_producer_updates_a_product_on_the_portal_and_it_appears_on_the_showcase(
    phone_page, browser_login, producer_account, enabled, in_tenant, make_file
):
    user, producer_id = producer_account
    with in_tenant(enabled):
        product = services.add_product(
            services.get_producer(producer_id), {"name": "كبسة لحم", "price": "45"}
        )
        services.add_photo(product, make_file("png", size=(120, 90)), "kabsa.png")
        db.session.commit()
        product_id = product.id
    page = phone_page
    browser_login(page, user.email, PASSWORD)

    page.goto(f"/t/first/{PID}/portal/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.check("#showcase_consent")
    page.fill("#showcase-form #showcase_whatsapp", "٠٥٥١٢٣٤٥٦٧")
    page.click("#showcase-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#showcase-link").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "productive-families-portal-375")

    page.click(f"[data-product='{product_id}'] a")
    page.wait_for_load_state()
    page.fill("#product-form #name", "كبسة لحم حاشي")
    page.fill("#product-form #price", "٥٢٫٥")
    page.click("#product-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#product-form #price").input_value() == "52.50"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "productive-families-portal-product-375")

    page.context.clear_cookies()  # a buyer: no login
    page.goto(f"/t/first/{PID}/showcase/{producer_id}")
    card = page.locator(f"#products [data-product='{product_id}']")
    assert "كبسة لحم حاشي" in card.inner_text()
    assert card.locator(".price").inner_text().strip() == "52.50"
    assert card.locator("img").evaluate("img => img.naturalWidth") > 0
    assert page.locator("#contact").get_attribute("href") == "https://wa.me/966551234567"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "productive-families-showcase-375")


def test_a_producer_sets_training_needs_asks_to_join_a_program_and_downloads_the_leaflet_on_a_phone(
    phone_page, browser_login, producer_account, enabled, in_tenant, signed_in, make_member
):
    user, producer_id = producer_account
    with in_tenant(enabled):
        documents.store_leaflet("food", PDF, "leaflet.pdf")
        trainer = services.add_trainer(
            {
                "name": "مركز الأحساء للتدريب",
                "kind": "centre",
                "scope": "local",
                "city": "الهفوف",
                "specialities": ["packaging"],
            }
        )
        program = services.create_program(
            {"title": "التغليف والتعبئة للمنتجات المنزلية", "area": "packaging", "trainer_id": trainer.id,
             "starts_on": (tenant_today() + timedelta(days=7)).isoformat(),
             "ends_on": (tenant_today() + timedelta(days=37)).isoformat(),
             "place": "مقر الجمعية بالهفوف", "capacity": 12}
        )  # fmt: skip
        db.session.commit()
        program_id = program.id
    make_member("trainer-phone@first.example.org", enabled, ["researcher"])  # told when the producer asks
    page = phone_page
    browser_login(page, user.email, PASSWORD)
    page.goto(f"/t/first/{PID}/portal/")
    assert "منصة بلدي" in page.locator("#licence-needed").inner_text()
    assert page.locator("#licence-incentives li").count() >= 1
    page.check("#areas-packaging")
    page.check("#areas-food_safety")
    page.click("#needs-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#areas-packaging").is_checked() and not page.locator("#areas-marketing").is_checked()
    with in_tenant(enabled):
        assert services.needs_of([producer_id])[producer_id] == ["packaging", "food_safety"]
    suggested = page.locator("#suggested-programs")
    assert "التغليف والتعبئة للمنتجات المنزلية" in suggested.inner_text()
    suggested.get_by_role("button", name="أطلب الانضمام").click()
    page.wait_for_load_state()
    assert "ستتواصل معك الجمعية" in page.locator("#suggested-programs").inner_text()
    with in_tenant(enabled):
        assert set(services.interests_of(producer_id)) == {program_id}
    with page.expect_download() as download:
        page.click("#leaflet-link")
    assert download.value.suggested_filename == "leaflet.pdf"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("#my-training").scroll_into_view_if_needed()
    screenshot(page, "productive-families-portal-needs-licence-375")

    # Staff on a desktop, in English: the program's page names who asked, first in the enrol list.
    officer = make_member("trainer-officer@first.example.org", enabled, ["researcher"])
    officer.locale = "en"
    db.session.commit()
    desk = signed_in(officer.email, width=1366, lang="en")
    desk.goto(f"/t/first/{PID}/training/programs/{program_id}")
    assert desk.locator("html").get_attribute("dir") == "ltr"
    assert "Asked to join on the portal" in desk.locator("#asking-to-join").inner_text()
    first_group = desk.locator("#producer_id optgroup").first
    assert first_group.get_attribute("label") == "Asked to join on the portal"
    screenshot(desk, "productive-families-program-asking-1366-en")

    # A member on a phone, in Arabic: the inbox told them, and "Open" leads to the program.
    phone = signed_in("trainer-phone@first.example.org", width=375)
    phone.goto("/t/first/inbox/")
    message = phone.locator("#inbox .list-group-item").first
    assert "التغليف والتعبئة للمنتجات المنزلية" in message.inner_text()
    message.get_by_role("button", name="فتح").click()
    phone.wait_for_load_state()
    assert phone.url.endswith(f"/t/first/{PID}/training/programs/{program_id}")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("#asking-to-join").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "productive-families-program-asking-375")
