"""PostgreSQL: a bulk import takes the registry tables' statistics once its first chunk is in
(``importer_write._refresh_statistics``), so the foreign-key checks of the later rows are
planned by the primary key — without statistics the planner may check each search key by
reading every person of the association written so far (bench/README.md, "Import on
PostgreSQL"). The function is the tables' owner's; the app role may call it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.registry import importer
from core.registry.models import Person, PersonNameKey
from core.registry.normalize import name_keys
from core.registry.services.persons import NAME_PARTS
from tests.registry.test_import_setwise import _families


@pytest.fixture
def postgres_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("statistics and the planner's foreign-key checks are PostgreSQL's")


def _analyzed(table: str) -> int:
    db.session.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
    return db.session.execute(
        sa.text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
    ).scalar_one()


def test_an_import_takes_the_registry_statistics_and_keeps_every_key(
    postgres_only, app_ctx, tenant, in_tenant
):
    before = {table: _analyzed(table) for table in ("registry_persons", "registry_households")}
    db.session.commit()
    with in_tenant(tenant):
        record = importer.start_import("families.csv", _families(5, 32_000), only_good_rows=False)
        db.session.commit()
        assert record.households_created == 5
        head = db.session.execute(db.select(Person).where(Person.first_name == "سعد")).scalars().first()
        keys = (
            db.session.execute(db.select(PersonNameKey.key).where(PersonNameKey.person_id == head.id))
            .scalars()
            .all()
        )
        assert sorted(keys) == sorted(name_keys(*(getattr(head, part) for part in NAME_PARTS)))
    db.session.commit()
    after = {table: _analyzed(table) for table in before}
    assert all(after[table] > before[table] for table in before), (before, after)


def test_the_refresh_waits_for_another_analyze_and_gives_up_quietly_past_its_wait(postgres_only, app_ctx):
    """Another session holding the tables as ANALYZE does (autovacuum's, another import's): the
    refresh waits for it rather than skipping (a skipped refresh leaves the import with plans
    that read every person per key), and past its wait it answers false instead of failing the
    import's transaction."""
    import threading

    from core.testing.app import owner_url

    holder = sa.create_engine(owner_url(app_ctx.config["SQLALCHEMY_DATABASE_URI"]))
    locked, release = threading.Event(), threading.Event()

    def hold(seconds: float) -> None:
        with holder.connect() as connection:
            connection.exec_driver_sql("LOCK TABLE registry_households IN SHARE UPDATE EXCLUSIVE MODE")
            locked.set()
            release.wait(seconds)
            connection.rollback()

    def refresh(wait_ms: int) -> bool:
        taken = db.session.execute(sa.text("SELECT charity_refresh_registry_statistics(:w)"), {"w": wait_ms})
        return taken.scalar_one()

    try:
        thread = threading.Thread(target=hold, args=(0.5,))
        thread.start()
        locked.wait(10)
        assert refresh(10_000) is True  # waited the half second, then analysed
        thread.join()
        db.session.rollback()

        locked.clear()
        thread = threading.Thread(target=hold, args=(10,))
        thread.start()
        locked.wait(10)
        assert refresh(200) is False  # gave up after 0.2 s, the transaction still usable
        assert db.session.execute(sa.text("SELECT current_setting('lock_timeout')")).scalar_one() == "0"
        release.set()
        thread.join()
        db.session.rollback()
    finally:
        release.set()
        holder.dispose()
