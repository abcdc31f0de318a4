"""The plan value parser (core/planning/values.py) on every form the spec and the two seed plans use."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.planning.values import (
    Planned,
    Target,
    ValueProblem,
    parse_cost,
    parse_duration,
    parse_goal_kind,
    parse_month_cell,
    parse_number,
    parse_planned,
    parse_target,
)

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
EXTENDED = "۰۱۲۳۴۵۶۷۸۹"
LATIN = "0123456789"


def _in_digits(text: str, digits: str) -> str:
    return text.translate(str.maketrans(LATIN, digits))


def _formatted(value: Decimal, digits: str, thousands: str, decimal_mark: str) -> str:
    """``value`` written as a person would: chosen digit set, thousands separator, decimal mark."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", thousands)
    text = whole + (decimal_mark + fraction if fraction else "")
    return sign + _in_digits(text, digits)


amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
digit_sets = st.sampled_from([LATIN, ARABIC_INDIC, EXTENDED])


@given(amounts, digit_sets, st.sampled_from(["", ",", "٬"]), st.sampled_from([".", "٫"]))
def test_a_number_in_any_digits_and_separators_reads_back_as_itself(value, digits, thousands, decimal_mark):
    assert parse_number(_formatted(value, digits, thousands, decimal_mark)) == value


@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    digit_sets,
    st.sampled_from(["", ",", "٬"]),
    st.sampled_from([".", "٫"]),
)
def test_a_cost_in_any_digits_and_separators_reads_back_as_itself(value, digits, thousands, decimal_mark):
    assert parse_cost(_formatted(value, digits, thousands, decimal_mark)) == value


@given(st.integers(min_value=0, max_value=10**6), digit_sets)
def test_a_month_cell_holds_any_count_in_any_digits(count, digits):
    assert parse_month_cell(_in_digits(str(count), digits)) == count


@given(st.integers(min_value=0, max_value=10_000), digit_sets, st.sampled_from(["{}%", "%{}", "{}٪", "٪{}"]))
def test_a_percent_target_in_any_digits_and_either_side_is_a_floor(value, digits, layout):
    target = parse_target(layout.format(_in_digits(str(value), digits)))
    assert (target.kind, target.comparison, target.low, target.high, target.unit) == (
        "number",
        "at_least",
        value,
        None,
        "percent",
    )


@given(
    st.integers(min_value=1, max_value=10_000), digit_sets, st.sampled_from(["يوم", "أيام", "يوماً", "days"])
)
def test_a_duration_of_n_days_in_any_digits_is_n(days, digits, word):
    assert parse_duration(f"{_in_digits(str(days), digits)} {word}") == days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("١٠", Decimal(10)),
        ("۱۲٫۵", Decimal("12.5")),
        ("١٠٬٠٠٠", Decimal(10000)),
        ("١٠,٠٠٠", Decimal(10000)),
        ("10,000.50", Decimal("10000.50")),
        (" ٢٥ ", Decimal(25)),
        ("\u200f٥٠٠٠", Decimal(5000)),
        ("", None),
        (None, None),
    ],
)
def test_numbers_as_associations_type_them(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "١٠ ١٠", "١٠ ١٠ x", "1,00", "10..5", "1e5", "٪"])
def test_junk_is_not_a_number(text):
    with pytest.raises(ValueProblem):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٥٠٠٠", Decimal(5000)),
        ("١٠,٠٠٠", Decimal(10000)),
        ("١٠٬٠٠٠", Decimal(10000)),
        ("10000", Decimal(10000)),
        ("١٠٠٠٠ ريال", Decimal(10000)),
        ("2,500 SAR", Decimal(2500)),
        ("-", None),
        ("----", None),
        ("-----", None),
        ("—", None),
        ("…", None),
        ("ـــ", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_costs_and_the_ways_of_writing_no_cost(text, expected):
    assert parse_cost(text) == expected


@pytest.mark.parametrize("text", ["مجاني", "-500", "١٠ ١٠"])
def test_a_cost_that_is_not_an_amount_is_a_problem(text):
    with pytest.raises(ValueProblem):
        parse_cost(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("١٠", Planned(Decimal(10), False)),
        ("٢٥٠", Planned(Decimal(250), False)),
        ("مستمر", Planned(None, True)),
        ("مستمرة", Planned(None, True)),
        ("continuous", Planned(None, True)),
        ("١٠ أسر", Planned(Decimal(10), False, "أسر")),
        ("%١٠٠", Planned(Decimal(100), False, "٪")),
        ("", Planned(None, False)),
        (None, Planned(None, False)),
    ],
)
def test_planned_quantities(text, expected):
    assert parse_planned(text) == expected


@pytest.mark.parametrize("text", ["كثير", "-3", "%١٠ أسر"])
def test_a_planned_quantity_that_is_not_one_is_a_problem(text):
    with pytest.raises(ValueProblem):
        parse_planned(text)


