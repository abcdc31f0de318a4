"""A marshmallow schema's dump of one object, planned once per schema instead of per field.

marshmallow serialises each field of each object through five calls (``Field.serialize``,
``get_value``, the schema's ``get_attribute``, ``utils.get_value``, ``_serialize``): for the
request detail (thirty fields and a timeline) that was a sixth of the whole request's Python
calls. :class:`QuickDump` reads the plain fields — ``String``, ``Integer``, ``Boolean``
exactly, read from an attribute of the same name or their ``attribute=`` (no dotted path, no
``dump_default``) — with one ``getattr`` and gives back what marshmallow would: ``None`` as
``None``, a value already of the field's type as it is, anything else through the field's
own ``_serialize``; an attribute the object does not have leaves the key out, as marshmallow
does. Every other field (``Nested``, dates, custom fields) has its value read the same way and
handed to its own ``_serialize`` (what ``Field.serialize`` does after its three lookups), and a
field that reads no attribute (``Method``, ``Function``) is called at once; a field with its own
``serialize`` or ``get_value``, a dotted ``attribute`` or a ``dump_default`` goes through
marshmallow unchanged, and so does an object read by key (a mapping), a schema with its own
``get_attribute``, and ``pre_dump``/``post_dump`` hooks (they wrap ``_serialize``).
``tests/test_quick_dump.py`` checks the output equals marshmallow's for random objects.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing

_PLAIN = {fields.String: str, fields.Integer: int, fields.Boolean: bool}


# How a field is read: its plain type kept as is; any other field's value read by one
# ``getattr`` and handed to its own ``_serialize``; a field that reads no attribute (``Method``,
# ``Function``) called at once; or marshmallow's own ``Field.serialize``.
_KEPT, _DIRECT, _COMPUTED, _MARSHMALLOW = range(4)


def _plan(schema: Schema) -> tuple | None:
    """(key in the output, attribute, how, the type kept as is, field, field name) per dump
    field; ``None`` for a schema that reads its objects in its own way."""
    if type(schema).get_attribute is not Schema.get_attribute:
        return None
    plan = []
    for name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else name
        attribute = field.attribute if field.attribute is not None else name
        kept = _PLAIN.get(type(field))
        own_reading = (
            type(field).serialize is not fields.Field.serialize
            or type(field).get_value is not fields.Field.get_value
        )
        if own_reading:
            how = _MARSHMALLOW
        elif not field._CHECK_ATTRIBUTE:
            how = _COMPUTED
        elif not isinstance(attribute, str) or "." in attribute or field.dump_default is not missing:
            how = _MARSHMALLOW
        elif kept is not None and not getattr(field, "as_string", False):
            how = _KEPT
        else:
            how = _DIRECT
        plan.append((key, attribute, how, kept, field, name))
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
        for key, attribute, how, kept, field, name in plan:
            if how == _KEPT:
                value = getattr(obj, attribute, missing)
                if not (value is None or value is missing or type(value) is kept):
                    value = field._serialize(value, name, obj)
            elif how == _DIRECT:
                value = getattr(obj, attribute, missing)
                if value is not missing:
                    value = field._serialize(value, name, obj)
            elif how == _COMPUTED:
                value = field._serialize(None, name, obj)
            else:
                value = field.serialize(name, obj, accessor=accessor)
            if value is not missing:
                out[key] = value
        return out
