"""Renewal dates: calendar months, and the tenant's renewal interval."""

from __future__ import annotations

import calendar
from datetime import date

from ...tenancy import Tenant, require_tenant
from ..models import BeneficiaryFile

DEFAULT_RENEWAL_MONTHS = 6


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_interval_months(tenant: Tenant | None = None) -> int:
    tenant = tenant or require_tenant()
    value = ((tenant.settings or {}).get("registry") or {}).get(
        "renewal_interval_months", DEFAULT_RENEWAL_MONTHS
    )
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_RENEWAL_MONTHS


def is_overdue(file: BeneficiaryFile) -> bool:
    return file.renewal_overdue
