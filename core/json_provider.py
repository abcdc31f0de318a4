"""JSON by orjson where it is hot: Flask's JSON provider, its ``response`` (``jsonify``, every
API answer) several times faster and the same JSON; and :func:`loads`, the database engines'
reader of JSON columns (``create_app``: SQLAlchemy's ``json_deserializer``).

What the standard encoder does, this does too: keys sorted (Flask's default); dates, times and
datetimes, dataclasses, ``Decimal``, UUIDs and anything with ``__html__`` through Flask's own
``default`` (an HTTP date for a datetime, as before). Text is written as UTF-8 instead of
``\\uXXXX`` escapes (the same JSON, a third of the bytes for Arabic). What orjson refuses and the
standard encoder takes — an integer beyond 64 bits — is answered by the standard encoder; a
debug app's indented answers too. ``dumps`` and ``loads`` (the ``tojson`` filter, ``flask.json``)
are Flask's own."""

from __future__ import annotations

import json
import re

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


class JSONProvider(DefaultJSONProvider):
    def response(self, *args, **kwargs):
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)  # indented for a person reading it
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


_LONG_NUMBER = re.compile(rb"[0-9]{19}")
_NOT_DIGITS = bytes(set(range(256)) - set(b"0123456789"))


def loads(text: str | bytes):
    """A JSON column's value as the standard ``json.loads`` reads it, by orjson (several times
    faster; psycopg hands bytes, SQLite text). What orjson would read differently goes to the
    standard reader: a run of 19 digits or more (orjson reads an integer beyond 64 bits as a
    float) — looked for only in a text with that many digits at all, the cheaper count — and
    any text orjson refuses (an infinite number, a lone surrogate, escaped or not)."""
    try:
        data = text.encode() if isinstance(text, str) else text
        if len(data.translate(None, _NOT_DIGITS)) < 19 or _LONG_NUMBER.search(data) is None:
            return orjson.loads(data)
    except (orjson.JSONDecodeError, UnicodeEncodeError):
        pass
    return json.loads(text)
