"""Background jobs: one job table, a task registry and two runners chosen by configuration.

* ``REDIS_URL`` set → **Celery** (broker and result backend in Redis): jobs run in worker
  processes (``celery -A core.jobs.celery_app worker``), periodic work on the beat schedule
  (``celery -A core.jobs.celery_app beat``).
* otherwise → the **in-process** runner: a thread pool in the web process (development,
  single-server installs); periodic work runs from cron through its CLI command.

Public surface::

    from core.jobs import task, enqueue, report

    @task("registry.import")
    def run(job, import_id): ...          # writes, calls report(job, n, total) as it goes

    job = enqueue("registry.import", {"import_id": 7}, user=current_user)

Plugins return their :class:`Task`/:class:`Periodic` objects from the ``register_jobs`` hook.
"""

from __future__ import annotations

from ..i18n import gettext as _
from . import cli
from .models import ACTIVE_STATES, REASONS, STATES, Job
from .registry import (
    Periodic,
    Task,
    UnknownTask,
    get_periodic,
    get_task,
    periodic,
    periodic_jobs,
    register,
    task,
    tasks,
)
from .service import (
    JobFailed,
    JobsState,
    can_report_while_writing,
    can_restart,
    check,
    enqueue,
    execute,
    fail,
    reap,
    recover_orphans,
    report,
    restart,
    run_inline,
    run_periodic,
    runner_name,
    submit,
    wait,
)

__all__ = [
    "ACTIVE_STATES",
    "REASONS",
    "STATES",
    "Job",
    "JobFailed",
    "Periodic",
    "Task",
    "UnknownTask",
    "can_report_while_writing",
    "can_restart",
    "check",
    "enqueue",
    "execute",
    "fail",
    "get_periodic",
    "get_task",
    "init_app",
    "periodic",
    "periodic_jobs",
    "reap",
    "reason_label",
    "recover_orphans",
    "report",
    "restart",
    "run_inline",
    "run_periodic",
    "runner_name",
    "submit",
    "task",
    "tasks",
    "wait",
]


def init_app(app) -> None:
    """Collect the plugins' jobs (``register_jobs``), choose the runner, add ``flask jobs``.

    Called at the end of ``create_app``, once every plugin is registered.
    """
    host = app.extensions["charity_plugins"]
    for plugin_id, items in host.call_each("register_jobs"):
        for item in items:
            if isinstance(item, Periodic) and item.plugin is None:
                item = Periodic(item.name, item.func, item.every, plugin_id, item.per_tenant)
            register(item)
    if not app.config.get("JOBS_RUNNER"):
        app.config["JOBS_RUNNER"] = "celery" if app.config.get("REDIS_URL") else "inprocess"
    app.config.setdefault("JOBS_THREADS", 2)
    app.config.setdefault("JOBS_STALE_AFTER_SECONDS", 300)
    app.config.setdefault("JOBS_REAP_EVERY_SECONDS", 60)
    if app.config["JOBS_RUNNER"] not in ("celery", "inprocess"):
        raise ValueError("JOBS_RUNNER must be 'celery' or 'inprocess'")
    state = JobsState(app)
    if state.runner == "celery":
        if not app.config.get("REDIS_URL"):
            raise ValueError("JOBS_RUNNER=celery needs REDIS_URL")
        from .worker import make_celery  # lazy: Celery is loaded only when JOBS_RUNNER=celery

        state.celery = make_celery(app)
    app.extensions["charity_jobs"] = state
    app.jinja_env.globals["job_reason"] = reason_label
    cli.register(app)


def reason_label(reason: str | None) -> str:
    """A job's failure reason in words (translated)."""
    labels = {
        "worker_lost": _("The worker running it stopped (worker lost); nothing was written."),
        "server_stopped": _("The server stopped while it ran; nothing was written."),
        "error": _("It stopped on an unexpected error; nothing was written."),
        "invalid_input": _("The input has errors; nothing was written."),
    }
    return labels.get(reason or "", reason or "")
