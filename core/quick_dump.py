"""A marshmallow schema's dump of one object, planned once per schema instead of per field.

marshmallow serialises each field of each object through five calls (``Field.serialize``,
``get_value``, the schema's ``get_attribute``, ``utils.get_value``, ``_serialize``): for the
request detail (thirty fields and a timeline) that was a sixth of the whole request's Python
calls. :class:`QuickDump` reads the plain fields — ``String``, ``Integer``, ``Boolean``
exactly, read from an attribute of the same name or their ``attribute=`` (no dotted path, no
``dump_default``) — with one ``getattr`` and gives back what marshmallow would: ``None`` as
``None``, a value already of the field's type as it is, anything else through the field's
own ``_serialize``; an attribute the object does not have leaves the key out, as marshmallow
does. Every other field (``Method``, ``Function``, ``Nested``, dates, custom fields) goes
through marshmallow unchanged, and so does an object read by key (a mapping), a schema with
its own ``get_attribute``, and ``pre_dump``/``post_dump`` hooks (they wrap ``_serialize``).
``tests/test_quick_dump.py`` checks the output equals marshmallow's for random objects.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing

_PLAIN = {fields.String: str, fields.Integer: int, fields.Boolean: bool}


def _plan(schema: Schema) -> tuple | None:
    """(key in the output, attribute, the type kept as is, field, field name) per dump field —
    the type ``None`` for a field marshmallow serialises itself; ``None`` for a schema that
    reads its objects in its own way."""
    if type(schema).get_attribute is not Schema.get_attribute:
        return None
    plan = []
    for name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else name
        attribute = field.attribute if field.attribute is not None else name
        kept = _PLAIN.get(type(field))
        if (
            kept is None
            or not isinstance(attribute, str)
            or "." in attribute
            or field.dump_default is not missing
            or getattr(field, "as_string", False)
        ):
            kept = None
        plan.append((key, attribute, kept, field, name))
    return tuple(plan)


class QuickDump(Schema):
    """A :class:`marshmallow.Schema` whose dump of an object reads its plain fields directly
    (see the module's docstring); the output is marshmallow's."""

    def _serialize(self, obj: Any, *, many: bool = False):
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        plan = self.__dict__.get("_quick_plan", missing)
        if plan is missing:
            plan = self.__dict__["_quick_plan"] = _plan(self)
        if plan is None or obj is None or hasattr(obj, "__getitem__"):
            return super()._serialize(obj, many=False)
        accessor = self.get_attribute
        out = self.dict_class()
        for key, attribute, kept, field, name in plan:
            if kept is None:
                value = field.serialize(name, obj, accessor=accessor)
            else:
                value = getattr(obj, attribute, missing)
                if value is None or value is missing or type(value) is kept:
                    pass
                else:
                    value = field._serialize(value, name, obj)
            if value is not missing:
                out[key] = value
        return out
