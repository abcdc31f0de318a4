"""Core's KPI sources (``core.kpi``) over the requests, disbursements and registry, registered by
planning's built-in plugin: approved requests, disbursements (count and sum, overall and per
aid program), beneficiary files by status. Each lists the records behind its figure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..aid.models import Disbursement
from ..calendar import local_time
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..i18n import localized
from ..kpi import KpiSource
from ..numbers import format_halalas
from ..registry.labels import LABELS as REGISTRY_LABELS
from ..registry.models import FILE_STATUSES, BeneficiaryFile
from ..requests.models import AidRequest, CatalogItem, Decision

RECORDS_LIMIT = 500


def _approved(start: date, end: date):
    return (
        db.select(Decision.request_id, Decision.decided_on)
        .where(Decision.outcome == "approved", Decision.decided_on >= start, Decision.decided_on <= end)
        .subquery()
    )


def approved_requests(tenant: Any, start: date, end: date) -> int:
    approved = _approved(start, end)
    return db.session.scalar(db.select(db.func.count(db.distinct(approved.c.request_id))))


def approved_request_records(tenant: Any, start: date, end: date) -> list[dict]:
    approved = _approved(start, end)
    rows = db.session.execute(
        db.select(AidRequest.id, AidRequest.number, approved.c.decided_on)
        .join(approved, approved.c.request_id == AidRequest.id)
        .order_by(approved.c.decided_on, AidRequest.id)
        .limit(RECORDS_LIMIT)
    ).all()
    return [
        {"label": number or f"#{rid}", "date": day, "value": None, "endpoint": "requests.view",
         "values": {"request_id": rid}}
        for rid, number, day in rows
    ]  # fmt: skip


def _disbursed(start: date, end: date, item_id: int | None):
    query = db.select(Disbursement).where(
        Disbursement.disbursed_on >= start, Disbursement.disbursed_on <= end
    )
    if item_id is not None:
        query = query.where(Disbursement.catalog_item_id == item_id)
    return query


def disbursement_figures(start: date, end: date, item_id: int | None = None) -> tuple[int, int]:
    """How many disbursements, and how many halalas, in ``start``..``end`` (of one program)."""
    inner = _disbursed(start, end, item_id).subquery()
    count, total = db.session.execute(
        db.select(db.func.count(), db.func.coalesce(db.func.sum(inner.c.value_halalas), 0))
    ).one()
    return int(count), int(total)


def disbursement_records(start: date, end: date, item_id: int | None = None) -> list[dict]:
    rows = db.session.scalars(
        _disbursed(start, end, item_id)
        .order_by(Disbursement.disbursed_on, Disbursement.id)
        .limit(RECORDS_LIMIT)
    ).all()
    return [
        {"label": f"#{d.id}", "date": d.disbursed_on, "value": format_halalas(d.value_halalas),
         "endpoint": "requests.view", "values": {"request_id": d.request_id}}
        for d in rows
    ]  # fmt: skip


def _count_of(item_id: int | None) -> Callable:
    return lambda tenant, start, end: disbursement_figures(start, end, item_id)[0]


def _sum_of(item_id: int | None) -> Callable:
    return lambda tenant, start, end: disbursement_figures(start, end, item_id)[1]


def _records_of(item_id: int | None) -> Callable:
    return lambda tenant, start, end: disbursement_records(start, end, item_id)


def _files_in(status: str) -> Callable:
    def compute(tenant: Any, start: date, end: date) -> int:
        return db.session.scalar(
            db.select(db.func.count()).select_from(BeneficiaryFile).where(BeneficiaryFile.status == status)
        )

    return compute


def _file_records(status: str) -> Callable:
    def records(tenant: Any, start: date, end: date) -> list[dict]:
        rows = db.session.execute(
            db.select(BeneficiaryFile.id, BeneficiaryFile.household_id, BeneficiaryFile.status_changed_at)
            .where(BeneficiaryFile.status == status)
            .order_by(BeneficiaryFile.id)
            .limit(RECORDS_LIMIT)
        ).all()
        return [
            {"label": f"#{fid}", "date": local_time(changed, tenant).date(), "value": None, "endpoint": "registry.household",
             "values": {"household_id": household_id}}
            for fid, household_id, changed in rows
        ]  # fmt: skip

    return records


def core_sources() -> list[KpiSource]:
    """The sources over core's own data, one pair per aid program of the tenant's catalog."""
    sources = [
        KpiSource("requests.approved", _l("Aid requests approved"), "count", approved_requests,
                  approved_request_records, "requests.view"),
        KpiSource("aid.disbursements", _l("Disbursements"), "count", _count_of(None), _records_of(None),
                  "requests.view"),
        KpiSource("aid.disbursed", _l("Amount disbursed"), "halalas", _sum_of(None), _records_of(None),
                  "requests.view"),
    ]  # fmt: skip
    for item in db.session.scalars(db.select(CatalogItem).order_by(CatalogItem.id)):
        name = localized(item, "name")
        sources.append(
            KpiSource(f"aid.disbursements.{item.code}", _l("Disbursements of %(program)s", program=name),
                      "count", _count_of(item.id), _records_of(item.id), "requests.view")
        )  # fmt: skip
        sources.append(
            KpiSource(f"aid.disbursed.{item.code}", _l("Amount disbursed by %(program)s", program=name),
                      "halalas", _sum_of(item.id), _records_of(item.id), "requests.view")
        )  # fmt: skip
    for status in FILE_STATUSES:
        sources.append(
            KpiSource(f"registry.files.{status}",
                      _l("Beneficiary files: %(status)s", status=REGISTRY_LABELS.get(status, status)),
                      "count", _files_in(status), _file_records(status), "registry.read")
        )  # fmt: skip
    return sources
