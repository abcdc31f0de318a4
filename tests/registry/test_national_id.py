"""National ID / iqama numbers: the check digit, both prefixes, any digits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.registry.ids import (
    InvalidNationalId,
    check_digit_for,
    check_digit_ok,
    id_type,
    mask,
    parse_national_id,
)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXTENDED = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
nine_digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


@pytest.mark.parametrize("number", ["1000000008", "1023456781", "2000000006", "1234567897"])
def test_known_valid_numbers_pass_the_check_digit(number):
    assert check_digit_ok(number)
    assert parse_national_id(number) == number


@pytest.mark.parametrize("number", ["1000000001", "2000000000", "1234567890"])
def test_a_wrong_check_digit_is_refused(number):
    assert not check_digit_ok(number)
    with pytest.raises(InvalidNationalId):
        parse_national_id(number)


@pytest.mark.parametrize("number", ["3000000004", "0000000000", "123456789", "12345678901", "1abc567897", ""])
def test_wrong_prefix_length_or_characters_are_refused(number):
    with pytest.raises(InvalidNationalId):
        parse_national_id(number)


def test_prefix_tells_citizen_from_resident():
    assert id_type("1000000008") == "citizen"
    assert id_type("2000000006") == "resident"


@given(prefix=st.sampled_from("12"), body=nine_digits)
def test_the_computed_check_digit_always_validates_for_both_prefixes(prefix, body):
    number = prefix + body + check_digit_for(prefix + body)
    assert parse_national_id(number) == number


@given(prefix=st.sampled_from("12"), body=nine_digits, wrong=st.integers(1, 9))
def test_any_other_last_digit_is_refused(prefix, body, wrong):
    good = int(check_digit_for(prefix + body))
    number = prefix + body + str((good + wrong) % 10)
    with pytest.raises(InvalidNationalId):
        parse_national_id(number)


@given(prefix=st.sampled_from("12"), body=nine_digits, table=st.sampled_from([ARABIC_INDIC, EXTENDED]))
def test_arabic_indic_and_extended_digits_are_read(prefix, body, table):
    number = prefix + body + check_digit_for(prefix + body)
    typed = f"{number[:4]} {number[4:7]}-{number[7:]}".translate(table)
    assert parse_national_id(typed) == number


@given(prefix=st.sampled_from("12"), body=nine_digits, position=st.integers(0, 8), delta=st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(prefix, body, position, delta):
    number = prefix + body + check_digit_for(prefix + body)
    index = 1 + position  # keep the prefix
    typo = number[:index] + str((int(number[index]) + delta) % 10) + number[index + 1 :]
    assert not check_digit_ok(typo)


def test_mask_shows_only_the_first_and_last_four_digits():
    assert mask("1023456781") == "1•••••6781"
