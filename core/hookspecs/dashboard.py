"""Hooks: dashboard."""

from __future__ import annotations

from ._markers import hookspec


@hookspec
def dashboard_cards(user, tenant):
    """Tenant-scoped. Called by the staff home page (``core.home``) for the logged-in member
    of staff ``user`` of ``tenant``.

    Return a list of ``core.toolkit.DashboardCard(key, title, count, items, url, order, tone)``
    — what waits for this user in the plugin's part of the work, e.g. "grievances assigned to
    you" — each with up to five ``DashboardItem(label, url, detail, days_waiting, overdue,
    number)``, its oldest. Check the user's permission yourself (``can``) and return ``[]``
    when nothing applies; answer with a fixed number of queries. Core's ``requests`` answers
    with the request cards (to research, to visit, to decide, to disburse, overdue …) and
    ``notifications`` with the unread messages. Results merged, sorted by ``order``.
    """
