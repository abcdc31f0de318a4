"""The job table and runners: tasks run through the same states whichever runner, failures keep
their reason and roll their writes back, periodic work runs per tenant, plugins register theirs."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from core import jobs
from core.extensions import db
from core.jobs import Job, JobFailed, beside, service, task
from core.plugins import set_plugin_state
from core.registry import ImportJob
from core.tenancy import tenant_context, utcnow
from tests.fixtures import is_postgres, make_app


@task("tests.count_to")
def count_to(job, n: int):
    for done in range(1, n + 1):
        jobs.report(job, done, n)
    return {"counted": n}


@task("tests.write_then_fail")
def write_then_fail(job, reason: str | None = None):
    db.session.add(ImportJob(filename="written-by-a-failing-task.csv"))
    db.session.flush()
    if reason:
        raise JobFailed(reason, "refused")
    raise ValueError("boom")


RELEASE = threading.Event()
REPORTED = threading.Event()


@task("tests.write_and_report")
def write_and_report(job):
    db.session.add(ImportJob(filename="held.csv"))
    db.session.flush()  # SQLite: this transaction now holds the database's one write lock
    jobs.report(job, 5, 10, while_writing=True)
    REPORTED.set()
    assert RELEASE.wait(20)


@task("tests.wait_for_release")
def wait_for_release(job):
    assert RELEASE.wait(20)


def _count(model) -> int:
    return db.session.execute(db.select(db.func.count(model.id))).scalar_one()


def test_a_task_runs_in_a_thread_through_the_job_table(app_ctx, tenant):
    with tenant_context(tenant):
        job = jobs.enqueue("tests.count_to", {"n": 3})
        assert (job.state, job.runner, job.kind) == ("queued", "inprocess", "tests.count_to")
        jobs.wait(job.id)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert (job.state, job.progress, job.total, job.percent) == ("succeeded", 3, 3, 100)
        assert job.result == {"counted": 3} and job.attempts == 1
        assert job.started_at <= job.finished_at and job.reason is None


@pytest.mark.parametrize(("reason", "expected"), [(None, "error"), ("invalid_input", "invalid_input")])
def test_a_failing_task_ends_failed_with_its_reason_and_nothing_it_wrote(app_ctx, tenant, reason, expected):
    with tenant_context(tenant):
        job = jobs.enqueue("tests.write_then_fail", {"reason": reason})
        jobs.wait(job.id)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert (job.state, job.reason) == ("failed", expected)
        assert ("boom" if reason is None else "refused") in job.error
        assert _count(ImportJob) == 0
        assert not jobs.can_restart(job)


def test_an_unknown_kind_is_refused_before_anything_is_written(app_ctx, tenant):
    with tenant_context(tenant), pytest.raises(jobs.UnknownTask):
        jobs.enqueue("tests.no_such_task")
    with tenant_context(tenant):
        assert _count(Job) == 0


def test_jobs_belong_to_their_tenant(app_ctx, tenant, other_tenant):
    with tenant_context(tenant):
        job = jobs.enqueue("tests.count_to", {"n": 1})
        jobs.wait(job.id)
    with tenant_context(other_tenant):
        assert db.session.get(Job, job.id) is None
        assert _count(Job) == 0


def test_a_celery_job_waiting_in_redis_survives_a_web_restart(app_ctx, tenant):
    with tenant_context(tenant):
        long_ago = utcnow() - timedelta(hours=2)
        queued = Job(kind="tests.count_to", state="queued", runner="celery", heartbeat_at=long_ago)
        lost = Job(kind="tests.count_to", state="queued", runner="inprocess", heartbeat_at=long_ago)
        db.session.add_all([queued, lost])
        db.session.commit()
        assert jobs.reap()["first"] == 1
        assert db.session.get(Job, queued.id).state == "queued"  # still waiting for a worker
        assert (lost.state, lost.reason) == (
            "interrupted",
            "server_stopped",
        )  # its thread died with the process
        assert jobs.reason_label("server_stopped")


def test_a_job_that_a_thread_of_this_process_still_runs_is_never_reaped(app_ctx, tenant):
    from tests.servers import wait_for

    RELEASE.clear()
    with tenant_context(tenant):
        job = jobs.enqueue("tests.wait_for_release")

        def running():
            db.session.rollback()
            return db.session.get(Job, job.id).state == "running"

        wait_for(running, 10, "the job to start")
        # Silent for long (SQLite: an import cannot report while it holds the write lock).
        db.session.get(Job, job.id).heartbeat_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        assert jobs.reap()["first"] == 0
        RELEASE.set()
        jobs.wait(job.id)
        db.session.expire_all()
        assert db.session.get(Job, job.id).state == "succeeded"


def test_progress_reported_while_a_task_holds_its_writes_reaches_other_sessions(app_ctx, tenant):
    # An import writes in one transaction: on SQLite that holds the only write lock, so the
    # report goes beside the database and every other session loading the job sees it.
    RELEASE.clear()
    REPORTED.clear()
    with tenant_context(tenant):
        job = jobs.enqueue("tests.write_and_report")
        try:
            assert REPORTED.wait(10)
            db.session.rollback()
            seen = db.session.get(Job, job.id)
            assert (seen.state, seen.progress, seen.total, seen.percent) == ("running", 5, 10, 50)
            assert utcnow() - seen.heartbeat_at < timedelta(seconds=10)
            assert jobs.reap()["first"] == 0  # a fresh heartbeat: not taken for dead
        finally:
            RELEASE.set()
        jobs.wait(job.id)
        db.session.expire_all()
        done = db.session.get(Job, job.id)
        assert (done.state, done.percent) == ("succeeded", 100)
        assert beside.read(db.engine, tenant.id, job.id) is None  # gone with the job


def test_a_jobs_progress_reported_beside_stays_until_its_end_is_committed(app_ctx, tenant):
    if is_postgres():
        pytest.skip("PostgreSQL takes the reports in the database itself while a task writes")
    # Between the task's end and the commit, other sessions still read the job as running: with
    # the report gone they would show its progress from before the write ("0 written").
    with tenant_context(tenant):
        job = Job(kind="tests.write_and_report", state="running", total=10, progress=0)
        db.session.add(job)
        db.session.commit()
        beside.write(db.engine, tenant.id, job.id, 9, 10, utcnow())
        service._finish(job, "succeeded")
        db.session.flush()
        assert beside.read(db.engine, tenant.id, job.id)[:2] == (9, 10)
        db.session.commit()
        assert beside.read(db.engine, tenant.id, job.id) is None


def test_periodic_work_runs_for_each_tenant_that_enabled_its_plugin(app_ctx, tenant, other_tenant):
    set_plugin_state(tenant, "makkah_aid", True)
    set_plugin_state(other_tenant, "makkah_aid", False)
    db.session.commit()
    assert jobs.periodic_jobs()["makkah_aid.tick"].plugin == "makkah_aid"  # from register_jobs
    outcome = jobs.run_periodic("makkah_aid.tick")
    assert outcome == {"first": {"lifted": 0, "proposed": 0}}
    assert set(jobs.run_periodic("notifications.send")) == {"first", "second"}


def test_the_celery_app_acks_late_and_schedules_every_periodic_job(database_url):
    # No broker is contacted to build it; memory storage keeps the shared limiter off this URL.
    web = make_app(database_url, REDIS_URL="redis://127.0.0.1:9/0", RATELIMIT_STORAGE_URI="memory://")
    state = web.extensions["charity_jobs"]
    assert state.runner == "celery"
    conf = state.celery.conf
    assert conf.broker_url == conf.result_backend == "redis://127.0.0.1:9/0"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    schedule = conf.beat_schedule
    assert {"notifications.send", "makkah_aid.tick", "audit.checkpoint", "core.jobs.reap"} <= set(schedule)
    assert schedule["makkah_aid.tick"]["args"] == ("makkah_aid.tick",)
    assert {"core.jobs.execute", "core.jobs.periodic", "core.jobs.reap"} <= set(state.celery.tasks)
    state.celery.close()


def test_the_jobs_commands_list_run_and_reap(runner, tenant):
    listing = runner.invoke(args=["jobs", "list"])
    assert listing.exit_code == 0
    assert "runner: inprocess" in listing.output and "task registry.import" in listing.output
    assert "periodic makkah_aid.tick every 3600s (makkah_aid)" in listing.output
    sent = runner.invoke(args=["jobs", "run", "notifications.send"])
    assert sent.exit_code == 0 and "first: sent 0, retry 0, failed 0" in sent.output
    assert runner.invoke(args=["jobs", "run", "no.such"]).exit_code == 2
    assert runner.invoke(args=["jobs", "reap"]).exit_code == 0
