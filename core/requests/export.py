"""The requests of a filtered work queue as an XLSX sheet: headers in the page's language
(Arabic first), every value in words (states, programs), amounts in riyals, dates in the
tenant's calendar. Permission ``requests.export``; every export is audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..audit.services import record
from ..calendar import format_date
from ..downloads import xlsx_response
from ..i18n import current_language
from ..i18n import gettext as _
from ..tenancy import require_tenant
from . import services
from .workflow import state_label

# Larger exports are refused with a message asking for a narrower filter.
MAX_ROWS = 20000


def riyals(halalas: int | None) -> Decimal | None:
    """Halalas as a riyal amount a spreadsheet can add up (``150050`` → ``1500.50``)."""
    return None if halalas is None else (Decimal(halalas) / 100).quantize(Decimal("0.01"))


def request_headers() -> list[str]:
    return [
        _("Request number"),
        _("Applicant"),
        _("Mobile"),
        _("City"),
        _("Program"),
        _("Amount requested (SAR)"),
        _("Amount approved (SAR)"),
        _("State"),
        _("Submitted"),
        _("Working days waiting"),
        _("Overdue"),
        _("Decided"),
    ]


def request_row(row: services.QueueRow) -> list[Any]:
    item = row.request
    return [
        item.number or _("Draft #%(id)s", id=item.id),
        item.applicant_name,
        item.applicant_phone or "",
        item.applicant_city or "",
        row.program or "",
        riyals(item.requested_halalas),
        riyals(item.approved_halalas),
        state_label(item.state),
        format_date(item.submitted_at) if item.submitted_at else "",
        row.days_waiting,
        _("Yes") if row.overdue else _("No"),
        format_date(item.decided_at) if item.decided_at else "",
    ]


def export_requests(queue: str, actor: Any, filters: services.QueueFilters):
    """The XLSX download of the queue's requests (oldest waiting first), audited."""
    found = services.queue_page(queue, actor, filters, per_page=MAX_ROWS)
    record(
        "requests.exported",
        "AidRequest",
        None,
        {"queue": queue, "rows": len(found.rows), "filters": _filters_json(filters)},
    )
    tenant = require_tenant()
    title = _("Requests")
    return xlsx_response(
        f"{title}-{tenant.slug}.xlsx",
        title,
        request_headers(),
        (request_row(row) for row in found.rows),
        rtl=current_language() == "ar",
    )


def _filters_json(filters: services.QueueFilters) -> dict:
    return {k: v for k, v in vars(filters).items() if v is not None}
