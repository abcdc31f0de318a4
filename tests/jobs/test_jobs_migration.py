"""core_0010 gives every existing import its job (state, progress, heartbeat carried over) and
drops the columns the job now holds; downgrading brings them back."""

from __future__ import annotations

from datetime import datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from core.extensions import db
from tests.fixtures import make_app


def test_existing_imports_get_their_job_and_come_back_on_downgrade(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")
    with app.app_context():
        upgrade(revision="core_0006")
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO tenants (slug, name_ar, name_en, service_area, contact, default_locale, "
                     "calendar_display, currency, hosts, settings, is_active, created_at, updated_at) VALUES "
                     "('t', 'ت', 'T', '[]', '{}', 'ar', 'both', 'SAR', '[]', '{}', 1, :now, :now)"),
                {"now": datetime(2026, 1, 1)},
            )  # fmt: skip
            for status, validated, processed in (("done", 4, 4), ("running", 4, 1), ("pending", 0, 0)):
                conn.execute(
                    text("INSERT INTO registry_import_jobs (tenant_id, filename, status, only_good_rows, "
                         "total_rows, validated_rows, processed_rows, households_created, errors, created_at, "
                         "heartbeat_at) VALUES (1, 'f.csv', :s, 0, 4, :v, :p, 0, '[]', :now, :now)"),
                    {"s": status, "v": validated, "p": processed, "now": datetime(2026, 1, 1)},
                )  # fmt: skip
        upgrade(revision="core_0010")
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT j.state, j.progress, j.total, j.kind, j.heartbeat_at IS NOT NULL, i.id "
                     "FROM registry_import_jobs i JOIN jobs j ON j.id = i.job_id ORDER BY i.id")
            ).all()  # fmt: skip
            columns = {c[1] for c in conn.execute(text("PRAGMA table_info(registry_import_jobs)"))}
        assert [tuple(r[:5]) for r in rows] == [
            ("succeeded", 8, 8, "registry.import", 1),
            ("running", 5, 8, "registry.import", 1),
            ("queued", 0, 8, "registry.import", 1),
        ]
        assert "status" not in columns and "job_id" in columns
        downgrade(revision="core_0006")
        with db.engine.connect() as conn:
            back = conn.execute(
                text("SELECT status, validated_rows, processed_rows FROM registry_import_jobs ORDER BY id")
            ).all()
        assert [tuple(r) for r in back] == [("done", 4, 4), ("running", 4, 1), ("pending", 0, 0)]
