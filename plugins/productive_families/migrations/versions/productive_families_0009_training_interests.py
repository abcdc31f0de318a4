"""productive_families: a producer asks on the portal to join a suggested training program
(once per program; staff are told and enrol)

Revision ID: productive_families_0009
Revises: productive_families_0008
Create Date: 2026-12-01 11:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "productive_families_0009"
down_revision = "productive_families_0008"
branch_labels = None
depends_on = None

TABLE = "productive_families_training_interests"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "producer_id"],
            ["productive_families_producers.tenant_id", "productive_families_producers.id"],
            name=op.f(f"fk_{TABLE}_tenant_id_producer_id_productive_families_producers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "program_id"],
            ["productive_families_training_programs.tenant_id", "productive_families_training_programs.id"],
            name=op.f(f"fk_{TABLE}_tenant_id_program_id_productive_families_training_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f(f"fk_{TABLE}_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{TABLE}_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id", "program_id", "producer_id", name=op.f(f"uq_{TABLE}_tenant_id_program_id_producer_id")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL folds a unique key equal to the primary key into it (see the first revision).
        op.create_unique_constraint(op.f(f"uq_{TABLE}_tenant_id_id"), TABLE, ["tenant_id", "id"])
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(f"ix_{TABLE}_tenant_producer", ["tenant_id", "producer_id"], unique=False)


def downgrade():
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(f"ix_{TABLE}_tenant_producer")
        batch_op.drop_index(batch_op.f(f"ix_{TABLE}_tenant_id"))
    op.drop_table(TABLE)
