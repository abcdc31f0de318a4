"""A job's owner (the process running it): a process of the same host that died is seen at once —
when a worker starts or the job is looked at — not after the five-minute heartbeat."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from core import jobs
from core.extensions import db
from core.jobs import Job, service
from core.jobs.owner import current_owner, owner_is_dead
from core.tenancy import utcnow


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running(owner: str, runner: str = "inprocess") -> Job:
    job = Job(kind="registry.import", state="running", params={}, runner=runner, heartbeat_at=utcnow(),
              attempts=1, owner=owner)  # fmt: skip
    db.session.add(job)
    db.session.commit()
    return job


def test_an_owner_is_dead_only_when_its_process_on_this_host_is_gone():
    assert not owner_is_dead(current_owner())
    host = socket.gethostname()[:64]
    assert owner_is_dead(f"{host}:{_dead_pid()}:1")
    assert owner_is_dead(f"{host}:{os.getpid()}:1")  # this pid, another start time: a reused pid
    assert not owner_is_dead(f"elsewhere.example:{_dead_pid()}:1")  # another host: unknown here
    assert not owner_is_dead(None) and not owner_is_dead("garbage")


def test_a_job_whose_process_died_is_marked_when_looked_at_with_a_fresh_heartbeat(app_ctx, tenant, in_tenant):
    with in_tenant(tenant):
        dead = _running(f"{socket.gethostname()[:64]}:{_dead_pid()}:1")
        celery = _running(f"{socket.gethostname()[:64]}:{_dead_pid()}:1", runner="celery")
        alive = _running(current_owner())
        elsewhere = _running(f"elsewhere.example:{_dead_pid()}:1")
        assert [jobs.check(job) for job in (dead, celery, alive, elsewhere)] == [True, True, False, False]
        assert (dead.state, dead.reason) == ("interrupted", "server_stopped")
        assert (celery.state, celery.reason) == ("failed", "worker_lost")


def test_the_in_process_runner_looks_for_orphans_as_it_starts(app, tenant, monkeypatch):
    started = []
    monkeypatch.setattr(service, "recover_orphans", started.append)
    runner = service.JobsState(app)
    runner.submit_local(app, 0, tenant.id)  # no such job: nothing runs but the start-up
    runner.submit_local(app, 0, tenant.id)
    runner.shutdown()
    assert started == [app]  # once, when its threads start
