"""Staff, on a phone (375 px), take a training program's attendance and close it: the producer who
attended enough completes it, in Arabic, nothing wider than the screen."""

from __future__ import annotations

import pytest

from core.testing import PASSWORD, screenshot
from core.toolkit import db

from .. import services
from .conftest import PID

pytestmark = pytest.mark.browser


def test_staff_take_attendance_and_close_a_program_on_a_phone(
    phone_page, browser_login, manager, producer_factory, enabled, in_tenant
):
    present, absent = producer_factory(trade_name="مطبخ الواحة"), producer_factory(trade_name="خياطة زينب")
    with in_tenant(enabled):
        trainer = services.add_trainer({"name": "مركز الأحساء للتدريب", "kind": "centre", "scope": "local"})
        program = services.create_program(
            {"title": "التغليف والتعبئة", "area": "packaging", "trainer_id": trainer.id, "starts_on": "2026-03-01",
             "ends_on": "2026-03-31", "place": "مقر الجمعية", "capacity": 5}
        )  # fmt: skip
        for pid in (present, absent):
            services.enrol(program, {"producer_id": pid})
        session = services.add_session(program, {"held_on": "2026-03-02", "topic": "التغليف"})
        db.session.commit()
        url, session_id = f"/t/first/{PID}/training/programs/{program.id}", session.id
    page = phone_page
    browser_login(page, manager.email, PASSWORD)
    page.goto(url)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.check(f"#present-{session_id}-{present}")
    page.click(f"#session-{session_id} button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(f"#present-{session_id}-{present}").is_checked()
    assert not page.locator(f"#present-{session_id}-{absent}").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "productive-families-training-attendance-375")
    page.fill("#close-form #closed_on", "2026-03-31")
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state()
    assert "أكمل البرنامج" in page.locator(f"#enrolments [data-producer='{present}']").inner_text()
    assert "لم يُكمل" in page.locator(f"#enrolments [data-producer='{absent}']").inner_text()
    assert page.locator("#close-form").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "productive-families-training-closed-375")
