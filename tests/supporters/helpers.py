"""Plain helpers of the supporters tests (the fixtures come from core.testing)."""

from __future__ import annotations

from datetime import date

from core.aid.models import CatalogItem, Disbursement
from core.extensions import db
from core.requests.models import AidRequest
from core.supporters import services
from core.testing.factories import new_file

ON = date(2025, 11, 3)


def supporter(actor, **overrides):
    data = {
        "kind": "company",
        "name": "شركة الخير للتجارة",
        "consent_channels": ["email", "phone"],
        "preferred_channel": "email",
        "email": "giving@khair.example.com",
        "phone": "+966501000001",
    }
    data.update(overrides)
    return services.create_supporter(data, actor, on=ON)


def gift(actor, who, value: int, on: date = ON, **overrides):
    data = {
        "supporter_id": who.id,
        "kind": "cash",
        "method": "bank_transfer",
        "value_halalas": value,
        "received_on": on,
    }
    data.update(overrides)
    return services.record_donation(data, actor, on=max(on, ON))


def program(code: str = "food_basket", season: str | None = None) -> CatalogItem:
    item = CatalogItem(code=code, name_ar="سلة غذائية", name_en="Food basket", kind="in_kind", seasonal=season is not None,
                       season=season, active=True, unit="family")  # fmt: skip
    db.session.add(item)
    db.session.flush()
    return item


def paid(item: CatalogItem, value: int, on: date, file=None) -> Disbursement:
    """A disbursement of ``item`` to a household (a new one unless ``file`` is given), written directly."""
    file = file or new_file()
    request = AidRequest(state="disbursed", channel="phone", applicant_name="x", file_id=file.id, catalog_item_id=item.id,
                         number=f"X-{value}-{on.isoformat()}")  # fmt: skip
    db.session.add(request)
    db.session.flush()
    disbursement = Disbursement(request_id=request.id, kind="cash", value_halalas=value, proof_type="acknowledgement",
                                acknowledged_by="x", disbursed_on=on)  # fmt: skip
    db.session.add(disbursement)
    db.session.flush()
    return disbursement
