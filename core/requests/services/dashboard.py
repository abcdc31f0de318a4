"""What waits for a member of staff, by what their roles let them do: the request cards of
the staff dashboard (core's answer to the ``dashboard_cards`` hook).

Each card is a set of states and the permission that acts on them (``WORK``); a user sees
the cards of the permissions they hold, each with its count and oldest requests, plus the
overdue requests among those states (all states for a user who holds none of them: the
executive director, the auditor, the tenant admin). Four queries whatever the number of
requests: counts by state, the oldest few of each state (a window function), the overdue
count and the oldest overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import url_for

from ...auth.permissions import can
from ...calendar import holidays_of
from ...calendar import today as tenant_today
from ...extensions import db
from ...i18n import current_language
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...navigation import DashboardCard, DashboardItem
from ...tenancy import require_tenant
from ..models import AidRequest, CatalogItem
from .queues import overdue_clause, queue_row, state_limits, state_since

OLDEST = 5


@dataclass(frozen=True)
class Work:
    key: str
    label: Any
    permission: str
    states: tuple[str, ...]
    queue: str = "all"  # the queue page that lists them (with ``states`` as its state filter)
    order: int = 10


WORK: tuple[Work, ...] = (
    Work("to_research", _l("New requests to research"), "requests.research", ("submitted",), "new"),
    Work(
        "to_visit",
        _l("To visit"),
        "requests.research",
        ("in_research", "field_visit_scheduled"),
        "awaiting_visit",
    ),
    Work("to_verify", _l("Visited, to verify"), "requests.research", ("visited",)),
    Work("to_send", _l("Verified, to send to the committee"), "requests.research", ("verified",)),
    Work("to_decide", _l("To decide"), "requests.decide", ("in_committee",), "awaiting_committee"),
    Work("to_disburse", _l("To disburse"), "requests.disburse", ("approved",), "awaiting_disbursement"),
    Work("received", _l("New requests received"), "requests.create", ("submitted",), "new"),
    Work("returned", _l("Returned to the applicant for missing data"), "requests.create", ("returned",)),
    Work("to_close", _l("Disbursed, to close"), "requests.close", ("disbursed",), order=20),
)


def work_of(user: Any) -> list[Work]:
    """The cards ``user`` acts on, a set of states shown once (the first card holding it)."""
    seen: set[tuple[str, ...]] = set()
    found = []
    for work in WORK:
        if work.states not in seen and can(user, work.permission):
            seen.add(work.states)
            found.append(work)
    return found


def request_cards(user: Any, *, today: date | None = None, oldest: int = OLDEST) -> list[DashboardCard]:
    """The request cards of ``user``'s dashboard (see the module doc)."""
    if not can(user, "requests.view"):
        return []
    tenant = require_tenant()
    today = today or tenant_today()
    limits, holidays = state_limits(tenant), holidays_of(tenant)
    work = work_of(user)
    states = sorted({s for w in work for s in w.states})
    counts = dict(
        db.session.execute(
            db.select(AidRequest.state, sa.func.count())
            .where(AidRequest.state.in_(states))
            .group_by(AidRequest.state)
        ).all()
    )
    rows = _oldest_per_state(states, oldest, today, limits, holidays)
    cards = []
    for w in work:
        mine = sorted((r for r in rows if r.request.state in w.states), key=lambda r: (r.since, r.request.id))
        args = {"queue": w.queue} if w.queue != "all" else {"queue": "all", "state": w.states}
        cards.append(
            DashboardCard(
                key=w.key,
                title=str(w.label),
                count=sum(counts.get(s, 0) for s in w.states),
                items=tuple(_item(r) for r in mine[:oldest]),
                url=url_for("requests.queues", **args),
                order=w.order,
            )
        )
    watched = [s for s in states if s in limits] or None
    cards.append(_overdue_card(watched, oldest, today, limits, holidays))
    return cards


def _program_column() -> Any:
    return CatalogItem.name_ar if current_language() == "ar" else CatalogItem.name_en


def _oldest_per_state(states, oldest, today, limits, holidays) -> list:
    if not states:
        return []
    since = state_since()
    ranked = (
        db.select(
            AidRequest.id.label("request_id"),
            since.label("since"),
            sa.func.row_number()
            .over(partition_by=AidRequest.state, order_by=(since.asc(), AidRequest.id.asc()))
            .label("rank"),
        )
        # The tenant named: the session's automatic tenant criteria do not reach a subquery.
        .where(AidRequest.tenant_id == require_tenant().id, AidRequest.state.in_(states))
        .subquery()
    )
    query = (
        db.select(AidRequest, ranked.c.since, _program_column())
        .join(ranked, ranked.c.request_id == AidRequest.id)
        .outerjoin(CatalogItem, CatalogItem.id == AidRequest.catalog_item_id)
        .where(ranked.c.rank <= oldest)
    )
    return [
        queue_row(item, at, program, today, limits=limits, holidays=holidays)
        for item, at, program in db.session.execute(query)
    ]


def _overdue_card(states, oldest, today, limits, holidays) -> DashboardCard:
    condition = overdue_clause(today)
    if states is not None:
        condition = sa.and_(condition, AidRequest.state.in_(states))
    count = db.session.scalar(db.select(sa.func.count(AidRequest.id)).where(condition))
    since = state_since().label("since")
    query = (
        db.select(AidRequest, since, _program_column())
        .outerjoin(CatalogItem, CatalogItem.id == AidRequest.catalog_item_id)
        .where(condition)
        .order_by(since.asc(), AidRequest.id.asc())
        .limit(oldest)
    )
    items = [
        _item(queue_row(item, at, program, today, limits=limits, holidays=holidays))
        for item, at, program in db.session.execute(query)
    ]
    args = {"queue": "overdue"} if states is None else {"queue": "overdue", "state": states}
    return DashboardCard(
        key="overdue",
        title=_("Overdue") if states is None else _("Overdue among yours"),
        count=count,
        items=tuple(items),
        url=url_for("requests.queues", **args),
        order=5,
        tone="danger" if count else "primary",
    )


def _item(row) -> DashboardItem:
    item = row.request
    return DashboardItem(
        label=item.applicant_name,
        number=item.number or _("Draft #%(id)s", id=item.id),
        url=url_for("requests.view", request_id=item.id),
        detail=row.program or "",
        days_waiting=row.days_waiting,
        overdue=row.overdue,
    )
