"""Arabic names are searched in one normalised spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.registry.normalize import NORMALIZED_KEPT, _normalized, normalize_name

ARABIC_LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهوي"
VARIANTS = {"ا": "أإآ", "ه": "ة", "ي": "ىئ", "و": "ؤ"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("فاطمة", "فاطمه"),
        ("مصطفى", "مصطفي"),
        ("عائشة", "عايشه"),
        ("مؤمن", "مومن"),
        ("مُحَمَّد", "محمد"),
        ("محـــمد", "محمد"),
        ("عبد الله", "عبدالله"),
        ("  سعد   الغامدي ", "سعد الغامدي"),
        ("Ahmed AL-Ghamdi", "ahmed al ghamdi"),
    ],
)
def test_known_spelling_variants(typed, expected):
    assert normalize_name(typed) == expected


name = st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=12)


@given(name)
def test_normalising_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(
    name,
    st.lists(st.sampled_from("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"), max_size=6),
    st.randoms(),
)
def test_diacritics_and_tatweel_do_not_change_the_name(text, marks, rnd):
    chars = list(text)
    for mark in marks:
        chars.insert(rnd.randint(1, len(chars)), mark)
    assert normalize_name("".join(chars)) == normalize_name(text)


@given(name, st.randoms())
def test_hamza_taa_marbuta_and_alef_maqsura_variants_normalise_alike(text, rnd):
    variant = "".join(rnd.choice(VARIANTS[c]) if c in VARIANTS and rnd.random() < 0.5 else c for c in text)
    assert normalize_name(variant) == normalize_name(text)


@given(st.text(max_size=20))
def test_a_remembered_spelling_is_the_one_computed_afresh(text):
    first = normalize_name(text)
    again = normalize_name(text)
    assert again == first
    assert first == (_normalized.__wrapped__(text) if text else "")


def test_remembered_spellings_are_bounded():
    for serial in range(NORMALIZED_KEPT + 10):
        normalize_name(f"اسم {serial}")
    assert _normalized.cache_info().currsize <= NORMALIZED_KEPT


def test_a_value_not_text_is_normalised_as_its_text():
    assert normalize_name(2026) == "2026"
