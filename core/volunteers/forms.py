"""The pages' forms read into the API's schemas (lists from checkboxes, areas from one line),
and the words every volunteer page shows for the module's codes."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..i18n import current_language, localized
from ..i18n import lazy_gettext as _l
from ..requests.models import CatalogItem
from . import labels, services
from .models import DAYS, KINDS, OPPORTUNITY_KINDS

LIST_FIELDS = ("skills", "days")
VOLUNTEER_FIELDS = (
    "name", "phone", "email", "city", "kind", "organisation_name", "available_from", "available_to", "notes",
)  # fmt: skip
OPPORTUNITY_FIELDS = (
    "kind", "title", "description", "on_date", "starts_at", "ends_at", "location", "places", "catalog_item_id",
    "supervisor_id",
)  # fmt: skip
AREAS_HELP = _l("Neighbourhoods or towns, separated by commas.")


def blank_free(form, names: tuple[str, ...]) -> dict:
    """The submitted fields that are not blank (a blank field is a missing one)."""
    return {k: form[k].strip() for k in names if (form.get(k) or "").strip()}


def volunteer_form(form) -> dict:
    data: dict[str, Any] = blank_free(form, VOLUNTEER_FIELDS)
    for name in LIST_FIELDS:
        data[name] = form.getlist(name)
    data["areas"] = [a.strip() for a in (form.get("areas") or "").replace("،", ",").split(",") if a.strip()]
    data["field_visits"] = form.get("field_visits") == "yes"
    return data


def opportunity_form(form) -> dict:
    data: dict[str, Any] = blank_free(form, OPPORTUNITY_FIELDS)
    data["skills"] = form.getlist("skills")
    return data


def hours(minutes: int | None) -> float | int:
    """Minutes as hours, one decimal, a whole number without it (shown with ``|number``)."""
    value = round((minutes or 0) / 60, 1)
    return int(value) if value == int(value) else value


def catalog_options() -> list[tuple[str, str]]:
    items = db.session.scalars(db.select(CatalogItem).order_by(CatalogItem.id)).all()
    return [(str(item.id), localized(item, "name")) for item in items]


def context() -> dict[str, Any]:
    """The words and choices every volunteer page needs."""
    lang = current_language()
    skill_options = [(s["code"], s.get(f"label_{lang}") or s["label_ar"]) for s in services.skills()]
    return {
        "labels": labels,
        "skill_options": skill_options,
        "skill_label": services.skill_label,
        "day_options": [(d, labels.DAY_LABELS[d]) for d in DAYS],
        "kind_options": [(k, labels.KIND_LABELS[k]) for k in KINDS],
        "opportunity_kind_options": [(k, labels.OPPORTUNITY_KIND_LABELS[k]) for k in OPPORTUNITY_KINDS],
        "hours": hours,
        "areas_help": AREAS_HELP,
    }


def skill_rows(form) -> list[dict]:
    """The skill page's rows (``code-N``, ``label_ar-N``, ``label_en-N``) that are not blank."""
    rows = []
    for n in range(200):
        if f"code-{n}" not in form:
            break
        row = {key: (form.get(f"{key}-{n}") or "").strip() for key in ("code", "label_ar", "label_en")}
        if any(row.values()):
            rows.append({**row, "label_en": row["label_en"] or None})
    return rows
