from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.calendar import (
    DateFormatError,
    add_working_days,
    calendar_year,
    format_date,
    holidays_of,
    is_working_day,
    parse_date,
    tenant_calendar_settings,
    to_hijri,
    working_days_between,
)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
UMM_AL_QURA = st.dates(min_value=date(1937, 3, 14), max_value=date(2077, 11, 16))


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-03",
        "03/11/2025",
        "2025/11/03 م",
        "1447-05-12",
        "12/05/1447 هـ",
        "١٤٤٧/٠٥/١٢ هـ",
        "۱۴۴۷-۰۵-۱۲",
        "1447-05-12 AH",
    ],
)
def test_parse_date_accepts_both_calendars_and_digit_scripts(text):
    assert parse_date(text) == date(2025, 11, 3)


@pytest.mark.parametrize(
    "text", ["", "tomorrow", "2025-13-01", "1447-05-31", "12/13", "2025-02-30", "1300-01-01"]
)
def test_parse_date_refuses_what_is_not_a_date(text):
    with pytest.raises(DateFormatError):
        parse_date(text)


@given(UMM_AL_QURA)
def test_hijri_text_round_trips_to_the_same_day(day):
    year, month, dom = to_hijri(day)
    typed = f"{year}/{month:02d}/{dom:02d}".translate(ARABIC_INDIC)
    assert parse_date(typed) == day
    assert parse_date(f"{dom}-{month}-{year} هـ") == day


@given(UMM_AL_QURA)
def test_gregorian_text_round_trips(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day


def test_format_date_follows_the_display(app_ctx):
    day = date(2025, 11, 3)
    assert "1447-05-12" in format_date(day, "hijri") and "2025" not in format_date(day, "hijri")
    assert "2025-11-03" in format_date(day, "gregorian") and "1447" not in format_date(day, "gregorian")
    both = format_date(day, "both")
    assert "1447-05-12" in both and "2025-11-03" in both
    assert format_date(None, "both") == ""


def test_calendar_year_follows_tenant_display():
    assert calendar_year(date(2025, 11, 3), "hijri") == 1447
    assert calendar_year(date(2025, 11, 3), "both") == 1447
    assert calendar_year(date(2025, 11, 3), "gregorian") == 2025


def test_friday_and_saturday_are_not_working_days():
    thursday = date(2025, 11, 6)
    assert is_working_day(thursday)
    assert not is_working_day(thursday + timedelta(days=1))
    assert not is_working_day(thursday + timedelta(days=2))
    assert add_working_days(thursday, 1) == date(2025, 11, 9)  # Sunday


def test_holidays_are_skipped():
    sunday = date(2025, 11, 9)
    assert add_working_days(date(2025, 11, 6), 1, {sunday}) == date(2025, 11, 10)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1)),
    st.integers(0, 60),
    st.sets(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 6, 1)), max_size=20),
)
def test_deadline_is_a_working_day_exactly_n_working_days_later(start, days, holidays):
    deadline = add_working_days(start, days, holidays)
    assert is_working_day(deadline, holidays)
    assert deadline >= start
    assert working_days_between(start, deadline, holidays) == days or (days == 0 and deadline >= start)
    if days:
        assert working_days_between(start, deadline - timedelta(days=1), holidays) == days - 1


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1)), st.integers(1, 40))
def test_n_working_days_span_at_least_n_calendar_days_and_at_most_double_plus_two(start, days):
    deadline = add_working_days(start, days)
    assert days <= (deadline - start).days <= days * 2 + 2


def test_tenant_holidays_expand_ranges_and_validate():
    class Tenant:
        settings = {
            "calendar": {
                "holidays": ["2026-09-23", {"start": "2026-03-19", "end": "2026-03-21", "name": "Eid"}]
            }
        }

    days = holidays_of(Tenant())
    assert date(2026, 9, 23) in days and date(2026, 3, 20) in days and len(days) == 4
    assert tenant_calendar_settings(Tenant())["decision_deadline_days"] == 30


def test_bad_holiday_settings_are_refused():
    from marshmallow import ValidationError

    class Tenant:
        settings = {"calendar": {"holidays": [{"start": "2026-03-21", "end": "2026-03-19"}], "surprise": 1}}

    with pytest.raises(ValidationError) as info:
        tenant_calendar_settings(Tenant())
    assert "surprise" in info.value.messages
