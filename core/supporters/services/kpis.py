"""The supporters' KPI sources (``register_kpi_sources``): planning binds targets to these keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from ...aid.models import CatalogItem
from ...extensions import db
from ...i18n import current_language
from ...i18n import lazy_gettext as _l
from ...kpi import KpiSource
from ..models import DONOR_KINDS, Agreement, Donation, Supporter


def _received(start: date, end: date):
    return Donation.received_on.between(start, end)


def kpi_received(tenant, start: date, end: date) -> int:
    """Every gift received in the period, cash and in kind (valued), in halalas."""
    return int(
        db.session.scalar(
            db.select(sa.func.coalesce(sa.func.sum(Donation.value_halalas), 0)).where(_received(start, end))
        )
    )


def kpi_program(item_id: int | None):
    """Gifts received in the period restricted to one program (``None``: unrestricted gifts)."""

    def compute(tenant, start: date, end: date) -> int:
        restriction = (
            Donation.catalog_item_id == item_id
            if item_id is not None
            else (Donation.catalog_item_id.is_(None) & Donation.season.is_(None))
        )
        total = db.session.scalar(
            db.select(sa.func.coalesce(sa.func.sum(Donation.value_halalas), 0)).where(
                _received(start, end), restriction
            )
        )
        return int(total)

    return compute


def kpi_donor_share(tenant, start: date, end: date) -> float | None:
    """Share (%) of the income recorded in the period that came from donors and partners
    (individuals, companies, foundations) rather than government bodies (seed 000's target)."""
    from_donors = sa.func.sum(sa.case((Supporter.kind.in_(DONOR_KINDS), Donation.value_halalas), else_=0))
    total, donors = db.session.execute(
        db.select(sa.func.sum(Donation.value_halalas), from_donors)
        .join(
            Supporter, (Supporter.id == Donation.supporter_id) & (Supporter.tenant_id == Donation.tenant_id)
        )
        .where(_received(start, end))
    ).one()
    return round(100 * (donors or 0) / total, 1) if total else None


def kpi_active_agreements(tenant, start: date, end: date) -> int:
    """Agreements in force on at least one day of the period."""
    return db.session.scalar(
        db.select(sa.func.count(Agreement.id)).where(Agreement.starts_on <= end, Agreement.ends_on >= start)
    )


def kpi_agreements_signed(tenant, start: date, end: date) -> int:
    """Agreements starting in the period (seed 000: "توقيع اتفاقيات … مع الداعمين والمانحين")."""
    return db.session.scalar(
        db.select(sa.func.count(Agreement.id)).where(Agreement.starts_on.between(start, end))
    )


def kpi_new_supporters(tenant, start: date, end: date) -> int:
    return db.session.scalar(
        db.select(sa.func.count(Supporter.id)).where(Supporter.created_on.between(start, end))
    )


def kpi_sources() -> list[KpiSource]:
    sources = [
        KpiSource("supporters.donations_received", _l("Donations received"), "halalas", kpi_received),
        KpiSource("supporters.donor_share", _l("Share of income from donors and partners"), "percent", kpi_donor_share),
        KpiSource("supporters.active_agreements", _l("Agreements in force with supporters"), "count", kpi_active_agreements),
        KpiSource("supporters.agreements_signed", _l("Agreements signed with supporters"), "count", kpi_agreements_signed),
        KpiSource("supporters.new", _l("New supporters"), "count", kpi_new_supporters),
        KpiSource("supporters.donations.general", _l("Unrestricted donations received"), "halalas", kpi_program(None)),
    ]  # fmt: skip
    for item in db.session.scalars(db.select(CatalogItem).order_by(CatalogItem.id)):
        sources.append(
            KpiSource(
                f"supporters.donations.program.{item.code}",
                _ProgramLabel(item.name_ar, item.name_en),
                "halalas",
                kpi_program(item.id),
            )
        )
    return sources


class _ProgramLabel:
    """ "Donations received for <program>", in the reader's language when it is read."""

    def __init__(self, name_ar: str, name_en: str) -> None:
        self.names = {"ar": name_ar, "en": name_en}

    def __str__(self) -> str:
        name = self.names.get(current_language()) or self.names["ar"]
        return str(_l("Donations received for %(program)s", program=name))

    def __repr__(self) -> Any:
        return f"<program label {self.names['en']!r}>"
