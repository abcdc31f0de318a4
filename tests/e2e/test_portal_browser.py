"""A visitor finds the association's portal on a phone (375 px, Arabic): its landing page, an
account, an application with its documents in one go, the request number; and a forgotten
password reset through the link the outbox carries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.aid.services import install_default_catalog
from core.calendar import today as tenant_today
from core.extensions import db
from core.notifications import unsealed
from core.notifications.models import OutboxMessage
from core.requests.models import AidRequest
from core.tenancy import tenant_context
from tests.e2e.browser import screenshot
from tests.files import PNG
from tests.registry.factories import valid_id

pytestmark = pytest.mark.browser

PASSWORD = "olive-lantern-harbour-72"
X = "#extra-makkah_aid-"


@pytest.fixture
def makkah(create_tenant, enable_plugin):
    tenant = create_tenant(
        "makkah", name_ar="الجمعية الخيرية بمكة المكرمة", name_en="Makkah Charitable Association"
    )
    tenant.service_area = ["مكة المكرمة"]
    db.session.commit()
    enable_plugin(tenant, "makkah_aid", {"service_area": ["مكة المكرمة"]})
    with tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    return tenant


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def form_height(page) -> int:
    return page.evaluate(
        "Math.round(document.querySelector('form#apply-form').getBoundingClientRect().height)"
    )


def test_visitor_finds_the_portal_registers_and_applies_with_documents_in_one_go(
    phone_page, makkah, tmp_path
):
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    page = phone_page
    page.goto("/t/makkah/")
    # the association's own landing page, not the platform's login
    assert page.url.endswith("/t/makkah/portal/")
    assert page.locator("#association-name").inner_text() == "الجمعية الخيرية بمكة المكرمة"
    assert page.locator("#offers [data-offer]").count() >= 1
    assert "مكة المكرمة" in page.locator("#policies").inner_text()
    for link in ("#landing-register", "#landing-login", "#landing-forgot"):
        assert page.locator(link).is_visible()
    fits_the_phone(page)
    screenshot(page, "portal-01-landing-ar-375")

    page.click("#landing-register")
    page.fill("#name", "نورة السبيعي")
    page.fill("#email", "noura@example.org")
    page.fill("#phone", "٠٥٥١٢٣٤٥٦٧")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    fits_the_phone(page)
    screenshot(page, "portal-02-register-ar-375")
    page.click("#register-form button[type=submit]")
    page.wait_for_load_state()
    # the association's login page, the e-mail filled in, what happened said
    assert "/t/makkah/login" in page.url
    assert page.locator("#login-association").inner_text() == "الجمعية الخيرية بمكة المكرمة"
    assert page.locator("#email").input_value() == "noura@example.org"
    assert "noura@example.org" in page.locator("main .alert").first.inner_text()
    screenshot(page, "portal-03-login-ar-375")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/t/makkah/portal/")

    page.click("main a.btn-primary")  # Apply for aid
    page.wait_for_load_state()
    height = form_height(page)
    print(f"apply form height at 375 px (empty, makkah_aid): {height} px")
    assert height < 4000
    assert page.locator("#required-legend").is_visible()
    assert page.locator(X + "dependents-0-name").count() == 0
    page.fill("#applicant_name", "نورة محمد عبدالله السبيعي")
    page.fill("#applicant_phone", "٠٥٥١٢٣٤٥٦٧")
    page.select_option("#catalog_item_id", index=1)
    page.fill("#requested_amount", "٢٬٥٠٠")
    page.fill(X + "nationality", "سعودية")
    page.fill(X + "id_number", valid_id().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))
    page.fill(X + "id_expiry", (tenant_today() + timedelta(days=300)).isoformat())
    page.fill(X + "current_job", "لا تعمل")
    page.fill(X + "monthly_income", "١٬٥٠٠")
    page.fill(X + "dependents_count", "١")
    # one dependent row, added by the button (copied in place by static/rows.js, no reload)
    page.click("button[name=add_row][value='extra.makkah_aid.dependents']")
    assert page.locator(X + "dependents-0-name").count() == 1
    assert page.locator(X + "dependents-1-name").count() == 0
    page.fill(X + "dependents-0-name", "سارة")
    page.select_option(X + "dependents-0-relationship", "daughter")
    page.select_option(X + "housing", "rented")
    page.fill(X + "annual_rent", "١٨٠٠٠")
    page.set_input_files("#documents-makkah_aid-id", str(scan))
    page.set_input_files("#documents-makkah_aid-housing", str(scan))
    page.check("#declaration")
    fits_the_phone(page)
    screenshot(page, "portal-04-apply-filled-ar-375")
    page.click("#submit-request")
    page.wait_for_load_state()
    # submitted at once: the number shown, the documents attached
    assert page.locator("#request-state").get_attribute("data-state") == "submitted"
    number = page.locator("#request-number").inner_text().strip()
    assert number and number in page.locator("main .alert-success").inner_text()
    assert page.locator("#documents [data-document]").count() == 2
    fits_the_phone(page)
    screenshot(page, "portal-05-submitted-ar-375")
    with tenant_context(makkah):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.number == number and item.extra["makkah_aid"]["dependents"][0]["name"] == "سارة"


def test_apply_form_errors_show_once_beside_each_field_on_a_phone(
    phone_page, makkah, create_user_, browser_login
):
    create_user_("applicant@example.org", roles={makkah: ["applicant"]}, name="Applicant")
    page = phone_page
    browser_login(page, "applicant@example.org", "correct-horse-battery")
    page.goto("/t/makkah/portal/apply")
    page.click("#submit-request")
    page.wait_for_load_state()
    summary = page.locator("#apply-errors")
    assert summary.is_visible() and summary.locator("a").count() >= 2
    # the summary names fields (links); each message is beside its field only
    name_error = page.locator("#applicant_name-error").inner_text()
    assert name_error and name_error not in summary.inner_text()
    assert page.locator("#declaration-error").is_visible()
    print(f"apply form height at 375 px (with errors): {form_height(page)} px")
    fits_the_phone(page)
    screenshot(page, "portal-06-apply-errors-ar-375")


def test_a_forgotten_password_is_reset_with_the_link_from_the_outbox(phone_page, makkah, create_user_):
    create_user_("applicant@example.org", roles={makkah: ["applicant"]}, name="Applicant")
    page = phone_page
    page.goto("/t/makkah/login")
    page.click("#forgot-password")
    page.fill("#login", "applicant@example.org")
    screenshot(page, "portal-07-forgot-ar-375")
    page.click("#forgot-form button[type=submit]")
    page.wait_for_load_state()
    assert "/t/makkah/login" in page.url and "60" in page.locator("main .alert").first.inner_text()
    with tenant_context(makkah):
        body = unsealed(
            db.session.scalars(
                db.select(OutboxMessage).where(OutboxMessage.template == "password_reset")
            ).one()
        )[1]
    path = re.search(r"https?://[^/\s]+(/\S*password/reset/[A-Za-z0-9_-]+)", body).group(1)
    page.goto(path)
    page.fill("#new_password", "1234567890")
    page.fill("#new_password2", "1234567890")
    page.click("#reset-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#new_password-error").is_visible()  # the policy, beside the field
    screenshot(page, "portal-08-reset-weak-ar-375")
    page.fill("#new_password", PASSWORD)
    page.fill("#new_password2", PASSWORD)
    page.click("#reset-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/t/makkah/portal/")
    assert "أُعيد تعيين كلمة المرور" in page.locator("main .alert").first.inner_text()
    fits_the_phone(page)
    screenshot(page, "portal-09-reset-done-ar-375")
    page.goto(path)
    assert page.locator("#invalid-link").is_visible()  # works once


def test_the_landing_page_in_english_at_desktop_width(page, makkah):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/t/makkah/portal/?lang=en")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("#association-name").inner_text() == "Makkah Charitable Association"
    assert "What we offer" in page.locator("#offers").inner_text()
    screenshot(page, "portal-10-landing-en-1366")
