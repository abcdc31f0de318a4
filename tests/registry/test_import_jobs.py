"""Import jobs: progress through validation, written in one transaction, runners that died
detected (interrupted in-process, failed ``worker_lost`` for a Celery worker) and restarted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import jobs
from core.extensions import db
from core.jobs import Job
from core.registry import Household, ImportJob, Person, importer, importer_write
from core.storage import get_storage, tenant_key
from core.tenancy import utcnow
from tests.registry.test_import import _count, good_file


def test_progress_moves_while_the_rows_are_validated(app_ctx, tenant, in_tenant, monkeypatch):
    seen: list[tuple[int, int]] = []
    original = jobs.report

    def spy(job, progress, total=None, **kw):
        original(job, progress, total, **kw)
        seen.append((job.progress, job.total))

    monkeypatch.setattr(jobs, "report", spy)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(importer, "PROGRESS_SECONDS", 0)  # every row reported
    with in_tenant(tenant):
        record = importer.start_import("families.csv", good_file(), only_good_rows=False, background=False)
        assert (record.status, record.progress, record.validated_rows) == ("done", 100, 4)
        assert (record.job.state, record.job.progress, record.job.total) == ("succeeded", 8, 8)
    checking = [100 * done // total for done, total in seen if total and done <= 4]
    assert checking == sorted(checking) and 0 < checking[1] < 50
    assert (4, 8) in seen  # every row checked, nothing written yet: 50 %


def test_a_failure_while_writing_leaves_no_household_and_the_job_failed_with_its_reason(
    app_ctx, tenant, in_tenant, monkeypatch
):
    written = []
    original = importer_write._write_heads

    def second_chunk_breaks(tenant_id, chunk, user):
        if written:
            raise RuntimeError("disk full")
        written.append(original(tenant_id, chunk, user))
        return written[-1]

    # One household per chunk: the second chunk's bulk insert fails after the first was written.
    monkeypatch.setattr(importer_write, "HEADS_PER_CHUNK", 1)
    monkeypatch.setattr(importer_write, "_write_heads", second_chunk_breaks)
    with in_tenant(tenant):
        record = importer.start_import("families.csv", good_file(), only_good_rows=False, background=True)
        jobs.wait(record.job_id)
        db.session.expire_all()
        record = db.session.get(ImportJob, record.id)
        assert len(written) == 1  # one household was written before the failure …
        assert (record.status, record.reason) == ("failed", "error")
        assert "disk full" in record.job.error
        assert _count(Household) == 0 and _count(Person) == 0  # … and rolled back with the rest
        assert not jobs.can_restart(record.job)


def _stale_import(tenant_id, data: bytes | None, *, runner="inprocess", heartbeat_at=None, progress=0):
    record = ImportJob(filename="families.csv", total_rows=4)
    if data is not None:
        record.storage_key = tenant_key(tenant_id, "imports")
        get_storage().put(record.storage_key, data)
    db.session.add(record)
    db.session.flush()
    job = Job(
        kind="registry.import",
        state="running",
        params={"import_id": record.id},
        runner=runner,
        total=8,
        progress=progress,
        heartbeat_at=heartbeat_at,
        attempts=1,
    )
    db.session.add(job)
    db.session.flush()
    record.job_id = job.id
    db.session.commit()
    return record


def test_a_job_left_running_is_shown_interrupted_and_restarted(
    app, client, login, officer, create_user_, tenant, in_tenant
):
    with in_tenant(tenant):
        fresh = _stale_import(tenant.id, None, heartbeat_at=utcnow())
        stale = _stale_import(
            tenant.id, good_file(), heartbeat_at=utcnow() - timedelta(minutes=10), progress=2
        )
        fresh_id, stale_id = fresh.id, stale.id
    admin = create_user_(roles={tenant: ["tenant_admin"]})
    login(admin)
    running = client.get(f"/t/first/registry/import/{fresh_id}").get_data(as_text=True)
    assert 'id="import-interrupted"' not in running and "restart-import" not in running
    page = client.get(f"/t/first/registry/import/{stale_id}", headers={"Accept-Language": "ar"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="import-interrupted"' in text and 'id="restart-import"' in text
    assert "توقف" in text or "انقطع" in text  # translated
    with in_tenant(tenant):
        db.session.expire_all()
        job = db.session.get(ImportJob, stale_id)
        assert (job.status, job.reason) == ("interrupted", "server_stopped")
        assert db.session.get(ImportJob, fresh_id).status == "running"
    assert client.post(f"/t/first/registry/import/{fresh_id}/restart").status_code == 409
    assert client.post(f"/t/first/registry/import/{stale_id}/restart").status_code == 302
    with in_tenant(tenant):
        job = db.session.get(ImportJob, stale_id)
        jobs.wait(job.job_id, timeout=30)
        db.session.expire_all()
        done = db.session.get(ImportJob, stale_id)
        assert (done.status, done.progress, done.households_created) == ("done", 100, 2)
        assert done.job.attempts == 2
        assert _count(Household) == 2


def test_a_celery_job_whose_worker_died_is_failed_worker_lost_and_can_be_restarted(
    app, client, login, create_user_, tenant, in_tenant
):
    with in_tenant(tenant):
        record = _stale_import(
            tenant.id, good_file(), runner="celery", heartbeat_at=utcnow() - timedelta(minutes=10)
        )
        record_id = record.id
        # The reaper (Celery beat, `flask jobs reap`) finds it: its worker stopped reporting.
    assert jobs.reap()["first"] == 1
    with in_tenant(tenant):
        record = db.session.get(ImportJob, record_id)
        assert (record.status, record.reason, record.job.state) == ("failed", "worker_lost", "failed")
        assert importer.can_restart(record)
    login(create_user_(roles={tenant: ["tenant_admin"]}))
    text = client.get(f"/t/first/registry/import/{record_id}", headers={"Accept-Language": "ar"}).get_data(
        as_text=True
    )
    assert 'data-reason="worker_lost"' in text and 'id="restart-import"' in text
    assert "worker lost" not in text and "فُقد العامل" in text  # the reason, translated


def test_a_job_delivered_again_after_its_worker_was_lost_is_failed_not_run_twice(app, tenant, in_tenant):
    with in_tenant(tenant):
        record = _stale_import(tenant.id, good_file(), runner="celery", heartbeat_at=utcnow())
        job_id = record.job_id
    # Celery re-queues a job whose worker process died (acks_late + reject_on_worker_lost);
    # the next delivery finds it still "running".
    assert jobs.execute(app, job_id, tenant.id) == "failed"
    with app.app_context(), in_tenant(tenant):
        job = db.session.get(Job, job_id)
        assert (job.state, job.reason) == ("failed", "worker_lost")
        assert _count(Household) == 0


def test_the_api_reports_an_interrupted_job(api, officer, create_user_, tenant, in_tenant):
    with in_tenant(tenant):
        record_id = _stale_import(tenant.id, None, heartbeat_at=None).id
        record = db.session.get(ImportJob, record_id)
        record.job.created_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    admin = create_user_(roles={tenant: ["tenant_admin"]})
    body = api(admin).get(f"/imports/{record_id}").json
    assert (body["status"], body["reason"]) == ("interrupted", "server_stopped")


@pytest.mark.parametrize("state", ["succeeded", "failed"])
def test_a_finished_job_is_never_reaped(app_ctx, tenant, in_tenant, state):
    with in_tenant(tenant):
        record = _stale_import(tenant.id, None, heartbeat_at=utcnow() - timedelta(days=1))
        record.job.state = state
        db.session.commit()
        assert jobs.reap()["first"] == 0
        assert db.session.get(Job, record.job_id).state == state
