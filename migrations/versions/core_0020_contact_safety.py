"""notifications: safe contact — a person's unsafe channels and addresses and safe window, which
the outbox consults before any SMS or e-mail leaves (held / withheld messages)

Revision ID: core_0020
Revises: core_0019
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0020"
down_revision = "core_0019"
branch_labels = None
depends_on = None


def upgrade():
    table = "notifications_contact_safety"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unsafe_channels", sa.JSON(), nullable=False),
        sa.Column("window_start", sa.Time(), nullable=True),
        sa.Column("window_end", sa.Time(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["registry_persons.tenant_id", "registry_persons.id"],
            name=op.f(f"fk_{table}_tenant_id_person_id_registry_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f(f"fk_{table}_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{table}_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "person_id", name=op.f(f"uq_{table}_tenant_id_person_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{table}_tenant_id_id"), table, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])

    table = "notifications_contact_addresses"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("safety_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("unsafe", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "safety_id"],
            ["notifications_contact_safety.tenant_id", "notifications_contact_safety.id"],
            name=op.f(f"fk_{table}_tenant_id_safety_id_notifications_contact_safety"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{table}_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id", "safety_id", "address", name=op.f(f"uq_{table}_tenant_id_safety_id_address")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{table}_tenant_id_id"), table, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
    op.create_index("ix_notifications_contact_addresses_tenant_address", table, ["tenant_id", "address"])


def downgrade():
    op.drop_index("ix_notifications_contact_addresses_tenant_address", table_name="notifications_contact_addresses")
    for table in ("notifications_contact_addresses", "notifications_contact_safety"):
        op.drop_index(op.f(f"ix_{table}_tenant_id"), table_name=table)
        op.drop_table(table)
