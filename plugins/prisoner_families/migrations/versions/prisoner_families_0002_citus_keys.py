"""prisoner_families: tables keyed by (tenant_id, id) (Citus)

Citus distributes a table by ``tenant_id`` only if its primary key includes that column
(docs/scaling.md). PostgreSQL only: on SQLite ``id`` stays the rowid primary key (see
core_0011).

Revision ID: prisoner_families_0002
Revises: prisoner_families_0001
"""

from alembic import op

revision = "prisoner_families_0002"
down_revision = "prisoner_families_0001"
branch_labels = None
depends_on = "core_0011"

TABLES = [
    "prisoner_families_attendance",
    "prisoner_families_debt_cases",
    "prisoner_families_debt_entries",
    "prisoner_families_employments",
    "prisoner_families_enrolments",
    "prisoner_families_family_links",
    "prisoner_families_follow_ups",
    "prisoner_families_negotiations",
    "prisoner_families_placements",
    "prisoner_families_prisoners",
    "prisoner_families_programs",
    "prisoner_families_sessions",
]


def rekey(columns: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, columns)


def upgrade():
    rekey(["tenant_id", "id"])


def downgrade():
    rekey(["id"])
