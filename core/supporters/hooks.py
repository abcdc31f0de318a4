"""Core's fundraising permission, labels, message template, KPI sources, menu entry and
dashboard card, as a built-in plugin (``trylast``)."""

from __future__ import annotations

from flask import url_for

from ..auth.permissions import Permission, can
from ..calendar import format_date
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..navigation import DashboardCard, DashboardItem, NavItem
from ..numbers import format_halalas
from . import demo, services
from .labels import LABELS


@hookimpl(trylast=True)
def register_permissions():
    # Held by the association admin by default; the tenant grants it to other roles.
    return [
        Permission(
            services.PERMISSION,
            _l("Fundraising: supporters, agreements, donations, receipts and pledges"),
            ("tenant_admin",),
        )
    ]


@hookimpl(trylast=True)
def register_labels():
    return LABELS


@hookimpl(trylast=True)
def register_notification_templates():
    return dict(services.TEMPLATES)


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [NavItem(_l("Supporters"), "supporters.index", services.PERMISSION, order=420)]


@hookimpl(trylast=True)
def register_kpi_sources(tenant):
    return services.kpi_sources()


@hookimpl(trylast=True)
def dashboard_cards(user, tenant):
    """Pledge instalments unpaid after their due day, for those who do the fundraising."""
    if not can(user, services.PERMISSION):
        return []
    late = services.overdue_instalments(services.today())
    if not late:
        return []
    items = tuple(
        DashboardItem(
            label=supporter.name,
            url=url_for("supporters.detail", supporter_id=supporter.id),
            detail=str(
                _l(
                    "%(amount)s SAR due %(date)s",
                    amount=format_halalas(i.amount_halalas - i.paid_halalas),
                    date=format_date(i.due_on),
                )
            ),  # fmt: skip
            overdue=True,
        )
        for i, supporter in late[:5]
    )
    return [
        DashboardCard(
            key="supporters_overdue",
            title=str(_l("Pledge instalments overdue")),
            count=len(late),
            items=items,
            url=url_for("supporters.index", view="overdue"),
            order=70,
            tone="danger",
        )
    ]


@hookimpl
def load_demo_data(tenant):
    demo.load(tenant)
