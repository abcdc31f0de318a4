"""The Celery worker's and beat's entry point: builds the Flask app from the environment.

    .venv/bin/celery -A core.jobs.celery_app worker --loglevel=INFO
    .venv/bin/celery -A core.jobs.celery_app beat --loglevel=INFO

Needs ``REDIS_URL`` (and the same ``DATABASE_URL``, ``SECRET_KEY``, ID keys and
``STORAGE_DIR`` as the web processes). Tasks run in the Flask app's context with the job's
tenant set (``core.jobs.service.execute``).
"""

from __future__ import annotations

from celery.signals import worker_process_init

from core import create_app
from core.extensions import db
from core.jobs.service import recover_orphans


def make_app():
    flask_app = create_app()
    celery = flask_app.extensions["charity_jobs"].celery
    if celery is None:
        raise RuntimeError("REDIS_URL must be set to run a Celery worker or beat")
    return flask_app, celery


flask_app, celery = make_app()
app = celery


@worker_process_init.connect(weak=False)
def _own_connections(**_kwargs) -> None:
    """Each forked pool process opens its own database connections, never its parent's."""
    with flask_app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
    # A worker process starts: jobs whose process died on this host (a pool process killed
    # mid-import) are failed ``worker_lost`` now, not when their heartbeat goes stale.
    recover_orphans(flask_app)
