"""The import written set-wise (issue 19): a killed worker leaves nothing and its job is marked
at the next worker's start, one set-based duplicate check, the audit chain intact after the
bulk entries, and statements that do not grow with the rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from core import jobs
from core.audit.chain import verify_chain
from core.audit.models import AuditEvent
from core.extensions import db
from core.i18n import MODULE_DOMAINS
from core.jobs import Job
from core.registry import Household, ImportJob, Member, Person, importer, importer_write
from core.registry.models import BeneficiaryFile, FileEvent, PersonNameKey
from core.registry.services import search_persons
from core.testing import count_queries, person_payload
from tests.registry.factories import valid_id
from tests.registry.test_import import csv_bytes, good_file, row
from tests.servers import ROOT, app_environment

_ = MODULE_DOMAINS["registry"].gettext  # the importer's messages are the registry's words

REGISTRY = (Person, PersonNameKey, Household, Member, BeneficiaryFile, FileEvent)


def _count(model) -> int:
    return db.session.execute(db.select(db.func.count(model.tenant_id))).scalar_one()  # scoped to the tenant


def _registry_audit(tenant_id: int) -> int:
    return db.session.execute(
        db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.tenant_id == tenant_id, AuditEvent.action.like("registry.%.created")
        )
    ).scalar_one()


def _families(count: int, first_serial: int = 10_000) -> bytes:
    return csv_bytes(
        *[
            line
            for i in range(count)
            for line in (
                row(f"H{i}", "head", "سعد", valid_id("1", first_serial + i)),
                row(f"H{i}", "spouse", "منى", studying="no"),
                row(f"H{i}", "son", "علي", studying="yes"),
            )
        ]
    )


def test_a_worker_killed_mid_write_leaves_nothing_and_the_next_worker_marks_its_job_at_once(
    app, app_ctx, tenant, in_tenant, tmp_path
):
    log = tmp_path / "child.log"
    with log.open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "registry" / "import_child.py"), str(tenant.id)],
            cwd=ROOT, env=app_environment(app), stdout=subprocess.PIPE, stderr=err, start_new_session=True,
        )  # fmt: skip
    try:
        line = child.stdout.readline()  # two chunks written, uncommitted, in the child's thread
        assert line.strip() == b"WRITING", log.read_text(errors="replace")[-3000:]
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with in_tenant(tenant):
        db.session.rollback()
        assert [_count(model) for model in REGISTRY] == [0] * len(REGISTRY)
        assert _registry_audit(tenant.id) == 0
        record = db.session.execute(db.select(ImportJob).where(ImportJob.filename == "big.csv")).scalar_one()
        job_id = record.job_id
        job = record.job
        # Its heartbeat is fresh: the reaper's five minutes are far off …
        assert job.state == "running" and job.owner.split(":")[1] == str(child.pid)
    # … but a worker starting on this host sees its owner is gone and marks it now.
    assert jobs.recover_orphans(app) == {"first": 1}
    with in_tenant(tenant):
        db.session.rollback()
        job = db.session.get(Job, job_id)
        assert (job.state, job.reason) == ("interrupted", "server_stopped")
        assert importer.can_restart(db.session.get(ImportJob, record.id))
        assert [_count(model) for model in REGISTRY] == [0] * len(REGISTRY)
        assert verify_chain(tenant.id).ok
    assert jobs.recover_orphans(app) == {}  # marked once


def test_a_job_whose_process_is_alive_is_left_running(app, app_ctx, tenant, in_tenant):
    with in_tenant(tenant):
        record = importer.start_import("families.csv", good_file(), only_good_rows=False)
        job = record.job
        job.state, job.owner = "running", jobs.service.current_owner()  # this process: alive
        db.session.commit()
    assert jobs.recover_orphans(app) == {}
    with in_tenant(tenant):
        assert db.session.get(Job, job.id).state == "running"
        assert not importer.check_interrupted(db.session.get(ImportJob, record.id))


def test_duplicate_ids_within_the_file_and_against_the_association_are_reported_by_line(
    app_ctx, tenant, other_tenant, in_tenant, create_person
):
    registered, twice, elsewhere = valid_id("1", 501), valid_id("1", 502), valid_id("1", 503)
    create_person(tenant, national_id=registered)
    create_person(other_tenant, national_id=elsewhere)  # another association's: no conflict here
    data = csv_bytes(
        row("A", "head", "سعد", registered),  # 2: already registered
        row("B", "head", "هند", twice),  # 3
        row("B", "son", "علي", twice),  # 4: twice in the file (line 3)
        row("C", "head", "فهد", elsewhere),  # 5: fine
        row("C", "spouse", "منى", valid_id("1", 504)),  # 6
    )
    with in_tenant(tenant):
        record = importer.start_import("dupes.csv", data, only_good_rows=True)
        db.session.commit()
        assert (record.status, record.households_created) == ("done", 1)
        assert [(e["line"], e["field"], e["message"]) for e in record.errors] == [
            (2, "national_id", _("This ID number is already registered in this association.")),
            (4, "national_id", _("This ID number appears twice in the file (line %(line)s).", line=3)),
        ]
        assert _count(Household) == 1 and _count(Person) == 3  # the registered one and C's two
        assert _count(Member) == 1


def test_the_audit_chain_verifies_after_a_bulk_import(
    app_ctx, tenant, in_tenant, monkeypatch, create_household
):
    monkeypatch.setattr(importer_write, "HEADS_PER_CHUNK", 4)  # several bulk appends in a row
    create_household(tenant, head=person_payload(national_id=valid_id("1", 9)))  # entries before
    with in_tenant(tenant):
        record = importer.start_import("families.csv", _families(10), only_good_rows=False)
        db.session.commit()
    create_household(tenant, head=person_payload(national_id=valid_id("1", 8)))  # … and after
    with in_tenant(tenant):
        assert record.status == "done" and record.households_created == 10
        report = verify_chain(tenant.id)
        assert report.ok, report
        actions = db.session.execute(
            db.select(AuditEvent.action, AuditEvent.object_id)
            .where(AuditEvent.tenant_id == tenant.id)
            .order_by(AuditEvent.seq)
        ).all()
        assert report.checked == len(actions)
        imported = [
            a for a in actions if a.action in ("registry.person.created", "registry.household.created")
        ]
        assert len(imported) == 2 * 12  # per household: its head created, the household created
        assert [a.action for a in actions].count("registry.import.completed") == 1


def test_an_imported_household_is_the_one_the_services_create(app_ctx, tenant, in_tenant):
    number = valid_id("1", 777)
    data = csv_bytes(
        row("A", "head", "سعد", number),
        row("A", "spouse", "منى", valid_id("1", 778), studying="no", phone="0551234567"),
        row(
            "A", "son", "علي", studying="yes"
        ),  # fields the spouse has left out: one bulk insert all the same
    )
    with in_tenant(tenant):
        record = importer.start_import("families.csv", data, only_good_rows=False)
        db.session.commit()
        assert record.households_created == 1
        household = db.session.execute(db.select(Household).order_by(Household.id)).unique().scalars().first()
        head, members = household.head, household.members
        assert (head.first_name, head.family_name, head.id_type) == ("سعد", "الحربي", "citizen")
        assert head.national_id == number and head.monthly_income == 250_000
        assert [m.person.national_id for m in members] == [valid_id("1", 778), None]
        assert [m.person.phone for m in members] == ["+966551234567", None]
        assert [(m.relationship_, m.studying, m.income) for m in members] == [
            ("spouse", False, 250_000),
            ("son", True, 250_000),
        ]
        assert household.file.status == "applicant" and (household.annual_rent, household.category) == (
            1_200_000,
            "family",
        )
        found, _total = search_persons("سعد الحربي")  # the search keys were written too
        assert head.id in {p.id for p in found}


@pytest.mark.parametrize("small, big", [(3, 60)])
def test_the_write_is_set_wise_statements_do_not_grow_with_the_rows(app_ctx, tenant, in_tenant, small, big):
    counts = []
    with in_tenant(tenant):  # the first import of a test reads the tenant's plugins (cached after)
        importer.start_import("warm-up.csv", _families(1, 19_000), only_good_rows=False)
        db.session.commit()
    for index, households in enumerate((small, big)):
        with in_tenant(tenant), count_queries() as queries:
            record = importer.start_import(
                "families.csv", _families(households, 20_000 + 1000 * index), only_good_rows=False
            )
            db.session.commit()
        assert record.households_created == households
        counts.append(queries.count)
    assert counts[0] == counts[1], counts  # 3 households or 60 (180 rows): the same statements
