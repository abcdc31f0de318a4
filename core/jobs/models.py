"""The job table: one row per background job of a tenant, whichever runner runs it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin, utcnow
from . import beside

# queued → running → succeeded | failed; interrupted = left running by a web process that stopped
# (in-process runner), restartable. A Celery worker that dies leaves the job failed, reason
# ``worker_lost``.
STATES = ("queued", "running", "succeeded", "failed", "interrupted")
ACTIVE_STATES = ("queued", "running")
# Reasons a job failed or stopped, stored as codes and shown translated (core.jobs.labels).
REASONS = ("worker_lost", "server_stopped", "error", "invalid_input")


class Job(TenantMixin, db.Model):
    """A background job: its kind (a registered task), state, progress and outcome."""

    __tablename__ = "jobs"
    __tenant_table_args__ = (sa.Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),)

    kind: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(16), default="queued")
    # Units of work done out of ``total`` (the task chooses its units).
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    # Why it failed (a code from REASONS) and the detail (logged exception, not shown to users).
    reason: Mapped[str | None] = mapped_column(sa.String(32))
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)
    runner: Mapped[str] = mapped_column(sa.String(16), default="inprocess")
    task_id: Mapped[str | None] = mapped_column(sa.String(64))
    # The process that runs it (``host:pid:start``, core.jobs.owner): a process of the same host
    # sees at once that it died, without waiting for the heartbeat to go stale.
    owner: Mapped[str | None] = mapped_column(sa.String(128))
    language: Mapped[str | None] = mapped_column(sa.String(8))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # Touched by the runner at every progress step: a running job not touched for a while is dead.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.state == "succeeded":
            return 100
        if not self.total:
            return 0
        return max(0, min(100, int(100 * self.progress / self.total)))

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


@sa.event.listens_for(Job, "load")
@sa.event.listens_for(Job, "refresh")
def _progress_reported_beside(job: Job, context, *_attrs) -> None:
    """SQLite: a running job's progress reported while its task held the write lock (:mod:`.beside`)."""
    beside.overlay(job, context.session.get_bind())
