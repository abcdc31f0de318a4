"""JSON answers (``core.json_provider``): encoded by orjson, the same JSON Flask's own encoder
writes for anything a view can hand to ``jsonify``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import uuid

from flask.json.provider import DefaultJSONProvider
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extensions import db
from core.i18n import lazy_text
from core.json_provider import JSONProvider, loads

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too: the standard encoder's answer
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.datetimes(timezones=st.none() | st.just(dt.UTC))
    | st.dates()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.uuids()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=4)
    ),  # Flask's own cannot sort mixed keys
    max_leaves=12,
)


@dataclasses.dataclass
class _Row:
    name: str
    amount: decimal.Decimal


def _both(app, value):
    with app.app_context():
        ours = JSONProvider(app).response(value)
        flasks = DefaultJSONProvider(app).response(value)
    return ours, flasks


@settings(max_examples=300, deadline=None)
@given(value=_VALUES)
def test_an_answer_is_the_json_flask_would_write(app, value):
    ours, flasks = _both(app, value)
    assert ours.mimetype == flasks.mimetype == "application/json"
    assert json.loads(ours.get_data()) == json.loads(flasks.get_data())


def test_keys_are_sorted_arabic_is_utf8_and_dates_are_http_dates(app):
    moment = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
    row = _Row("نورة", decimal.Decimal("12.50"))
    ours, flasks = _both(app, {"b": moment, "a": row, "c": uuid.UUID(int=7), "3": dt.date(2026, 4, 1)})
    body = ours.get_data(as_text=True)
    assert body.index('"3"') < body.index('"a"') < body.index('"b"') < body.index('"c"')
    assert "نورة" in body and "\\u" not in body
    assert (
        json.loads(body)
        == json.loads(flasks.get_data())
        == {
            "3": "Wed, 01 Apr 2026 00:00:00 GMT",
            "a": {"name": "نورة", "amount": "12.50"},
            "b": "Tue, 31 Mar 2026 22:30:00 GMT",
            "c": "00000000-0000-0000-0000-000000000007",
        }
    )


def test_a_lazy_label_is_written_in_the_reader_language(app):
    with app.test_request_context("/?lang=ar"):
        ours = JSONProvider(app).response({"label": lazy_text(str.upper, "done")})
    assert json.loads(ours.get_data()) == {"label": "DONE"}


def test_an_api_answer_goes_through_it(client):
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401 and answer.is_json


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # 64 bits and beyond: orjson alone would read a float
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, as_bytes=st.booleans())
def test_a_json_column_reads_what_the_standard_reader_reads(value, as_bytes):
    text = json.dumps(value)
    read = loads(text.encode() if as_bytes else text)
    assert read == json.loads(text)
    assert json.dumps(read) == text  # the same types too: an int stays an int


def test_what_orjson_refuses_is_read_by_the_standard_reader():
    assert loads('"\\ud800"') == json.loads('"\\ud800"')  # a lone surrogate, escaped
    assert loads('"\ud800"') == "\ud800"  # and as it is (text that cannot be UTF-8)
    assert loads(b"[18446744073709551616]") == [2**64]


def test_the_database_engine_reads_json_columns_with_it(app):
    with app.app_context():
        assert db.engine.dialect._json_deserializer is loads
