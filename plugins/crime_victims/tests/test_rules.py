"""The plugin's plain rules: the expected answer date, the overdue flag, the ID's validity and
the order of the intake steps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from .. import rules


def test_the_expected_answer_is_fourteen_calendar_days_after_the_submission_day():
    assert rules.expected_answer_date(date(2026, 11, 30)) == date(2026, 12, 14)
    # A submission late in the day counts from its day; weekends and month ends count.
    assert rules.expected_answer_date(datetime(2026, 2, 20, 23, 59)) == date(2026, 3, 6)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(min_value=0, max_value=40)
)
def test_a_case_is_overdue_only_after_its_expected_day_and_only_while_undecided(submitted, waited):
    today = submitted + timedelta(days=waited)
    assert rules.is_overdue(submitted, False, today) is (waited > 14)
    assert rules.is_overdue(submitted, True, today) is False


def test_a_case_not_submitted_is_never_overdue():
    assert rules.is_overdue(None, False, date(2030, 1, 1)) is False


@given(st.dates(), st.integers(min_value=-400, max_value=400))
def test_an_id_is_valid_up_to_and_including_its_expiry_day(day, offset):
    try:
        expiry = day + timedelta(days=offset)
    except OverflowError:
        return
    assert rules.id_valid_at(expiry, day) is (offset >= 0)


def test_an_id_without_an_expiry_is_not_valid():
    assert rules.id_valid_at(None, date(2026, 1, 1)) is False


@given(st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=7))
def test_only_the_next_step_may_be_recorded(done, step):
    assert rules.may_record(done, step) is (step == done + 1)


def test_a_report_or_the_reason_for_its_absence_is_required():
    assert rules.report_problem(None, None) == "report_reference"
    assert rules.report_problem("  ", "") == "report_reference"
    assert rules.report_problem("1447/55", None) is None
    assert rules.report_problem(None, "تخشى الإبلاغ") is None
