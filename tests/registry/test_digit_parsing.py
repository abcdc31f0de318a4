"""One parsing module for numbers typed in Arabic-Indic, Extended Arabic-Indic or Latin digits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import NumberFormatError, digit_string, parse_decimal, parse_halalas, parse_int

SCRIPTS = {
    "latin": str.maketrans("", ""),
    "arabic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "extended": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}
script = st.sampled_from(list(SCRIPTS.values()))


@given(value=st.integers(0, 10**12), table=script)
def test_integers_read_the_same_in_every_script(value, table):
    assert parse_int(str(value).translate(table)) == value


@given(value=st.integers(1000, 10**9), table=script, arabic_separator=st.booleans())
def test_thousands_separators_latin_or_arabic(value, table, arabic_separator):
    text = f"{value:,}".replace(",", "٬" if arabic_separator else ",").translate(table)
    assert parse_int(text) == value


@given(riyals=st.integers(0, 10**8), halalas=st.integers(0, 99), table=script, arabic_point=st.booleans())
def test_money_in_any_script_becomes_integer_halalas(riyals, halalas, table, arabic_point):
    text = f"{riyals}{'٫' if arabic_point else '.'}{halalas:02d}".translate(table)
    assert parse_halalas(text) == riyals * 100 + halalas


@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=15), table=script)
def test_digit_strings_keep_leading_zeros_and_drop_spaces_and_dashes(digits, table):
    typed = " - ".join([digits[:3], digits[3:]]) if len(digits) > 3 else digits
    assert digit_string(typed.translate(table)) == digits


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "١٢a", "--", "1,23"])
def test_garbage_is_refused(text):
    with pytest.raises(NumberFormatError):
        parse_decimal(text)


def test_more_than_two_decimals_of_a_riyal_are_refused():
    with pytest.raises(NumberFormatError):
        parse_halalas("10.555")
    assert parse_halalas("10.50") == 1050
    assert parse_decimal("٣٬٥٠٠٫٢٥") == Decimal("3500.25")


def test_digit_string_length_is_enforced():
    with pytest.raises(NumberFormatError):
        digit_string("١٢٣", length=10)
    with pytest.raises(NumberFormatError):
        digit_string("12x4")
