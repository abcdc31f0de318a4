"""Hooks: calendar."""

from __future__ import annotations

from ._markers import hookspec


@hookspec
def holidays_changed(tenant, added, removed):
    """Tenant-scoped. Event: called by ``core.admin.calendar`` when a tenant admin adds, moves
    or removes a holiday (the Eids move with the moon sighting), inside the transaction of the
    change. ``added`` and ``removed`` are the sorted ``date`` lists of days that became or
    stopped being holidays. Recompute what was counted in working days and stored (core's
    grievances recompute every open due date, each change audited). Return value ignored.
    """
