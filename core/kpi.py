"""KPI sources: figures that features and plugins compute for a period (planning uses them).

Sources are declared through the tenant-scoped ``register_kpi_sources`` hook; this module
collects them for a tenant and computes their values. Plugins reach it through
``core.toolkit`` (``KpiSource``, ``kpi_sources``, ``kpi_values``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .plugins import tenant_hooks
from .tenancy import Tenant, tenant_context


@dataclass(frozen=True)
class KpiSource:
    """One figure: ``compute(tenant, start_date, end_date)`` returns a number (or None).

    ``unit`` is ``count``, ``halalas`` or ``percent``; ``label`` a lazy translated string.
    Optional: ``records(tenant, start_date, end_date)`` lists the records behind the figure
    (dicts with ``label``, ``date``, ``value`` and ``endpoint``/``values`` to link to), shown
    only to a viewer holding ``permission`` (planning's "explain").
    """

    key: str
    label: Any
    unit: str
    compute: Callable[[Tenant, date, date], float | int | None]
    records: Callable[[Tenant, date, date], list[dict]] | None = None
    permission: str | None = None


def kpi_sources(tenant: Tenant) -> list[KpiSource]:
    """The KPI sources of ``tenant``'s enabled plugins and core, merged (first key wins)."""
    merged: dict[str, KpiSource] = {}
    with tenant_context(tenant):
        for declared in tenant_hooks().register_kpi_sources(tenant=tenant):
            for source in declared or []:
                merged.setdefault(source.key, source)
    return list(merged.values())


def kpi_values(tenant: Tenant, start: date, end: date) -> list[dict]:
    """Every source of ``tenant`` computed for ``start``..``end`` (inclusive)."""
    values = []
    for source in kpi_sources(tenant):
        with tenant_context(tenant):
            value = source.compute(tenant, start, end)
        values.append({"key": source.key, "label": str(source.label), "unit": source.unit, "value": value})
    return values
