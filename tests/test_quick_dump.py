"""``core.quick_dump.QuickDump``: the same output as marshmallow's own dump, for any object."""

from __future__ import annotations

import enum
import json
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, post_dump

from core.quick_dump import QuickDump
from core.requests.schemas import RequestDetailSchema


class Colour(enum.StrEnum):
    RED = "red"


_ANY = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from([Colour.RED, b"bytes", 0, 1, "true", "0"]),
)
_NAMES = ("name", "count", "flag", "text_id", "nickname", "label", "extra")


def _fields(quick: bool) -> dict:
    # The same fields on both sides: plain ones, renamed, read from another attribute, with a
    # default, as text, and kinds QuickDump leaves to marshmallow.
    return {
        "name": fields.String(allow_none=True),
        "count": fields.Integer(allow_none=True),
        "flag": fields.Boolean(allow_none=True),
        "text_id": fields.Integer(as_string=True, allow_none=True),
        "label": fields.String(attribute="nickname", data_key="title", allow_none=True),
        "fallback": fields.String(attribute="missing_here", dump_default="none given"),
        "extra": fields.Raw(allow_none=True),
        "shout": fields.Function(lambda obj: str(getattr(obj, "name", "")).upper()),
        "child": fields.Nested(
            (QuickDump if quick else Schema).from_dict({"count": fields.Integer(allow_none=True)}),
            allow_none=True,
        ),
    }


Plain = Schema.from_dict(_fields(False), name="Plain")
Quick = QuickDump.from_dict(_fields(True), name="Quick")


class Thing:
    pass


def _thing(values: dict, child: dict | None):
    thing = Thing()
    for key, value in values.items():
        setattr(thing, key, value)
    if child is not None:
        thing.child = _thing(child, None)
    return thing


def _outcome(schema, obj):
    """The dump, or the kind of error marshmallow raised (a value its field cannot convert)."""
    try:
        return json.dumps(schema.dump(obj), sort_keys=True, default=repr)  # True is not 1 here
    except (TypeError, ValueError, OverflowError) as error:
        return type(error)


@settings(max_examples=300, deadline=None)
@given(
    values=st.dictionaries(st.sampled_from(_NAMES), _ANY),
    child=st.none() | st.dictionaries(st.just("count"), _ANY),
)
def test_a_quick_dump_equals_marshmallows_for_any_object(values, child):
    thing = _thing(values, child)
    assert _outcome(Quick(), thing) == _outcome(Plain(), thing)


@settings(max_examples=100, deadline=None)
@given(values=st.dictionaries(st.sampled_from(_NAMES), _ANY))
def test_mappings_and_many_dump_as_marshmallow_does(values):
    assert _outcome(Quick(), values) == _outcome(Plain(), values)
    assert _outcome(Quick(many=True), [values, values]) == _outcome(Plain(many=True), [values, values])


def test_hooks_around_the_dump_still_run():
    class Hooked(QuickDump):
        name = fields.String()

        @post_dump
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}

    assert Hooked().dump(_thing({"name": "noura"}, None)) == {"name": "NOURA"}


def test_the_request_detail_dumps_as_marshmallow_does(app_ctx, new_request):
    request = new_request()
    request.actions = ["submit"]
    quick = RequestDetailSchema().dump(request)
    plain = type(
        "PlainDetail",
        (Schema,),
        {
            **RequestDetailSchema._declared_fields,
            "_submitted_display": RequestDetailSchema._submitted_display,
        },
    )
    assert quick == plain().dump(request)
    assert quick["events"] and quick["actions"] == ["submit"] and "days_waiting" not in quick
    assert isinstance(datetime.fromisoformat(quick["events"][0]["at"]), datetime)
