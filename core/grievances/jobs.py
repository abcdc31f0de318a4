"""The daily grievance pass as periodic work: once a day on the Celery beat schedule (when
``REDIS_URL`` is set), and by ``flask grievances tick`` / ``flask jobs run grievances.tick`` (cron)."""

from __future__ import annotations

from ..jobs.registry import periodic
from . import services

DAY_SECONDS = 24 * 3600


@periodic("grievances.tick", every=DAY_SECONDS)
def daily_tick() -> dict[str, int]:
    """The current tenant's open due dates recomputed, overdue ones notified, expired appeal windows closed."""
    return services.tick(services.today())
