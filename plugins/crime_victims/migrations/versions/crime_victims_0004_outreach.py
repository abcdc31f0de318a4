"""crime_victims: proactive outreach — the outside referrer of a case, and sessions at the office,
at home or remote

Revision ID: crime_victims_0004
Revises: crime_victims_0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "crime_victims_0004"
down_revision = "crime_victims_0003"
branch_labels = None
depends_on = None

TABLE = "crime_victims_sessions"


def upgrade():
    with op.batch_alter_table("crime_victims_cases") as batch:
        batch.add_column(sa.Column("referrer_kind", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("referrer_name", sa.String(length=120), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=40), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{TABLE}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "case_id"],
            ["crime_victims_cases.tenant_id", "crime_victims_cases.id"],
            name=op.f(f"fk_{TABLE}_tenant_id_case_id_crime_victims_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["users.id"], name=op.f(f"fk_{TABLE}_staff_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{TABLE}_tenant_id_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{TABLE}_tenant_id_id"), TABLE, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{TABLE}_tenant_id"), TABLE, ["tenant_id"])
    op.create_index("ix_crime_victims_sessions_tenant_case", TABLE, ["tenant_id", "case_id", "scheduled_at"])


def downgrade():
    op.drop_index("ix_crime_victims_sessions_tenant_case", table_name=TABLE)
    op.drop_index(op.f(f"ix_{TABLE}_tenant_id"), table_name=TABLE)
    op.drop_table(TABLE)
    with op.batch_alter_table("crime_victims_cases") as batch:
        batch.drop_column("referrer_name")
        batch.drop_column("referrer_kind")
