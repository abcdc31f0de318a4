"""The audit checkpoint as periodic work: every hour on the Celery beat schedule (when
``REDIS_URL`` is set) and once per ``flask audit checkpoint`` / ``flask jobs run audit.checkpoint``
(cron). Writes nothing unless ``AUDIT_CHECKPOINT_DIR`` is set."""

from __future__ import annotations

from ..jobs.registry import Periodic, register
from .checkpoints import write_scheduled_checkpoint

CHECKPOINT_EVERY_SECONDS = 3600


def write_checkpoint_job() -> dict[str, str | None]:
    """One signed checkpoint of every chain's head (platform-wide, not per association)."""
    path = write_scheduled_checkpoint()
    return {"file": str(path) if path else None}


CHECKPOINT = Periodic(
    "audit.checkpoint", write_checkpoint_job, every=CHECKPOINT_EVERY_SECONDS, per_tenant=False
)
register(CHECKPOINT)
