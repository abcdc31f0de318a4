"""A volunteer on a phone (375 px, Arabic): signs up on the portal, offers their time, is
accepted, checks in and out on the day and reads the confirmed hours."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from core.extensions import db
from core.tenancy import tenant_context
from core.volunteers import Assignment, Volunteer, services
from tests.e2e.browser import screenshot
from tests.volunteers.helpers import opportunity_data

pytestmark = pytest.mark.browser

PASSWORD = "olive-lantern-harbour-72"
EMAIL = "salman@example.org"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_volunteer_signs_up_is_accepted_checks_in_and_sees_the_hours(phone_page, tenant, staff):
    page = phone_page
    page.goto("/t/first/portal/register")
    page.fill("#name", "سلمان فهد العنزي")
    page.fill("#email", EMAIL)
    page.fill("#phone", "٠٥٥١٢٣٤٥٦٨")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("#register-form button[type=submit]")
    page.wait_for_load_state()
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.goto("/t/first/portal/volunteering/")
    page.click("#offer-link")
    page.wait_for_load_state()
    page.fill("#phone", "٠٥٥١٢٣٤٥٦٨")
    page.check("#skill-distribution")
    page.check("#day-sat")
    page.check("#day-thu")
    page.fill("#available_from", "16:00")
    page.fill("#available_to", "21:00")
    page.fill("#areas", "حي الروضة، حي النخيل")
    page.check("#field_visits")
    fits_the_phone(page)
    screenshot(page, "volunteer-01-offer-ar-375")
    page.click("#send-offer")
    page.wait_for_load_state()
    assert page.locator("#volunteer-state").get_attribute("data-state") == "applied"

    with tenant_context(tenant):  # the coordinator accepts and gives a place in today's event
        admin = staff["tenant_admin"]
        volunteer = db.session.scalars(db.select(Volunteer)).one()
        services.decide(volunteer, "accepted", admin)
        opportunity = services.create_opportunity(opportunity_data(title="يوم التوزيع الشهري"), admin)
        assignment_id = services.assign(opportunity, volunteer, admin).id
        db.session.commit()

    page.reload()
    assert page.locator("#volunteer-state").get_attribute("data-state") == "accepted"
    page.click(f"#check-in-{assignment_id}")
    page.wait_for_load_state()
    assert page.locator(f"#check-out-{assignment_id}").is_visible()
    fits_the_phone(page)
    screenshot(page, "volunteer-02-checked-in-ar-375")
    with tenant_context(tenant):  # the volunteer came at eight
        db.session.get(Assignment, assignment_id).checked_in_at = datetime.combine(services.today(), time(0))
        db.session.commit()
    page.click(f"#check-out-{assignment_id}")
    page.wait_for_load_state()
    assert (
        page.locator(f'[data-assignment="{assignment_id}"] [data-hours-state]').get_attribute(
            "data-hours-state"
        )
        == "pending"
    )

    with tenant_context(tenant):  # the supervisor confirms two and a half hours
        services.confirm_hours(
            db.session.get(Assignment, assignment_id), staff["tenant_admin"], minutes=150, note="حضر متأخرًا"
        )
        db.session.commit()
    page.reload()
    total = page.locator("#total-hours").inner_text()
    assert total.replace("٫", ".").translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")) == "2.5"
    assert page.locator("#certificate-link").is_visible()
    fits_the_phone(page)
    screenshot(page, "volunteer-03-hours-ar-375")
    page.click("#certificate-link")
    page.wait_for_load_state()
    assert "سلمان فهد العنزي" in page.locator("#certificate-text").inner_text()
    screenshot(page, "volunteer-04-certificate-ar-375")
