"""Shared by the plugin's tests: the application's data as a client sends it, requests at
each stage, the seed's figures."""

from __future__ import annotations

from datetime import timedelta

from core.testing import PNG  # noqa: F401 (the tests take it from here with the helpers)
from core.toolkit import (
    CatalogItem,
    check_digit_for,
    db,
)
from core.toolkit import today as tenant_today
from core.toolkit import upload_document as upload
from plugins.makkah_aid.services import record_assessment

SAR = 100
API = "/t/first/api/v1/makkah_aid"


def national_id(n: int) -> str:
    base = f"1{n:08d}"
    return base + check_digit_for(base)


def application(**overrides) -> dict:
    """The plugin's request fields as a client sends them (amounts in riyals, any digit script)."""
    data = {
        "nationality": "سعودية",
        "id_number": national_id(4242),
        "id_expiry": (tenant_today() + timedelta(days=365)).isoformat(),
        "current_job": "لا تعمل",
        "monthly_income": "2000",
        "dependents_count": 1,
        "dependents": [{"name": "سارة", "relationship": "daughter", "job": "", "monthly_income": "0"}],
        "housing": "rented",
        "annual_rent": "15000",
    }
    data.update(overrides)
    return data


def catalog_id() -> int:
    return db.session.scalars(db.select(CatalogItem.id).order_by(CatalogItem.id)).first()


def attach(request, *doc_types):
    for doc_type in doc_types:
        upload(PNG, "doc.png", {"doc_type": doc_type, "request_id": request.id})


def complete_request(new_request, file=None, **overrides):
    request = new_request(
        catalog_item_id=catalog_id(),
        file_id=file.id if file else None,
        extra={"makkah_aid": application(**overrides)},
    )
    attach(request, "id_copy", "lease")
    return request


def in_committee(new_request, advance, file=None, needs=None):
    """A complete request sent to the committee: the need-gap assessment (``needs``, default
    ``NEEDS_B``) is recorded first, as the plugin requires before the committee."""
    request = advance(complete_request(new_request, file), "verified")
    record_assessment(request, {"needs": needs or NEEDS_B}, None)
    return advance(request, "in_committee")


NEEDS_B = {
    "food_drink": 30_000 * SAR,
    "medical": 6_000 * SAR,
    "housing": 18_000 * SAR,
    "education": 6_000 * SAR,
}
# needs 60,000; income = (2,000 + 500) × 12 = 30,000 (the son living away does not count) → gap 30,000 → C.
