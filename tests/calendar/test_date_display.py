"""Every date shown goes through one filter: the tenant's calendar, digits isolated left to
right so they never reverse in Arabic text, never wrapped mid-date; times in the tenant's time
zone with the zone named; request numbers and ID numbers isolated."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask import render_template_string

from core.calendar import date_html, datetime_html, format_date, format_datetime, time_zone_of
from core.extensions import db
from core.i18n import isolated_number, request_number
from core.requests.models import AidRequest
from core.tenancy import tenant_context

DAY = date(2026, 11, 30)  # 1448-06-20 AH (Umm al-Qura)
HIJRI = '<span class="date text-nowrap"><bdi dir="ltr">1448-06-20</bdi> هـ</span>'
GREGORIAN = '<span class="date text-nowrap"><bdi dir="ltr">2026-11-30</bdi> م</span>'


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("hijri", f"<bdi>{HIJRI}</bdi>"),
        ("gregorian", f"<bdi>{GREGORIAN}</bdi>"),
        ("both", f"<bdi>{HIJRI} ({GREGORIAN})</bdi>"),
    ],
)
def test_the_date_filter_follows_the_calendar_display_and_isolates_each_date(app, display, expected):
    with app.test_request_context("/?lang=ar"):
        assert str(date_html(DAY, display)) == expected
        assert render_template_string("{{ d|hdate(display) }}", d=DAY, display=display) == expected


@pytest.mark.parametrize("display", ["hijri", "gregorian", "both"])
def test_the_tenants_calendar_choice_is_used_when_none_is_given(app, tenant, display):
    tenant.calendar_display = display
    db.session.commit()
    with app.test_request_context("/?lang=ar"), tenant_context(tenant):
        shown = render_template_string("{{ d|hdate }}", d=DAY)
    assert ("1448-06-20" in shown) == (display != "gregorian")
    assert ("2026-11-30" in shown) == (display != "hijri")


def test_english_pages_name_the_calendars_in_english(app):
    with app.test_request_context("/?lang=en"):
        assert format_date(DAY, "both") == "1448-06-20 AH (2026-11-30 AD)"
        assert '<bdi dir="ltr">2026-11-30</bdi> AD' in date_html(DAY, "both")


def test_none_shows_nothing_so_a_dash_can_stand_in(app):
    with app.test_request_context("/?lang=ar"):
        assert render_template_string('{{ d|hdate or "—" }}', d=None) == "—"
        assert render_template_string('{{ d|hdatetime or "—" }}', d=None) == "—"


def test_times_are_shown_in_riyadh_time_by_default_with_the_zone(app, tenant):
    moment = datetime(2026, 11, 30, 22, 30)  # stored UTC: already 1 December in Riyadh
    with app.test_request_context("/?lang=ar"), tenant_context(tenant):
        shown = str(datetime_html(moment, "gregorian"))
        text = format_datetime(moment, "gregorian")
    assert '<bdi dir="ltr">2026-12-01</bdi>' in shown and '<bdi dir="ltr">01:30</bdi>' in shown
    assert 'class="time text-nowrap"' in shown and "توقيت المملكة العربية السعودية" in shown
    assert text == "2026-12-01 م 01:30 توقيت المملكة العربية السعودية"


def test_a_tenant_chooses_its_time_zone(app, tenant):
    tenant.settings = {**(tenant.settings or {}), "calendar": {"time_zone": "Africa/Cairo"}}
    db.session.commit()
    with app.test_request_context("/?lang=en"), tenant_context(tenant):
        assert time_zone_of().key == "Africa/Cairo"
        shown = str(datetime_html(datetime(2026, 1, 10, 9, 0), "gregorian"))
    assert '<bdi dir="ltr">11:00</bdi>' in shown and "Egypt" in shown


def test_an_unknown_time_zone_in_the_settings_falls_back_to_riyadh(app, tenant):
    tenant.settings = {"calendar": {"time_zone": "Mars/Olympus"}}
    assert time_zone_of(tenant).key == "Asia/Riyadh"


def test_numbers_and_request_numbers_are_isolated_left_to_right(app):
    with app.test_request_context("/?lang=ar"):
        assert str(isolated_number("000001-1448")) == (
            '<bdi dir="ltr" class="number text-nowrap">000001-1448</bdi>'
        )
        assert isolated_number(None) == ""
        numbered = request_number(AidRequest(id=3, number="1448-000001"))
        draft = request_number(AidRequest(id=17))
        assert str(numbered) == '<bdi dir="ltr" class="number text-nowrap">1448-000001</bdi>'
        assert str(draft) == 'مسودة رقم <bdi dir="ltr" class="number text-nowrap">17</bdi>'
        assert "<bdi" in render_template_string("{{ request_number(r) }}", r=AidRequest(id=1, number="1-2"))


def test_the_request_page_isolates_its_number_and_shows_event_times_with_the_zone(
    client, login, staff, tenant, in_first, new_request
):
    draft = new_request()
    db.session.commit()
    login(staff["relations_officer"])
    client.post(f"/t/first/requests/{draft.id}/step/submit", data={"declaration": "on", "signed_by": "نورة"})
    html = client.get(f"/t/first/requests/{draft.id}?lang=ar").get_data(as_text=True)
    number = re.search(r'<span id="request-number">(.*?)</span>', html).group(1)
    assert number.startswith('<bdi dir="ltr" class="number text-nowrap">') and re.search(
        r"\d{4}-\d{6}", number
    )
    assert 'class="datetime"' in html and "توقيت المملكة العربية السعودية" in html
    assert 'class="date text-nowrap"' in html
    queue = client.get("/t/first/requests/?lang=ar")
    assert queue.status_code == 200 and 'class="number text-nowrap"' in queue.get_data(as_text=True)


def test_the_household_page_shows_dates_through_the_filter(client, login, officer, create_household, tenant):
    household = create_household(tenant)
    login(officer)
    html = client.get(f"/t/{tenant.slug}/registry/households/{household.id}?lang=ar").get_data(as_text=True)
    expiry = re.search(r"ID expiry date|تاريخ انتهاء الهوية", html)
    assert expiry is not None
    assert 'class="date text-nowrap"><bdi dir="ltr">' in html
    assert '<bdi dir="ltr" class="number text-nowrap">' in html  # the ID number
    assert "strftime" not in html


def test_every_hijri_or_gregorian_hint_names_the_same_day_twice():
    from pathlib import Path

    from core.calendar import from_hijri

    root = Path(__file__).resolve().parents[2]
    pair = re.compile(r"Hijri \((\d{4})-(\d{2})-(\d{2})\) or Gregorian \((\d{4}-\d{2}-\d{2})\)")
    hints = [
        (path, match)
        for folder in ("core", "plugins")
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".html")
        for match in pair.finditer(path.read_text(encoding="utf-8"))
    ]
    assert hints
    for path, match in hints:
        year, month, day, gregorian = match.groups()
        assert from_hijri(int(year), int(month), int(day)).isoformat() == gregorian, (path, match.group(0))
