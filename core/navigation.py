"""Navigation items that core and plugins contribute to a tenant's menu."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from .auth.permissions import can
from .plugins import tenant_hooks
from .tenancy import current_tenant


@dataclass(frozen=True)
class NavItem:
    label: Any
    endpoint: str
    permission: str = "tenant.view"
    icon: str = ""
    order: int = 100  # lower first; ties keep core's items before plugins'


def nav_items() -> list[NavItem]:
    tenant = current_tenant()
    if tenant is None or not current_user.is_authenticated:
        return []
    items: list[NavItem] = []
    for group in reversed(tenant_hooks().register_nav_items(tenant=tenant, user=current_user)):
        items.extend(item for item in group if can(current_user, item.permission, tenant))
    return sorted(items, key=lambda item: item.order)


@dataclass(frozen=True)
class DashboardItem:
    """One line of a dashboard card: what waits (``label``, e.g. a request's number and name),
    where to open it, a detail (its program) and the working days it has waited."""

    label: str
    url: str
    detail: str = ""
    days_waiting: int | None = None
    overdue: bool = False
    number: str = ""  # shown apart, isolated left-to-right (a request number, a case number)


@dataclass(frozen=True)
class DashboardCard:
    """A card of the staff dashboard (``dashboard_cards`` hook): how many things wait for the
    user, the oldest of them, and the page listing them all."""

    key: str
    title: str
    count: int
    items: tuple[DashboardItem, ...] = ()
    url: str | None = None
    order: int = 100
    tone: str = "primary"  # primary / warning / danger: a Bootstrap colour of the card's edge
