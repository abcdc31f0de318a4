"""Queueing, running, reporting and reaping jobs — the same for both runners.

``enqueue(kind, params)`` writes a ``queued`` job and hands it to the app's runner:
Celery (``REDIS_URL`` set: the job travels through Redis to a worker process) or the
in-process runner (a thread pool in the web process). Either way the job is run by
:func:`execute`, which enters the job's tenant and language, marks it ``running``, calls its
task and records the outcome (``succeeded``, or ``failed`` with a reason). A task's own
writes are committed together with ``succeeded``: when the process dies before, nothing of
it remains.

A job whose runner vanished is found at once when its owner (the process that runs it,
:mod:`.owner`) is known dead on this host — when a worker starts (:func:`recover_orphans`: a
Celery pool process, the in-process runner's first thread), when the job is looked at, by
:func:`reap` — otherwise by its stale heartbeat (:func:`reap`, run every minute by Celery beat,
by ``flask jobs reap`` and when a job is looked at), or when Celery delivers it again after the
worker was lost: in-process jobs become ``interrupted`` (restartable), Celery jobs ``failed``
with the reason ``worker_lost``.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_login import login_user
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..auth.models import User
from ..errors import Conflict
from ..extensions import db
from ..i18n import current_language
from ..i18n import gettext as _
from ..plugins import is_enabled
from ..tenancy import Tenant, require_tenant, tenant_context, utcnow
from ..tenancy.services import all_tenants
from . import beside
from .models import Job
from .owner import current_owner, owner_is_dead
from .registry import get_periodic, get_task

log = logging.getLogger("charity_platform.jobs")

RESTARTABLE_REASONS = ("worker_lost", "server_stopped")


class JobFailed(Exception):
    """Raised by a task to end its job ``failed`` with ``reason`` (its own writes are rolled back)."""

    def __init__(self, reason: str = "error", message: str = "", result: dict | None = None) -> None:
        super().__init__(message or reason)
        self.reason, self.message, self.result = reason, message, result


# --------------------------------------------------------------------------- configuration


def runner_name(app=None) -> str:
    app = app or current_app
    return app.extensions["charity_jobs"].runner


def stale_after(app=None) -> timedelta:
    app = app or current_app
    return timedelta(seconds=float(app.config["JOBS_STALE_AFTER_SECONDS"]))


# --------------------------------------------------------------------------- queueing


def enqueue(kind: str, params: dict | None = None, user=None, *, dispatch: bool = True) -> Job:
    """A ``queued`` job of ``kind`` for the current tenant, committed and handed to the runner."""
    get_task(kind)  # unknown kinds are refused before anything is written
    tenant = require_tenant()
    job = Job(
        kind=kind,
        params=dict(params or {}),
        user_id=getattr(user, "id", None),
        language=current_language(),
        runner=runner_name(),
        heartbeat_at=utcnow(),
    )
    if job.runner == "inprocess":
        job.owner = current_owner()  # its queue is this process's memory: it dies with it
    job.tenant_id = tenant.id
    db.session.add(job)
    db.session.commit()
    if dispatch:
        submit(job)
    return job


def submit(job: Job) -> None:
    """Hand a committed ``queued`` job to the app's runner."""
    state = current_app.extensions["charity_jobs"]
    if state.runner == "celery":
        state.celery.send_task("core.jobs.execute", args=[job.id, job.tenant_id])
    else:
        state.submit_local(current_app._get_current_object(), job.id, job.tenant_id)


def run_inline(job: Job, **extra) -> Job:
    """Run a job now, in the caller's context (small imports, CLI): same states and outcome.
    ``extra`` keyword arguments go to the task beside the job's params (data not worth storing)."""
    job.runner = "inline"
    return _run(job, extra)


def wait(job_id: int, timeout: float = 30) -> None:
    """In-process runner: block until the job's thread is done (tests, CLI)."""
    future = current_app.extensions["charity_jobs"].futures.get(job_id)
    if future is not None:
        future.result(timeout=timeout)


# --------------------------------------------------------------------------- running


def execute(app, job_id: int, tenant_id: int, task_id: str | None = None) -> str | None:
    """Run job ``job_id`` of tenant ``tenant_id`` in a fresh context (worker or thread).

    Returns the job's final state (None when the job no longer exists).
    """
    with app.app_context():
        try:
            tenant = db.session.get(Tenant, tenant_id)
            if tenant is None:
                return None
            with tenant_context(tenant):
                job = db.session.get(Job, job_id)
                if job is None:
                    return None
                language = job.language or app.config.get("BABEL_DEFAULT_LOCALE", "ar")
            with (
                app.test_request_context("/", headers={"Accept-Language": language}),
                tenant_context(tenant),
            ):
                job = db.session.get(Job, job_id)
                if job.state == "running":
                    # Delivered again while marked running: the process that ran it died (Celery
                    # re-queues a job whose worker was lost). Its writes were never committed.
                    _finish_lost(job, "worker_lost" if job.runner == "celery" else "server_stopped")
                    db.session.commit()
                    return job.state
                if job.state != "queued":
                    return job.state  # already finished: a duplicate delivery
                if task_id:
                    job.task_id = task_id
                _login(job.user_id)
                return _run(job).state
        except Exception:
            log.exception("job %s crashed", job_id)
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def _login(user_id: int | None) -> None:
    if not user_id:
        return

    user = db.session.get(User, user_id)
    if user is not None:
        login_user(user)


