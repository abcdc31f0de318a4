"""The disbursements recorded against approved requests, and the aid catalog.

``CatalogItem`` (what a request asks for) lives with the requests (``core.requests.models``)
and is re-exported here: aid depends on requests, never the other way round.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..requests.models import CatalogItem
from ..tenancy import TenantMixin, tenant_foreign_key, utcnow

KINDS = ("cash", "in_kind")
UNITS = ("individual", "family")
SEASONS = (
    "school_bag",
    "ramadan_basket",
    "iftar",
    "zakat_al_fitr",
    "eid_clothing",
    "udhiya",
    "winter_clothing",
)
DELIVERY_MODES = ("direct", "provider")  # the association delivers itself / pays a provider
PROOF_TYPES = ("document", "acknowledgement")


__all__ = ["DELIVERY_MODES", "KINDS", "PROOF_TYPES", "SEASONS", "UNITS", "CatalogItem", "Disbursement"]


class Disbursement(TenantMixin, db.Model):
    """Aid handed over for an approved request, with its proof of receipt (إثبات الاستلام)."""

    __tablename__ = "aid_disbursements"
    __tenant_table_args__ = (
        tenant_foreign_key("request_id", "requests_requests", ondelete="CASCADE"),
        tenant_foreign_key("catalog_item_id", "aid_catalog_items"),
        tenant_foreign_key("proof_document_id", "documents"),
        sa.Index("ix_aid_disbursements_tenant_request", "tenant_id", "request_id"),
    )

    request_id: Mapped[int]
    catalog_item_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(sa.String(20))
    value_halalas: Mapped[int] = mapped_column(sa.BigInteger)
    quantity: Mapped[int] = mapped_column(default=1)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    delivery_mode: Mapped[str] = mapped_column(sa.String(20), default="direct")
    provider_name: Mapped[str | None] = mapped_column(sa.String(255))
    proof_type: Mapped[str] = mapped_column(sa.String(20))
    # The receipt (a scan or photo) kept in core.documents, attached to the request.
    proof_document_id: Mapped[int | None]
    acknowledged_by: Mapped[str | None] = mapped_column(sa.String(255))
    disbursed_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
