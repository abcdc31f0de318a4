"""makkah_aid: tables keyed by (tenant_id, id) (Citus)

Citus distributes a table by ``tenant_id`` only if its primary key includes that column
(docs/scaling.md). PostgreSQL only: on SQLite ``id`` stays the rowid primary key (see
core_0011).

Revision ID: makkah_aid_0002
Revises: makkah_aid_0001
"""

from alembic import op

revision = "makkah_aid_0002"
down_revision = "makkah_aid_0001"
branch_labels = None
depends_on = "core_0011"

TABLES = [
    "makkah_aid_assessments",
    "makkah_aid_exclusion_proposals",
    "makkah_aid_renewal_rounds",
    "makkah_aid_renewals",
    "makkah_aid_rule_versions",
    "makkah_aid_violations",
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
