"""The plugin's lists are paged like core's (core's ``page_of``): 25 rows a page on the pages,
with page links that keep the list's filters (``?page=`` in any digits; a bad one is the first
page); the API's lists with ``@paginate()`` (``X-Pagination``, 10 a page by default, as the
registry's). A page sends as many queries for a long list as for a short one; at 375 px in
Arabic the links wrap inside the screen and open the next page."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from core.testing import PASSWORD, screenshot
from core.toolkit import Household, Person, db, tenant_context
from plugins.prisoner_families.models import Employment, Placement

PAGE = "/t/first/prisoner_families"
API = "/t/first/api/v1/prisoner_families"
ROW = re.compile(r'href="/t/first/prisoner_families/prisoners/\d+"')
CASE_ROW = re.compile(r'href="/t/first/prisoner_families/debt-cases/\d+"')


@pytest.fixture
def cases(enabled, case_factory):
    """``cases(n)``: ``n`` more insolvent prisoners in prison, each with a debt case, his family
    placed once and a member referred to an employer."""

    def make(n: int) -> None:
        for _ in range(n):
            _case_id, _prisoner_id = case_factory()
        with tenant_context(enabled):
            households = db.session.scalars(db.select(Household.id).order_by(Household.id)).all()
            persons = db.session.scalars(db.select(Person.id).order_by(Person.id)).all()
            for household_id in households[-n:]:
                db.session.add(
                    Placement(household_id=household_id, kind="exhibition", placed_on=date(2025, 7, 1))
                )
            for person_id in persons[-n:]:
                db.session.add(Employment(person_id=person_id, employer="مصنع", referred_on=date(2025, 7, 1)))
            db.session.commit()

    return make


def test_the_lists_show_a_page_and_link_the_next_keeping_their_filters(cases, staff, login, client):
    cases(27)
    login(staff["tenant_admin"])
    first = client.get(f"{PAGE}/?status=in_prison").get_data(as_text=True)
    assert len(ROW.findall(first)) == 25 and 'id="prisoners-pages"' in first
    assert re.search(r'href="[^"]*\?(status=in_prison&amp;page=2|page=2&amp;status=in_prison)"', first)
    second = client.get(f"{PAGE}/?status=in_prison&page=2").get_data(as_text=True)
    assert len(ROW.findall(second)) == 2 and 'aria-current="page">2<' in second
    assert len(ROW.findall(client.get(f"{PAGE}/?page=٢").get_data(as_text=True))) == 2  # Arabic digits
    bad = client.get(f"{PAGE}/?page=abc")
    assert bad.status_code == 200 and len(ROW.findall(bad.get_data(as_text=True))) == 25
    assert len(ROW.findall(client.get(f"{PAGE}/?page=9").get_data(as_text=True))) == 0  # past the end
    debts = client.get(f"{PAGE}/debt-cases?page=2").get_data(as_text=True)
    assert len(CASE_ROW.findall(debts)) == 2 and 'id="cases-pages"' in debts
    reliance = client.get(f"{PAGE}/self-reliance?employments_page=2").get_data(as_text=True)
    assert 'id="placements-pages"' in reliance and 'id="employments-pages"' in reliance
    assert reliance.count("مصنع") == 2  # the employments' second page


def test_the_api_lists_are_paginated_like_the_registrys(cases, staff, token_for, client):
    cases(12)
    headers = token_for(staff["tenant_admin"])
    for path in ("prisoners", "debt-cases", "placements", "employments"):
        first = client.get(f"{API}/{path}", headers=headers)
        assert first.status_code == 200 and len(first.json) == 10, path
        meta = json.loads(first.headers["X-Pagination"])
        assert (meta["total"], meta["total_pages"], meta["next_page"]) == (12, 2, 2), path
        assert len(client.get(f"{API}/{path}?page=2", headers=headers).json) == 2, path
        assert len(client.get(f"{API}/{path}?page_size=50", headers=headers).json) == 12, path
    assert client.get(f"{API}/prisoners?page_size=1000", headers=headers).status_code == 422


LISTS = (
    f"{PAGE}/",
    f"{PAGE}/debt-cases",
    f"{PAGE}/self-reliance",
    f"{PAGE}/follow-ups",
    f"{PAGE}/programs",
    f"{API}/prisoners",
    f"{API}/debt-cases",
    f"{API}/placements",
    f"{API}/employments",
)


def test_a_page_sends_as_many_queries_for_a_long_list_as_for_a_short_one(
    cases, staff, token_for, login, client, max_queries
):
    headers = token_for(staff["tenant_admin"])
    login(staff["tenant_admin"])

    def counts() -> list[int]:
        found = []
        for url in LISTS:
            with max_queries(20, label=url) as sent:
                response = client.get(url, headers=headers) if "/api/" in url else client.get(url)
            assert response.status_code == 200, url
            found.append(sent.count)
        return found

    cases(3)
    short = counts()
    cases(40)  # more than a page of every list
    assert counts() == short


@pytest.mark.browser
def test_page_links_work_at_375_px_in_arabic(phone_page, browser_login, cases, create_user_, enabled):
    cases(27)
    create_user_(email="researcher@example.org", roles={enabled: ["researcher"]})
    page = phone_page
    browser_login(page, "researcher@example.org", PASSWORD)
    page.goto(f"{PAGE}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    links = page.locator("#prisoners-pages")
    links.scroll_into_view_if_needed()
    box = links.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "prisoner-families-list-pages-375-ar")
    page.locator("#prisoners-pages a", has_text="2").click()
    page.wait_for_load_state()
    assert "page=2" in page.url
    assert page.locator("#prisoners-pages .active").inner_text().strip() == "2"
    assert page.locator("a[href*='/prisoner_families/prisoners/']").count() == 2
