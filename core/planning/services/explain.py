"""The records behind a computed figure (a click on it): the disbursements of an activity's aid
program, or the records a KPI source lists, for one month or the year so far — shown only to a
viewer whose role may read them (otherwise the figure and a sentence saying why, no records)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...auth.permissions import can
from ...i18n import lazy_gettext as _l
from ...tenancy import current_tenant
from ..kpis import disbursement_records
from ..models import Activity, Indicator, Plan
from .figures import _sources_by_key
from .periods import month_ranges, year_range


def _period(plan: Plan, month: int | None, today: date) -> tuple[date, date]:
    months = month_ranges(plan.fiscal_year, plan.calendar)
    if month:
        return months[month - 1]
    start, end = year_range(months)
    return start, min(end, max(today, start))


def explain_activity(plan: Plan, activity: Activity, month: int | None, user: Any, today: date) -> dict:
    start, end = _period(plan, month, today)
    if not activity.catalog_item_id:
        return {"computed": False, "start": start, "end": end, "records": [], "hidden": False,
                "why": str(_l("This activity is entered by hand; no records are behind it."))}  # fmt: skip
    if not can(user, "requests.view"):
        return {"computed": True, "start": start, "end": end, "records": [], "hidden": True,
                "why": str(_l("Your role may not read the disbursements behind this figure."))}  # fmt: skip
    records = disbursement_records(start, end, activity.catalog_item_id)
    return {"computed": True, "start": start, "end": end, "records": records, "hidden": False,
            "why": str(_l("The disbursements of the linked aid program in this period."))}  # fmt: skip


def explain_indicator(plan: Plan, indicator: Indicator, month: int | None, user: Any, today: date) -> dict:
    start, end = _period(plan, month, today)
    source = _sources_by_key().get(indicator.kpi_source or "")
    if source is None:
        return {"computed": False, "start": start, "end": end, "records": [], "hidden": False,
                "why": str(_l("This indicator is entered by hand; no records are behind it."))}  # fmt: skip
    if source.records is None:
        return {"computed": True, "start": start, "end": end, "records": [], "hidden": False,
                "why": str(_l("%(source)s computes this figure; it does not list its records.", source=source.label))}  # fmt: skip
    if source.permission and not can(user, source.permission):
        return {"computed": True, "start": start, "end": end, "records": [], "hidden": True,
                "why": str(_l("Your role may not read the records behind this figure."))}  # fmt: skip
    return {"computed": True, "start": start, "end": end, "hidden": False,
            "records": source.records(current_tenant(), start, end), "why": str(source.label)}  # fmt: skip
