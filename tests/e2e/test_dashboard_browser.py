"""The staff dashboard in a real browser: each role sees what waits for it first (1366 px,
Arabic), the oldest request links to its page, and the dashboard fits a phone (375 px)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from core.requests.models import AidRequest, RequestEvent
from core.tenancy import tenant_context
from tests.e2e.browser import screenshot
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.browser

WORK = {
    "relations_officer": ("received", "submitted"),
    "researcher": ("to_visit", "field_visit_scheduled"),
    "committee_member": ("to_decide", "in_committee"),
    "finance_officer": ("to_disburse", "approved"),
}


@pytest.fixture
def world(create_tenant, create_user_):
    tenant = create_tenant("first")
    users = {
        role: create_user_(email=f"{role}@example.org", roles={tenant: [role]}, name=role) for role in WORK
    }
    now = datetime.now(UTC).replace(tzinfo=None)
    with tenant_context(tenant):
        for i, (state, days) in enumerate([(s, d) for _key, s in WORK.values() for d in (2, 30)], start=1):
            item = AidRequest(
                number=f"1448-{i:06d}",
                applicant_name=f"مقدم الطلب {i}",
                state=state,
                channel="phone",
                submitted_at=now - timedelta(days=days),
                requested_halalas=100000,
            )
            db.session.add(item)
            db.session.flush()
            db.session.add(
                RequestEvent(request_id=item.id, action="step", to_state=state, at=now - timedelta(days=days))
            )
        db.session.commit()
    return users


@pytest.mark.parametrize("role", sorted(WORK))
def test_each_role_sees_its_work_first_and_opens_the_oldest(role, world, page, browser_login):
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, world[role].email, PASSWORD)
    page.goto("/t/first/")
    key, _state = WORK[role]
    card = page.locator(f"#card-{key}")
    assert card.get_attribute("data-count") == "2"
    assert page.locator("#dashboard").bounding_box()["y"] < 400  # the first thing on the page
    # the 30-day-old request of each state the role acts on (the researcher also takes new ones)
    overdue = "2" if role == "researcher" else "1"
    assert page.locator("#card-overdue").get_attribute("data-count") == overdue
    screenshot(page, f"dashboard-{role.replace('_', '-')}-1366-ar")
    oldest = card.locator("li a").first
    number = oldest.locator("span[dir=ltr]").inner_text()
    oldest.click()
    page.wait_for_load_state()
    assert number in page.locator("#request-number").inner_text()


def test_dashboard_fits_a_phone(world, phone_page, browser_login):
    browser_login(phone_page, world["committee_member"].email, PASSWORD)
    phone_page.goto("/t/first/")
    assert phone_page.locator("#card-to_decide").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "dashboard-committee-member-375-ar")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_long_association_name_wraps_on_a_phone(
    lang, create_tenant, create_user_, phone_page, browser_login
):
    """The seeds' English names run to 53 characters ("Esrar Cooperative Association for Productive
    Families"): the top bar wraps the name instead of making every page wider than the phone."""
    tenant = create_tenant(
        "long",
        name_en="Esrar Cooperative Association for Productive Families",
        name_ar="جمعية إسرار التعاونية للأسر المنتجة بالأحساء",
    )
    user = create_user_(email="officer@example.org", roles={tenant: ["relations_officer"]})
    phone_page.goto(f"/lang/{lang}?next=/login")
    browser_login(phone_page, user.email, PASSWORD)
    phone_page.goto("/t/long/")
    assert "Productive" in phone_page.locator(".navbar-brand").inner_text() or lang == "ar"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, f"navbar-long-name-375-{lang}")
