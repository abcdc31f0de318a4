"""The tenant's list of crime categories: the spec's defaults, extended by the tenant admin."""

from __future__ import annotations

import sqlalchemy as sa

from core.toolkit import Invalid, audit_record, current_language, db, unique_field

from .. import rules
from ..i18n import _l
from ..models import Category
from ..schemas import CategorySchema

ADDED = "crime_victims.category.added"
DUPLICATE_CODE = _l("A category with this code exists already.")
# A duplicate that slips past the check (two at once) answers the same field error.
unique_field("uq_crime_victims_categories_tenant_id_code", "code", DUPLICATE_CODE)


def ensure_defaults() -> None:
    """Install the spec's default categories once for the tenant in context (the caller commits)."""
    if db.session.scalar(sa.select(sa.func.count(Category.id))):
        return
    for position, (code, name_ar, name_en) in enumerate(rules.DEFAULT_CATEGORIES):
        db.session.add(Category(code=code, name_ar=name_ar, name_en=name_en, position=position))
    db.session.flush()


def categories(active_only: bool = True) -> list[Category]:
    query = sa.select(Category).order_by(Category.position, Category.id)
    if active_only:
        query = query.where(Category.active.is_(True))
    found = list(db.session.scalars(query))
    if not found and active_only:
        # A tenant that never saved its list uses the spec's defaults.
        return [
            Category(code=code, name_ar=name_ar, name_en=name_en, position=i, active=True)
            for i, (code, name_ar, name_en) in enumerate(rules.DEFAULT_CATEGORIES)
        ]
    return found


def category_choices() -> list[tuple[str, str]]:
    """``(code, name)`` of the active categories in the reader's language."""
    english = current_language() == "en"
    return [(c.code, (c.name_en or c.name_ar) if english else c.name_ar) for c in categories()]


def category_label(code: str) -> str:
    return dict(category_choices()).get(code, code)


def add_category(data: dict, actor) -> Category:
    """Add a category to the tenant's list (audited; the caller commits)."""
    values = CategorySchema().load(data)
    ensure_defaults()
    if db.session.scalar(sa.select(Category.id).where(Category.code == values["code"])):
        raise Invalid({"code": [DUPLICATE_CODE]})
    last = db.session.scalar(sa.select(sa.func.max(Category.position))) or 0
    category = Category(**values, position=last + 1)
    db.session.add(category)
    db.session.flush()
    audit_record(ADDED, "crime_victims_category", category.id, {"code": category.code}, user=actor)
    return category
