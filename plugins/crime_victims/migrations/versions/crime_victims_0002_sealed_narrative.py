"""crime_victims: the sealed narrative of a case (encrypted at rest) and the log of its reads

Revision ID: crime_victims_0002
Revises: crime_victims_0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "crime_victims_0002"
down_revision = "crime_victims_0001"
branch_labels = None
depends_on = None

TABLE = "crime_victims_narrative_reads"


def upgrade():
    with op.batch_alter_table("crime_victims_cases") as batch:
        batch.add_column(sa.Column("narrative_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("incident_details_encrypted", sa.Text(), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.String(length=40), nullable=False),
        sa.Column("via", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
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
            ["user_id"], ["users.id"], name=op.f(f"fk_{TABLE}_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{TABLE}_tenant_id_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{TABLE}_tenant_id_id"), TABLE, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{TABLE}_tenant_id"), TABLE, ["tenant_id"])
    op.create_index("ix_crime_victims_narrative_reads_tenant_case", TABLE, ["tenant_id", "case_id"])


def downgrade():
    op.drop_index("ix_crime_victims_narrative_reads_tenant_case", table_name=TABLE)
    op.drop_index(op.f(f"ix_{TABLE}_tenant_id"), table_name=TABLE)
    op.drop_table(TABLE)
    with op.batch_alter_table("crime_victims_cases") as batch:
        batch.drop_column("incident_details_encrypted")
        batch.drop_column("narrative_encrypted")
