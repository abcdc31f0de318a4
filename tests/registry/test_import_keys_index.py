"""SQLite: an import that brings more persons than the registry holds builds the keys' wide
index and the persons' name, family-name and ID-hash indexes afresh inside its transaction
(issue 19), its keys written straight to their table meanwhile — the same indexes after,
searches and a person's keys found through them, and a failed write leaves them in place."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core import jobs
from core.extensions import db
from core.registry import ImportJob, importer, importer_write
from core.registry.models import Person, PersonNameKey
from core.registry.services import search_persons
from tests.registry.test_import_setwise import _families

KEY_INDEX = "PRIMARY KEY"  # the keys are kept in the order of (tenant_id, person_id, key): WITHOUT ROWID


def _index_sql() -> list:
    """Every index of the tables the import writes, as created."""
    return db.session.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
            "('registry_persons', 'registry_person_name_keys') ORDER BY name"
        )
    ).all()


@pytest.fixture
def sqlite_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the rebuild is SQLite's (PostgreSQL inserts the keys directly)")


@pytest.fixture
def rebuilds(monkeypatch):
    """Every import counts as bigger than the registry (the test database holds other tests')."""
    built = []
    dropped = importer_write._dropped_for_rebuild

    def drop(rows):
        indexes = dropped(rows)
        built.extend(indexes)
        return indexes

    monkeypatch.setattr(
        importer_write, "REBUILT", {t: (names, 0) for t, (names, _least) in importer_write.REBUILT.items()}
    )
    monkeypatch.setattr(importer_write, "_held_persons", lambda connection: 0)
    monkeypatch.setattr(importer_write, "_dropped_for_rebuild", drop)
    return built


def test_a_big_import_builds_the_keys_and_persons_indexes_afresh_the_same(
    sqlite_only, app_ctx, tenant, in_tenant, rebuilds
):
    before = _index_sql()
    with in_tenant(tenant):
        record = importer.start_import("families.csv", _families(5, 31_000), only_good_rows=False)
        db.session.commit()
        assert record.households_created == 5
        rebuilt = {importer_write.WIDE_INDEX, *importer_write.PERSONS_REBUILT}
        assert {index.name for index in rebuilds} == rebuilt
        assert _index_sql() == before and len(before) >= 6
        head = db.session.execute(db.select(Person).where(Person.first_name == "سعد")).scalars().first()
        plan = db.session.execute(
            sa.text(
                "EXPLAIN QUERY PLAN SELECT key FROM registry_person_name_keys WHERE tenant_id = :t AND person_id = :p"
            ),
            {"t": tenant.id, "p": head.id},
        ).all()
        assert KEY_INDEX in str(plan)
        keys = db.session.execute(
            db.select(db.func.count(PersonNameKey.key)).where(PersonNameKey.person_id == head.id)
        ).scalar_one()
        assert keys >= 1
        assert head.id in {p.id for p in search_persons(f"{head.first_name} {head.family_name}", 1, 1000)[0]}
        for typed in (head.first_name, head.family_name, head.national_id):  # the persons' indexes
            assert head.id in {p.id for p in search_persons(typed, 1, 1000)[0]}, typed


def test_a_write_failing_after_the_index_was_dropped_leaves_it_and_nothing_else(
    sqlite_only, app_ctx, tenant, in_tenant, rebuilds, monkeypatch
):
    before = _index_sql()

    def fails(self, connection):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sa.Index, "create", fails)
    with in_tenant(tenant):
        persons = db.session.execute(db.select(db.func.count(Person.id))).scalar_one()
        record = importer.start_import(
            "families.csv", _families(5, 32_000), only_good_rows=False, background=True
        )
        jobs.wait(record.job_id)
        db.session.expire_all()
        record = db.session.get(ImportJob, record.id)
        assert (record.status, record.reason) == ("failed", "error") and len(rebuilds) == 4
        assert _index_sql() == before and len(before) >= 6
        assert db.session.execute(db.select(db.func.count(Person.id))).scalar_one() == persons
