"""Notification delivery as periodic work: every minute on the Celery beat schedule (when
``REDIS_URL`` is set) and once per ``flask notifications send`` / ``flask jobs run
notifications.send`` (cron)."""

from __future__ import annotations

from ..jobs.registry import periodic
from .services import send_pending

SEND_EVERY_SECONDS = 60


@periodic("notifications.send", every=SEND_EVERY_SECONDS)
def deliver() -> dict[str, int]:
    """The current tenant's due messages, sent (failures retried with a back-off)."""
    return send_pending()
