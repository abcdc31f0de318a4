"""The back-office roles walk their day on the demo data, in a real browser at 1366 px: the
finance officer, the executive director, the auditor and the platform admin, each in Arabic, then
each once in English.

Each journey asserts what the person reads (numbers, words, the message naming what was done),
not only status codes, and keeps screenshots in test-artifacts/. The demo data is what
``make run`` gives (``flask demo load``) for Al-Aoun (prisoner_families) and Makkah (makkah_aid).
The applicant, officer, researcher and committee journeys are in test_request_flow_browser.py,
test_portal_browser.py and test_dashboard_browser.py.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from core.calendar import today as tenant_today
from core.demo import DEMO_PASSWORD, PLATFORM_ADMIN_EMAIL, demo_email
from core.extensions import limiter
from tests.e2e.browser import screenshot
from tests.files import PNG
from tests.test_no_raw_codes import VisibleText, codes_in

pytestmark = pytest.mark.browser

AOUN = "aoun-prisoners"
DESKTOP = {"width": 1366, "height": 900}
SNAKE_OR_DOTTED = re.compile(r"\b[a-z]+(?:[_.][a-z]+)+\b")


@pytest.fixture
def demo(demo_tenants):
    demo_tenants(AOUN, "makkah")


@pytest.fixture
def open_session(browser, live_server):
    """A logged-in desktop browser session in the given language; closed at the end of the test."""
    contexts = []

    def open_(email: str, lang: str = "ar"):
        limiter.reset()  # many logins from one address: the login rate limit is not under test here
        context = browser.new_context(
            base_url=live_server, locale="ar-SA" if lang == "ar" else "en-GB", viewport=DESKTOP
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(f"/lang/{lang}?next=/login")
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        return page

    yield open_
    for context in contexts:
        context.close()


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _no_codes(page, lang: str = "ar") -> None:
    """The page's visible text holds no code (the raw-code sweep's own reader and rules)."""
    reader = VisibleText()
    reader.feed(page.content())
    codes = codes_in(" ".join(reader.text), lang)
    assert not codes, codes


def _download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def test_finance_officer_disburses_the_oldest_approved_request_and_prints_its_receipt(demo, open_session):
    page = open_session(demo_email("finance_officer", AOUN))
    page.goto(f"/t/{AOUN}/")
    card = page.locator("#card-to_disburse")
    waiting = int(card.get_attribute("data-count"))
    assert waiting >= 1
    screenshot(page, "journey-finance-01-dashboard-1366-ar")
    oldest = card.locator("li a").first
    number = oldest.locator("span[dir=ltr]").inner_text()
    oldest.click()
    page.wait_for_load_state()
    assert number in page.locator("#request-number").inner_text()
    assert page.locator("#request-state").get_attribute("data-state") == "approved"
    approved = page.locator("#decisions").inner_text()
    amount = re.search(r"[\d,]+\.\d\d", approved).group(0)  # the amount the committee approved

    page.fill("#value", amount.replace(",", ""))
    page.fill("#disbursed_on", tenant_today().isoformat())
    page.set_input_files(
        "#proof_file", files=[{"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("#disburse button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#request-state").get_attribute("data-state") == "disbursed"
    assert amount in page.locator("#disbursements").inner_text()
    screenshot(page, "journey-finance-02-disbursed-1366-ar")

    page.locator("#print-links [data-receipt]").first.click()
    page.wait_for_load_state()
    assert number in page.locator("#receipt-number").inner_text()
    assert amount in page.locator("#receipt-value").inner_text()
    screenshot(page, "journey-finance-03-receipt-1366-ar")

    page.goto(f"/t/{AOUN}/")
    assert int(page.locator("#card-to_disburse").get_attribute("data-count")) == waiting - 1

    # the month's disbursements to Excel, with Arabic headers and the one just recorded
    page.goto(f"/t/{AOUN}/requests/")
    page.locator("#disbursement-export summary").click()
    workbook = load_workbook(io.BytesIO(_download(page, lambda: page.click("#export-disbursements"))))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert any("رقم الطلب" in str(cell) for cell in rows[0])
    assert any(number in str(cell) for row in rows[1:] for cell in row)


def test_executive_director_finds_what_is_late_narrows_the_queue_and_reads_the_decision(demo, open_session):
    page = open_session(demo_email("executive_director", AOUN))
    page.goto(f"/t/{AOUN}/")
    overdue = page.locator("#card-overdue")
    assert int(overdue.get_attribute("data-count")) >= 1
    screenshot(page, "journey-director-01-dashboard-1366-ar")

    # all requests waiting ten working days or more, typed in Arabic-Indic digits, oldest first
    page.goto(f"/t/{AOUN}/requests/?queue=all")
    page.fill("#min_days", "١٠")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_load_state()
    days = [
        int(d)
        for d in page.locator("#queue-table td[data-days]").evaluate_all(
            "els => els.map(e => e.dataset.days)"
        )
    ]
    assert days and all(d >= 10 for d in days) and days == sorted(days, reverse=True)
    assert page.input_value("#min_days") in ("١٠", "10")
    screenshot(page, "journey-director-02-queue-1366-ar")

    # an approved request: its decision letter names the number, the amount and the decision
    page.goto(f"/t/{AOUN}/requests/?queue=all&state=approved")
    page.locator("#queue-table tbody a").first.click()
    page.wait_for_load_state()
    number = page.locator("#request-number").inner_text()
    page.click("#print-decision")
    page.wait_for_load_state()
    letter = page.locator("body").inner_text()
    assert re.search(r"\d{4}-\d{6}", number).group(0) in letter
    assert "خطاب القرار" in letter and re.search(r"بمبلغ [\d,]+\.\d\d ريال", letter)
    screenshot(page, "journey-director-03-decision-letter-1366-ar")

    # the grievance past its deadline opens with its number
    page.goto(f"/t/{AOUN}/")
    late = page.locator("#dashboard a[href*='/grievances/']").first
    grievance = late.inner_text().split("·")[0].strip()
    late.click()
    page.wait_for_load_state()
    assert grievance in _main_text(page)
    _no_codes(page)
    screenshot(page, "journey-director-04-grievance-1366-ar")


def test_auditor_reads_the_trail_in_words_checks_the_chain_and_exports_a_range(demo, open_session):
    page = open_session(demo_email("auditor", AOUN))
    page.goto(f"/t/{AOUN}/audit/")
    rows = page.locator("table tbody tr")
    assert rows.count() > 10
    actions = rows.locator("td:nth-child(4)").all_inner_texts()
    assert "اعتماد" in actions and not any(SNAKE_OR_DOTTED.search(a) for a in actions)
    assert "توقيت" in rows.first.locator("td:nth-child(2)").inner_text()  # the time has its zone
    screenshot(page, "journey-auditor-01-trail-1366-ar")

    page.click("text=التحقق من السلسلة")
    page.wait_for_load_state()
    assert "السلسلة سليمة" in page.locator("[role=status]").inner_text()

    # a date typed wrong is a field error beside the box, nothing exported
    page.fill("#start", "1448-13-40")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#start-error").is_visible()
    screenshot(page, "journey-auditor-02-bad-date-1366-ar")

    # the range as CSV, with Arabic headers and actions in words
    page.fill("#start", "١٤٤٨-٠١-٠١")
    page.fill("#end", "")
    csv_text = _download(page, lambda: page.click("#export-csv")).decode("utf-8-sig")
    header, *lines = csv_text.splitlines()
    assert "الإجراء" in header and len(lines) > 10
    assert "اعتماد" in csv_text


def test_platform_admin_changes_a_plugin_setting_in_riyals_and_is_told_what_was_saved(demo, open_session):
    page = open_session(PLATFORM_ADMIN_EMAIL)
    page.goto("/admin/")
    assert page.locator("main table").inner_text().count("نشط") >= 2
    page.click("a[href='/admin/tenants/makkah/plugins']")
    page.wait_for_load_state()
    card = page.locator("#plugin-makkah_aid")
    assert card.get_attribute("data-enabled") == "yes"
    field = card.get_by_label("الحد الأدنى للفجوة السنوية بين الاحتياجات والدخل")
    assert "ريال" in card.inner_text()
    field.fill("٥٠٠")
    screenshot(page, "journey-admin-01-settings-1366-ar")
    card.locator("button[value=save]").click()
    page.wait_for_load_state()
    message = page.locator(".alert-success").inner_text()
    assert "حُفظت الإعدادات" in message or "الإعدادات" in message
    assert "مكة" in message  # names the association
    assert page.locator("#plugin-makkah_aid").get_by_label(
        "الحد الأدنى للفجوة السنوية بين الاحتياجات والدخل"
    ).input_value().replace(",", "") in ("500", "500.00")
    screenshot(page, "journey-admin-02-saved-1366-ar")

    # a setting typed wrong: a field error, and nothing saved
    page.locator("#plugin-makkah_aid").get_by_label("الحد الأدنى للفجوة السنوية بين الاحتياجات والدخل").fill(
        "كثير"
    )
    page.locator("#plugin-makkah_aid button[value=save]").click()
    page.wait_for_load_state()
    assert page.locator("#plugin-makkah_aid .invalid-feedback").count() >= 1
    page.goto("/admin/tenants/makkah/plugins")
    assert page.locator("#plugin-makkah_aid").get_by_label(
        "الحد الأدنى للفجوة السنوية بين الاحتياجات والدخل"
    ).input_value().replace(",", "") in ("500", "500.00")


def test_each_back_office_role_reads_its_first_pages_in_english(demo, open_session):
    journeys = [
        (demo_email("finance_officer", AOUN), f"/t/{AOUN}/", "#card-to_disburse", "To disburse"),
        (
            demo_email("executive_director", AOUN),
            f"/t/{AOUN}/requests/?queue=overdue",
            "#queue-table",
            "Working days",
        ),
        (demo_email("auditor", AOUN), f"/t/{AOUN}/audit/", "table", "Approve"),
        (PLATFORM_ADMIN_EMAIL, "/admin/tenants/makkah/plugins", "#plugin-makkah_aid", "SAR"),
    ]
    for email, url, selector, words in journeys:
        page = open_session(email, "en")
        page.goto(url)
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert words in page.locator(selector).inner_text()
        menu = page.locator("nav").first.inner_text().replace("العربية", "")  # the language switch
        assert not re.search(r"[\u0600-\u06ff]{3,}", menu)
        _no_codes(page, "en")
        screenshot(page, f"journey-en-{email.split('@')[0]}-1366")
