"""Background imports: progress through validation, interrupted jobs detected and restarted."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from core.registry import Household, ImportJob, importer
from core.storage import get_storage, tenant_key
from core.tenancy import utcnow
from tests.registry.test_import import _count, good_file


def test_progress_moves_while_the_rows_are_validated(app_ctx, tenant, in_tenant, monkeypatch):
    seen: list[tuple[int, int, int]] = []
    original = importer.heartbeat

    def spy(job):
        seen.append((job.validated_rows, job.processed_rows, job.progress))
        original(job)

    monkeypatch.setattr(importer, "heartbeat", spy)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 1)
    with in_tenant(tenant):
        job = importer.start_import("families.csv", good_file(), only_good_rows=False, background=False)
        assert (job.status, job.progress, job.validated_rows) == ("done", 100, 4)
    validating = [progress for validated, processed, progress in seen if processed == 0 and validated]
    assert validating == sorted(validating) and 0 < validating[0] < 50
    assert 50 in {progress for _v, _p, progress in seen}  # every row checked, nothing written yet


def _stale_job(tenant_id, data: bytes | None, **fields) -> ImportJob:
    job = ImportJob(filename="families.csv", status="running", total_rows=4, **fields)
    if data is not None:
        job.storage_key = tenant_key(tenant_id, "imports")
        get_storage().put(job.storage_key, data)
    db.session.add(job)
    db.session.commit()
    return job


def test_a_job_left_running_is_shown_interrupted_and_restarted(
    app, client, login, officer, create_user_, tenant, in_tenant
):
    with in_tenant(tenant):
        fresh = _stale_job(tenant.id, None, heartbeat_at=utcnow())
        stale = _stale_job(
            tenant.id, good_file(), heartbeat_at=utcnow() - timedelta(minutes=10), validated_rows=2
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
        assert job.status == "interrupted"
        assert db.session.get(ImportJob, fresh_id).status == "running"
    assert client.post(f"/t/first/registry/import/{fresh_id}/restart").status_code == 409
    with in_tenant(tenant):
        job = db.session.get(ImportJob, stale_id)
        restarted = importer.restart_import(job)
        restarted._thread.join(timeout=30)
        db.session.expire_all()
        done = db.session.get(ImportJob, stale_id)
        assert (done.status, done.progress, done.households_created) == ("done", 100, 2)
        assert _count(Household) == 2


def test_the_api_reports_an_interrupted_job(api, officer, create_user_, tenant, in_tenant):
    with in_tenant(tenant):
        job_id = _stale_job(tenant.id, None, heartbeat_at=None).id
        job = db.session.get(ImportJob, job_id)
        job.created_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    admin = create_user_(roles={tenant: ["tenant_admin"]})
    body = api(admin).get(f"/imports/{job_id}").json
    assert body["status"] == "interrupted" and body["errors"][-1]["field"] == "_file"