def _run(job: Job, extra: dict | None = None) -> Job:
    task = get_task(job.kind)
    job.state, job.started_at, job.finished_at = "running", utcnow(), None
    job.reason = job.error = None
    job.attempts += 1
    job.heartbeat_at = utcnow()
    job.owner = current_owner()
    db.session.commit()
    job_id = job.id
    try:
        result = task.func(job, **(job.params or {}), **(extra or {}))
    except JobFailed as exc:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        _finish(job, "failed", exc.reason, exc.message, exc.result)
    except Exception as exc:  # noqa: BLE001 - any error of a task fails its job, with the reason
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        job = db.session.get(Job, job_id)
        if job.attempts < task.max_attempts and job.runner != "inline":
            job.state, job.heartbeat_at = "queued", utcnow()
            db.session.commit()
            submit(job)
            return job
        _finish(job, "failed", "error", f"{type(exc).__name__}: {exc}"[:2000])
    else:
        if job.state == "running":  # a task may have ended its job itself (e.g. failed validation)
            _finish(job, "succeeded", result=result if isinstance(result, dict) else job.result)
    db.session.commit()
    return job


def _finish(job: Job, state: str, reason: str | None = None, error: str | None = None, result=None) -> None:
    job.state, job.finished_at, job.heartbeat_at = state, utcnow(), utcnow()
    # The progress reported beside the database goes once the end is committed: until then
    # other sessions read the job as running, and without it would show its progress of before
    # the write (an import read "0 written" for its last seconds).
    engine, tenant_id, job_id = db.engine, job.tenant_id, job.id
    sa.event.listen(
        db.session(), "after_commit", lambda _session: beside.forget(engine, tenant_id, job_id), once=True
    )
    job.reason, job.error = reason, error
    if result is not None:
        job.result = result
    if state == "succeeded":
        job.progress = job.total


def _finish_lost(job: Job, reason: str) -> None:
    state = "interrupted" if reason == "server_stopped" else "failed"
    _finish(job, state, reason, None)

    record("jobs.lost", "job", job.id, {"kind": job.kind, "reason": reason})


def fail(job: Job, reason: str, message: str | None = None, result: dict | None = None) -> None:
    """End the job ``failed`` from inside its task, keeping what the task recorded (e.g. the rows
    in error): the task returns and the runner commits."""
    _finish(job, "failed", reason, message, result)


# --------------------------------------------------------------------------- progress


def report(job: Job, progress: int, total: int | None = None, *, while_writing: bool = False) -> None:
    """Record progress (and the heartbeat) at once, visible to other processes.

    Written through a separate connection, so a task writing its rows in one transaction can
    report without committing them. SQLite has one writer at a time: while the task's own
    transaction holds writes (``while_writing``) the report stays in memory there.
    """
    now = utcnow()
    values: dict[str, Any] = {"progress": progress, "heartbeat_at": now}
    if total is not None:
        values["total"] = total

    if (while_writing and not can_report_while_writing()) or _sqlite_writing():
        # Kept on the job as a change of the task's own transaction (written with it), never as
        # the row's committed state: that would hide the final values from the next flush; and
        # beside the database, where other processes read it meanwhile (:mod:`.beside`).
        for key, value in values.items():
            setattr(job, key, value)
        beside.write(db.engine, job.tenant_id, job.id, progress, total, now)
        return
    for key, value in values.items():
        set_committed_value(job, key, value)
    # A session of db's own kind: tenant scoping and the RLS setting apply to it too.
    with db.session.session_factory() as side, side.begin():
        side.execute(sa.update(Job).where(Job.id == job.id).values(**values))


def can_report_while_writing() -> bool:
    return db.engine.dialect.name != "sqlite"


def _sqlite_writing() -> bool:
    """SQLite: the job's own session holds the single write lock (another writer would wait)."""
    if db.engine.dialect.name != "sqlite":
        return False
    transaction = db.session().get_transaction()
    if transaction is None:
        return False
    for connection in transaction._connections.values():
        raw = getattr(connection[0].connection, "dbapi_connection", None)
        if getattr(raw, "in_transaction", False):
            return True
    return False


# --------------------------------------------------------------------------- dead runners


def check(job: Job, now: datetime | None = None) -> bool:
    """Mark ``job`` lost when it is queued or running but its runner stopped reporting
    (in-process: interrupted; Celery: failed, ``worker_lost``). True when it was marked."""
    if job.state not in ("queued", "running"):
        return False
    if job.state == "queued" and job.runner == "celery":
        return False  # waiting in Redis for a worker: it survives a web restart
    if not _not_ours(job):
        return False  # a thread of this very process runs it (SQLite: reports wait for its commit)
    last = job.heartbeat_at or job.created_at
    stale = last is None or (now or utcnow()) - last >= stale_after()
    if not stale and not owner_is_dead(job.owner):
        return False
    _finish_lost(job, "worker_lost" if job.runner == "celery" else "server_stopped")
    db.session.flush()
    return True


