"""The association's "today", in its time zone, not UTC's or the server's: at 22:30 UTC
on 1 March 2026 it is 01:30 on 2 March in Riyadh. The clock is moved (``set_clock``), so these
tests never depend on the real time of day."""

from __future__ import annotations

from datetime import date, datetime

from core.calendar import day_bounds, format_date, today
from core.extensions import db
from core.tenancy import tenant_context

LATE_EVENING_UTC = datetime(2026, 3, 1, 22, 30)  # 01:30 on 2 March in Riyadh


def in_utc(tenant):
    tenant.settings = {**(tenant.settings or {}), "calendar": {"time_zone": "UTC"}}
    db.session.commit()
    return tenant


def test_today_is_the_date_in_the_tenants_time_zone(app, tenant, other_tenant, set_clock):
    set_clock(LATE_EVENING_UTC)
    in_utc(other_tenant)
    assert today(tenant) == date(2026, 3, 2)  # Riyadh (the default): already the next day
    assert today(other_tenant) == date(2026, 3, 1)
    with tenant_context(tenant):
        assert today() == date(2026, 3, 2)  # the tenant in context
    with tenant_context(other_tenant):
        assert today() == date(2026, 3, 1)
    set_clock(datetime(2026, 3, 1, 20, 59))  # 23:59 in Riyadh: still the first
    assert today(tenant) == today(other_tenant) == date(2026, 3, 1)


def test_without_a_tenant_today_is_the_platforms_date(app, set_clock):
    set_clock(LATE_EVENING_UTC)
    with app.app_context():
        assert today() == date(2026, 3, 2)  # BABEL_DEFAULT_TIMEZONE: Asia/Riyadh


def test_a_stored_moment_is_shown_on_the_associations_day(app, tenant):
    with app.test_request_context("/?lang=ar"), tenant_context(tenant):
        assert format_date(LATE_EVENING_UTC, "gregorian") == "2026-03-02 م"
    in_utc(tenant)
    with app.test_request_context("/?lang=ar"), tenant_context(tenant):
        assert format_date(LATE_EVENING_UTC, "gregorian") == "2026-03-01 م"


def test_a_period_of_days_is_bounded_by_the_tenants_midnights(tenant, other_tenant):
    in_utc(other_tenant)
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert day_bounds(*march, tenant) == (datetime(2026, 2, 28, 21, 0), datetime(2026, 3, 31, 21, 0))
    assert day_bounds(*march, other_tenant) == (datetime(2026, 3, 1), datetime(2026, 4, 1))