def _target(text):
    t = parse_target(text)
    return (t.kind, t.comparison, t.low, t.high, t.unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%٧٠", ("number", "at_least", Decimal(70), None, "percent")),
        ("٧٠٪", ("number", "at_least", Decimal(70), None, "percent")),
        ("70%", ("number", "at_least", Decimal(70), None, "percent")),
        ("٪٢٥", ("number", "at_least", Decimal(25), None, "percent")),
        ("٥", ("number", "at_least", Decimal(5), None, "count")),
        ("٤٠٠٠٠", ("number", "at_least", Decimal(40000), None, "count")),
        ("١٠ أسر", ("number", "at_least", Decimal(10), None, "count")),
        ("لا يقل عن ١٠", ("number", "at_least", Decimal(10), None, "count")),
        ("لا يقل عن ١٠٪ سنوياً", ("number", "at_least", Decimal(10), None, "percent")),
        ("٩٥٪ على الأقل", ("number", "at_least", Decimal(95), None, "percent")),
        ("١٠ أسر على الأقل تحصل على ترخيص ممارسة النشاط", ("number", "at_least", Decimal(10), None, "count")),
        (
            "٣ لقاءات سنوياً على الأقل مع الأسر المنتجة الفاعلة",
            ("number", "at_least", Decimal(3), None, "count"),
        ),
        ("معرض سنوي واحد على الأقل", ("number", "at_least", Decimal(1), None, "count")),
        ("مبادرة واحدة سنوياً على الأقل", ("number", "at_least", Decimal(1), None, "count")),
        ("لا يزيد عن ٥", ("number", "at_most", None, Decimal(5), "count")),
        ("لا تتجاوز ١٠٪", ("number", "at_most", None, Decimal(10), "percent")),
        ("at most 3", ("number", "at_most", None, Decimal(3), "count")),
        ("يساوي ١٢", ("number", "equals", Decimal(12), Decimal(12), "count")),
        ("من ٧٠٪ إلى ٨٥٪", ("number", "between", Decimal(70), Decimal(85), "percent")),
        ("من ٧٠٪ إلى ٨٥٪ على الأقل", ("number", "between", Decimal(70), Decimal(85), "percent")),
        ("بين ٧٠ و٨٥٪", ("number", "between", Decimal(70), Decimal(85), "percent")),
        ("70-85%", ("number", "between", Decimal(70), Decimal(85), "percent")),
        ("from 70% to 85%", ("number", "between", Decimal(70), Decimal(85), "percent")),
        ("لا يقل عن ١٠٬٠٠٠ ريال", ("number", "at_least", Decimal(10000), None, "sar")),
        ("رفع مستوى الرضا", ("text", None, None, None, None)),
        ("لا تقل عن ٢ شراكات بجودة لا تقل عن ٨٠٪", ("text", None, None, None, None)),
        ("", ("text", None, None, None, None)),
    ],
)
def test_targets_as_the_seed_plans_write_them(text, expected):
    assert _target(text) == expected


def test_a_target_keeps_the_text_as_written():
    assert parse_target("  ٣ لقاءات سنوياً  ").text == "٣ لقاءات سنوياً"
    assert parse_target(None) == Target("text", None, None, None, None, "")


def test_a_range_whose_bounds_are_reversed_is_a_problem():
    with pytest.raises(ValueProblem):
        parse_target("من ٨٥٪ إلى ٧٠٪")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("٢٠ يوم", 20),
        ("١٠ أيام", 10),
        ("٦٠ يوم", 60),
        ("١٥ يوماً", 15),
        ("يوم", 1),
        ("يومان", 2),
        ("يومين", 2),
        ("أسبوع", 7),
        ("أسبوعين", 14),
        ("٣ أسابيع", 21),
        ("شهر", 30),
        ("شهران", 60),
        ("٣ أشهر", 90),
        ("3 days", 3),
        ("1 day", 1),
        ("2 weeks", 14),
        ("٢٠", 20),
        ("", None),
        (None, None),
    ],
)
def test_durations(text, days):
    assert parse_duration(text) == days


@pytest.mark.parametrize("text", ["قريباً", "٠ يوم", "-3 days", "نصف يوم", "0.5 يوم", "٢٠ ساعة"])
def test_a_duration_that_is_not_whole_days_is_a_problem(text):
    with pytest.raises(ValueProblem):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        (None, 0),
        ("١", 1),
        ("٢٥", 25),
        ("٤٠٠", 400),
        ("✓", 1),
        ("✔", 1),
        ("*", 1),
        ("x", 1),
        ("X", 1),
    ],
)
def test_month_and_quarter_cells(text, count):
    assert parse_month_cell(text) == count


@pytest.mark.parametrize("text", ["نعم", "-1", "xx"])
def test_a_month_cell_that_is_not_a_count_is_a_problem(text):
    with pytest.raises(ValueProblem):
        parse_month_cell(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("استراتيجي", "strategic"),
        ("إستراتيجي", "strategic"),
        ("الهدف الاستراتيجي", "strategic"),
        ("استراتيجية", "strategic"),
        ("Strategic", "strategic"),
        ("تطويري", "developmental"),
        ("الهدف التطويري", "developmental"),
        ("تشغيلي", "developmental"),
        ("developmental", "developmental"),
    ],
)
def test_goal_kinds(text, kind):
    assert parse_goal_kind(text) == kind


@pytest.mark.parametrize("text", ["", "مالي", None])
def test_an_unknown_goal_kind_is_a_problem(text):
    with pytest.raises(ValueProblem):
        parse_goal_kind(text)


def test_a_problem_speaks_the_readers_language(app):
    with pytest.raises(ValueProblem) as caught:
        parse_number("abc")
    with app.test_request_context("/?lang=ar"):
        assert "abc" in str(caught.value.message)
        assert "ليس رقمًا" in str(caught.value.message)
    with app.test_request_context("/?lang=en"):
        assert str(caught.value.message) == "“abc” is not a number."