def reap(now: datetime | None = None) -> dict[str, int]:
    """Every tenant's jobs whose runner died: marked lost. ``{tenant slug: count}``."""
    counts = {}
    for tenant in all_tenants():
        with tenant_context(tenant):
            counts[tenant.slug] = reap_tenant(now)
            db.session.commit()
    return counts


def reap_tenant(now: datetime | None = None) -> int:
    """The tenant's jobs whose heartbeat is stale or whose owner died on this host: marked lost."""
    limit = (now or utcnow()) - stale_after()
    candidates = db.session.scalars(
        db.select(Job).where(
            Job.state.in_(("queued", "running")),
            sa.or_(Job.heartbeat_at < limit, Job.owner.is_not(None)),
        )
    ).all()
    return sum(1 for job in candidates if check(job, now))


def recover_orphans(app) -> dict[str, int]:
    """What a worker does as it starts: every job whose owner died on this host (``kill -9``,
    a crash, a restart) is marked lost now — interrupted (in-process) or failed ``worker_lost``
    (Celery) — instead of minutes later when its heartbeat goes stale. ``{tenant slug: count}``
    of those marked. Never raises: a worker starts even when the database is busy (the
    heartbeat reaper catches up)."""
    counts: dict[str, int] = {}
    with app.app_context():
        try:
            for tenant in all_tenants():
                with tenant_context(tenant):
                    orphans = db.session.scalars(
                        db.select(Job).where(Job.state.in_(("queued", "running")), Job.owner.is_not(None))
                    ).all()
                    dead = [job for job in orphans if owner_is_dead(job.owner) and _not_ours(job)]
                    for job in dead:
                        _finish_lost(job, "worker_lost" if job.runner == "celery" else "server_stopped")
                    db.session.commit()
                    if dead:
                        counts[tenant.slug] = len(dead)
                        log.warning("jobs: %s orphaned job(s) of %s marked lost", len(dead), tenant.slug)
        except Exception:  # noqa: BLE001 - logged; the heartbeat reaper remains
            log.exception("jobs: looking for orphaned jobs at start-up failed")
            db.session.rollback()
        finally:
            db.session.remove()
    return counts


def _not_ours(job: Job) -> bool:
    future = current_app.extensions["charity_jobs"].futures.get(job.id)
    return future is None or future.done()


def can_restart(job: Job) -> bool:
    return job.state == "interrupted" or (job.state == "failed" and job.reason in RESTARTABLE_REASONS)


def restart(job: Job) -> Job:
    """Queue a job that was interrupted (or whose worker was lost) again."""
    if not can_restart(job):
        raise Conflict(_("Only an interrupted job can be restarted."))
    job.state, job.finished_at, job.reason, job.error = "queued", None, None, None
    job.progress, job.heartbeat_at, job.runner = 0, utcnow(), runner_name()
    job.owner = current_owner() if job.runner == "inprocess" else None
    record("jobs.restarted", "job", job.id, {"kind": job.kind})
    db.session.commit()
    submit(job)
    return job


# --------------------------------------------------------------------------- periodic work


def run_periodic(name: str, **options) -> dict[str, dict]:
    """Run periodic job ``name`` once for every tenant (that enabled its plugin)."""
    periodic = get_periodic(name)
    if not periodic.per_tenant:
        return {"*": periodic.func(**options) or {}}
    outcome: dict[str, dict] = {}
    for tenant in all_tenants():
        with tenant_context(tenant):
            if periodic.plugin and not is_enabled(periodic.plugin):
                continue
            try:
                outcome[tenant.slug] = periodic.func(**options) or {}
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("periodic %s failed for %s", name, tenant.slug)
                raise
    return outcome


# --------------------------------------------------------------------------- in-process runner


class JobsState:
    """Per-app runner state (``app.extensions["charity_jobs"]``)."""

    def __init__(self, app) -> None:
        self.runner = app.config["JOBS_RUNNER"]
        self.threads = int(app.config["JOBS_THREADS"])
        self.celery = None
        self._executor: ThreadPoolExecutor | None = None
        self.futures: dict[int, Future] = {}

    def submit_local(self, app, job_id: int, tenant_id: int) -> Future:
        # Created on first use, so that a server forking workers after loading the app
        # (gunicorn --preload) starts its threads in each worker, not in the master.
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="job")
            # This runner's worker starts: the jobs a dead process of this host left are marked.
            self._executor.submit(recover_orphans, app)
        future = self._executor.submit(execute, app, job_id, tenant_id)
        self.futures[job_id] = future
        future.add_done_callback(lambda f: _forget(self.futures, job_id, f))
        return future

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def _forget(futures: dict, job_id: int, future: Future) -> None:
    if futures.get(job_id) is future and future.exception() is None:
        futures.pop(job_id, None)
