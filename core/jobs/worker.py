"""The Celery side: one Celery app per Flask app when ``REDIS_URL`` is set.

Broker and result backend are ``REDIS_URL``. Jobs are acknowledged late and rejected back to
the queue when the worker process running them is lost (``task_acks_late`` +
``task_reject_on_worker_lost``): the next delivery finds the job still ``running`` and marks it
``failed`` with the reason ``worker_lost`` (its rows were never committed). Beat runs the
periodic jobs registered in :mod:`core.jobs.registry` and the reaper.
"""

from __future__ import annotations

from celery import Celery

from .registry import periodic_jobs
from .service import execute

EXECUTE = "core.jobs.execute"
PERIODIC = "core.jobs.periodic"
REAP = "core.jobs.reap"
# Redis re-delivers a message not acknowledged within this time: longer than any job may run.
VISIBILITY_TIMEOUT = 12 * 3600


def make_celery(app) -> Celery:
    url = app.config["REDIS_URL"]
    celery = Celery(app.import_name, broker=url, backend=url, set_as_current=False)
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        timezone="UTC",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        result_backend_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        worker_hijack_root_logger=False,
        beat_schedule=beat_schedule(app),
    )

    @celery.task(name=EXECUTE, bind=True, shared=False)
    def execute_job(self, job_id: int, tenant_id: int) -> str | None:
        return execute(app, job_id, tenant_id, task_id=self.request.id)

    @celery.task(name=PERIODIC, shared=False)
    def run_periodic(name: str) -> dict:
        with app.app_context():
            return run_periodic(name)

    @celery.task(name=REAP, shared=False)
    def reap() -> dict:
        with app.app_context():
            return reap()

    return celery


def beat_schedule(app) -> dict:
    schedule = {
        REAP: {"task": REAP, "schedule": float(app.config["JOBS_REAP_EVERY_SECONDS"])},
    }
    for name, item in sorted(periodic_jobs().items()):
        schedule[name] = {"task": PERIODIC, "schedule": float(item.every), "args": (name,)}
    return schedule
