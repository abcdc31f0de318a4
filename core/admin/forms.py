"""Turning posted HTML forms into the plain dicts the services validate."""

from __future__ import annotations

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
