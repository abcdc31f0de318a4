"""The plugin's KPI figures for a period (``register_kpi_sources``): each is a source the planning
module can bind a plan indicator to, by its key."""

from __future__ import annotations

from datetime import date

from core.toolkit import KpiSource, Tenant

from . import services
from .i18n import _l

P = "productive_families."


def families_licensed(tenant: Tenant, start: date, end: date) -> int:
    return services.families_licensed(start, end)


def sources() -> list[KpiSource]:
    return [
        KpiSource(
            P + "families_licensed", _l("Families whose licence was issued"), "count", families_licensed
        ),
    ]
