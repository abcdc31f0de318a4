"""JSON answers encoded by orjson: Flask's JSON provider, its ``response`` (``jsonify``, every
API answer) several times faster and the same JSON.

What the standard encoder does, this does too: keys sorted (Flask's default); dates, times and
datetimes, dataclasses, ``Decimal``, UUIDs and anything with ``__html__`` through Flask's own
``default`` (an HTTP date for a datetime, as before). Text is written as UTF-8 instead of
``\\uXXXX`` escapes (the same JSON, a third of the bytes for Arabic). What orjson refuses and the
standard encoder takes — an integer beyond 64 bits — is answered by the standard encoder; a
debug app's indented answers too. ``dumps`` and ``loads`` (the ``tojson`` filter, ``flask.json``)
are Flask's own."""

from __future__ import annotations

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
