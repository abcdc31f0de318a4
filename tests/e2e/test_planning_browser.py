"""Al-Aoun's 2024 plan in a real browser, on a phone (375 px) and on a desktop (1366 px): the
month grid laid out right to left like the seed tables (month 1 at the right), and the budget
charts drawn; screenshots kept in test-artifacts/."""

from __future__ import annotations

import pytest

from core.aid.services import install_default_catalog
from core.extensions import db
from core.planning import Plan, demo
from core.tenancy import tenant_context
from tests.e2e.browser import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def aoun_plan_id(tenant, enable_plugin, staff, monkeypatch):
    enable_plugin(tenant, "prisoner_families")
    monkeypatch.setitem(demo.DEMO_PLANS, tenant.slug, demo.DEMO_PLANS["aoun-prisoners"])
    with tenant_context(tenant):
        install_default_catalog(tenant)
        demo.load(tenant)
        db.session.commit()
        return db.session.scalars(db.select(Plan.id)).one()


def _check_plan_page(page, plan_id: int, width: int, name: str) -> None:
    page.goto(f"/t/first/planning/{plan_id}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "غرس العقيدة والمبادئ الإسلامية" in page.locator("#goal-1").inner_text()
    grid = page.locator("#grid-1")
    months = grid.locator("thead th.month")
    assert months.count() == 12
    grid.scroll_into_view_if_needed()
    first, last = months.nth(0).bounding_box(), months.nth(11).bounding_box()
    assert first["x"] > last["x"]  # right to left: month 1 at the right, like the seed table
    assert grid.locator("td.table-info").count() >= 10  # the planned months are marked
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the grid scrolls in its box
    chart = page.locator("#chart-month")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible() and chart.bounding_box()["width"] > 200
    assert chart.locator("rect").count() >= 24  # planned and spent for each month
    assert page.locator("#chart-department rect").count() >= 2
    screenshot(page, f"planning-{name}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#goal-2").screenshot(path=str(ARTIFACTS / f"planning-{name}-goal-2.png"))
    page.locator("#budget").screenshot(path=str(ARTIFACTS / f"planning-{name}-budget.png"))


def test_al_aouns_plan_shows_the_month_grid_and_charts_at_375_and_1366(signed_in, staff, aoun_plan_id):
    for width, name in ((375, "phone-375"), (1366, "desktop-1366")):
        page = signed_in(staff["executive_director"].email, width=width)
        _check_plan_page(page, aoun_plan_id, width, name)
