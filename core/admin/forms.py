"""Turning posted HTML forms into the plain dicts the services validate."""

from __future__ import annotations

import json

from marshmallow import Schema, fields

from ..i18n import lazy_gettext as _l
from ..numbers import normalize_digits

TENANT_FIELDS = (
    "slug",
    "name_ar",
    "name_en",
    "registration_number",
    "city",
    "region",
    "logo",
    "default_locale",
    "calendar_display",
    "currency",
)
TENANT_INT_FIELDS = ("founded_hijri", "founded_gregorian")
LIST_FIELDS = ("service_area", "hosts")


def split_list(value: str) -> list[str]:
    parts = [p.strip() for chunk in value.splitlines() for p in chunk.replace("،", ",").split(",")]
    return [p for p in parts if p]


def tenant_form_data(form, creating: bool) -> dict:
    data: dict = {}
    for name in TENANT_FIELDS:
        if name in form:
            value = form.get(name, "").strip()
            data[name] = value or (
                None if name in ("registration_number", "city", "region", "logo") else value
            )
    for name in TENANT_INT_FIELDS:
        if name in form:
            value = normalize_digits(form.get(name, "")).strip()
            data[name] = value or None
    for name in LIST_FIELDS:
        if name in form:
            data[name] = split_list(form.get(name, ""))
    contact = {
        key[len("contact_") :]: v.strip()
        for key, v in form.items()
        if key.startswith("contact_") and v.strip()
    }
    if contact or creating:
        data["contact"] = contact
    data["is_active"] = form.get("is_active") == "on"
    if not creating:
        data.pop("slug", None)
    return data


def field_kind(field: fields.Field) -> str:
    if isinstance(field, fields.Boolean):
        return "checkbox"
    if isinstance(field, fields.Integer | fields.Float | fields.Decimal):
        return "number"
    if isinstance(field, fields.String) and not isinstance(field, fields.Email):
        return "text"
    if isinstance(field, fields.Email):
        return "email"
    return "json"


def settings_fields(schema: Schema | None, values: dict) -> list[dict]:
    if schema is None:
        return []
    rows = []
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        kind = field_kind(field)
        value = values.get(name)
        rows.append(
            {
                "name": name,
                "kind": kind,
                "label": field.metadata.get("label", name),
                "help": field.metadata.get("description", ""),
                "value": json.dumps(value, ensure_ascii=False, indent=2) if kind == "json" else value,
            }
        )
    return rows


def settings_form_data(schema: Schema | None, form) -> tuple[dict, dict]:
    """(settings, errors): JSON fields that do not parse are reported by field."""
    if schema is None:
        return {}, {}
    data: dict = {}
    errors: dict = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = f"settings-{name}"
        kind = field_kind(field)
        if kind == "checkbox":
            data[name] = form.get(key) == "on"
            continue
        raw = form.get(key, "")
        if raw.strip() == "":
            continue
        if kind == "json":
            try:
                data[name] = json.loads(raw)
            except ValueError:
                errors[name] = [_l("Not valid JSON.")]
        elif kind == "number":
            data[name] = normalize_digits(raw).strip()
        else:
            data[name] = raw.strip()
    return data, errors
