"""The tenant's donations as an XLSX workbook for the finance office (audited): one row per gift."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from ...aid.models import CatalogItem
from ...extensions import db
from ..models import Donation, Supporter
from .common import audit, check_manage

COLUMNS = (
    "receipt_number", "received_on", "supporter", "supporter_kind", "kind", "method", "value_sar", "description",
    "quantity", "program", "campaign",
)  # fmt: skip


def export_xlsx(actor: Any, start: date | None = None, end: date | None = None) -> bytes:
    check_manage(actor)
    query = (
        db.select(Donation, Supporter.name, Supporter.kind, CatalogItem.code)
        .join(
            Supporter, (Supporter.id == Donation.supporter_id) & (Supporter.tenant_id == Donation.tenant_id)
        )
        .outerjoin(
            CatalogItem,
            (CatalogItem.id == Donation.catalog_item_id) & (CatalogItem.tenant_id == Donation.tenant_id),
        )
        .order_by(Donation.received_on, Donation.receipt_year, Donation.receipt_seq)
    )
    if start:
        query = query.where(Donation.received_on >= start)
    if end:
        query = query.where(Donation.received_on <= end)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("donations")
    sheet.append(list(COLUMNS))
    count = 0
    for donation, name, kind, code in db.session.execute(query):
        sheet.append([
            donation.receipt_number, donation.received_on.isoformat(), name, kind, donation.kind, donation.method,
            donation.value_halalas / 100, donation.description, donation.quantity, code, donation.season,
        ])  # fmt: skip
        count += 1
    audit("export", "donation", 0, actor, {"rows": count})
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
