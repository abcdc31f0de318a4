"""The import's quick load of a row (``importer_validate.quick_load``) gives what the schema's
own ``load`` gives — the same data for a good row, the same errors, messages and fields for a
bad one — on random rows mixing good cells, blanks, junk and unknown columns."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from core.i18n import translate_messages
from core.registry.importer_validate import _Checker, quick_load
from core.registry.schemas import MemberPersonSchema, PersonSchema
from core.testing.factories import valid_id

GOOD = {
    "first_name": ["أحمد", "عبد الله", "Sara", "مُحَمَّد"],
    "father_name": ["محمد", "علي"],
    "grandfather_name": ["علي", "سعد"],
    "family_name": ["الزهراني", "آل سعود"],
    "national_id": [valid_id("1", 123), valid_id("2", 77), "١٠٠٠٠٠٠٠٠١"],
    "id_expiry": ["2031-06-30", "١٤٥٢-٠١-٠١", "1452-01-01"],
    "nationality": ["SA", "سعودي"],
    "birth_date": ["1990-01-31", "2001-12-01", "1410-05-05"],
    "gender": ["male", "female"],
    "marital_status": ["married", "single"],
    "phone": ["0551234567", "+966551234567"],
    "email": ["a@example.org"],
    "national_address": ["RRRD2929"],
    "city": ["مكة", "Jeddah"],
    "job": ["لا يعمل", "معلم"],
    "monthly_income": ["0", "1500", "1500.50", "١٢٠٠"],
}
# Values no field accepts, or accepts only on some fields.
JUNK = ["", " ", "x" * 130, "2099-01-01", "12", "abc", "-5", "1.234", "٠٥٥", "<b>", "\x07", "1000000001"]


@st.composite
def rows(draw):
    """A good row (optional cells left out at random), then 0–3 of its cells spoilt."""
    row = {column: draw(st.sampled_from(good)) for column, good in GOOD.items()}
    for column in draw(st.lists(st.sampled_from(list(GOOD)), max_size=6, unique=True)):
        if column not in PersonSchema().fields or not PersonSchema().fields[column].required:
            row.pop(column)
    for column in draw(st.lists(st.sampled_from(list(GOOD)), max_size=3, unique=True)):
        kind = draw(st.sampled_from(["absent", "junk", "text"]))
        if kind == "absent":
            row.pop(column, None)
        else:
            row[column] = draw(st.sampled_from(JUNK) if kind == "junk" else st.text(max_size=12))
    if draw(st.integers(0, 9)) == 0:
        row[draw(st.sampled_from(["id", "full_name", "colour"]))] = "1"  # dump-only or unknown
    return row


def _outcome(load, schema, row):
    try:
        return "ok", load(schema, dict(row))
    except ValidationError as exc:
        return "errors", translate_messages(exc.messages)


@pytest.mark.parametrize("schema_class", [PersonSchema, MemberPersonSchema])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=rows())
def test_the_quick_load_gives_what_the_schemas_load_gives(app_ctx, schema_class, row):
    plain = schema_class()
    assert _outcome(quick_load, plain, row) == _outcome(lambda s, d: s.load(d), schema_class(), row)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=rows(), again=rows())
def test_the_importers_remembering_schemas_load_as_fresh_ones(app_ctx, row, again):
    checker = _Checker()  # its schemas' fields remember their values
    try:
        for data in (row, again, row):
            for remembered, fresh in (
                (checker.person_schema, PersonSchema()),
                (checker.member_person_schema, MemberPersonSchema()),
            ):
                assert _outcome(quick_load, remembered, data) == _outcome(lambda s, d: s.load(d), fresh, data)
    finally:
        checker.result.close()


def test_a_good_row_is_loaded_without_the_schemas_load(app_ctx, monkeypatch):
    schema = PersonSchema()
    row = {column: good[0] for column, good in GOOD.items()}
    expected = schema.load(row)
    monkeypatch.setattr(schema, "load", lambda data: pytest.fail("loaded by the schema"))
    assert quick_load(schema, row) == expected
