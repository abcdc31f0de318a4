"""supporters: supporters and their contacts, agreements, pledges and instalments, donations
with their gap-free receipt counters

Tables keyed by (tenant_id, id) like every core tenant table (core_0011).

Revision ID: core_0018
Revises: core_0017
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0018"
down_revision = "core_0017"
branch_labels = None
depends_on = None

TABLES = ["supporters_receipt_counters", "supporters_supporters", "supporters_agreements", "supporters_contacts",
          "supporters_pledges", "supporters_instalments", "supporters_donations"]  # fmt: skip


def upgrade():
    op.create_table(
        "supporters_receipt_counters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_receipt_counters_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_receipt_counters")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_receipt_counters_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "year", name=op.f("uq_supporters_receipt_counters_tenant_id_year")),
    )
    with op.batch_alter_table("supporters_receipt_counters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supporters_receipt_counters_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "supporters_supporters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("contact_name", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("city", sa.String(length=127), nullable=True),
        sa.Column("preferred_channel", sa.String(length=16), nullable=True),
        sa.Column("consent_channels", sa.JSON(), nullable=False),
        sa.Column("consent_recorded_on", sa.Date(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("stage_changed_on", sa.Date(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_supporters_supporters_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_supporters_supporters_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_supporters_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_supporters")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_supporters_tenant_id_id")),
    )
    with op.batch_alter_table("supporters_supporters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supporters_supporters_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_supporters_supporters_tenant_owner", ["tenant_id", "owner_id"], unique=False
        )
        batch_op.create_index("ix_supporters_supporters_tenant_stage", ["tenant_id", "stage"], unique=False)

    op.create_table(
        "supporters_agreements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("value_halalas", sa.BigInteger(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=63), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("storage_key", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_supporters_agreements_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_supporters_agreements_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "supporter_id"],
            ["supporters_supporters.tenant_id", "supporters_supporters.id"],
            name=op.f("fk_supporters_agreements_tenant_id_supporter_id_supporters_supporters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_agreements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_agreements")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_agreements_tenant_id_id")),
    )
    with op.batch_alter_table("supporters_agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supporters_agreements_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_supporters_agreements_tenant_supporter", ["tenant_id", "supporter_id"], unique=False
        )

    op.create_table(
        "supporters_contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_supporters_contacts_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "supporter_id"],
            ["supporters_supporters.tenant_id", "supporters_supporters.id"],
            name=op.f("fk_supporters_contacts_tenant_id_supporter_id_supporters_supporters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_contacts_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_contacts")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_contacts_tenant_id_id")),
    )
    with op.batch_alter_table("supporters_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supporters_contacts_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_supporters_contacts_tenant_supporter", ["tenant_id", "supporter_id"], unique=False
        )

    op.create_table(
        "supporters_pledges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("total_halalas", sa.BigInteger(), nullable=False),
        sa.Column("pledged_on", sa.Date(), nullable=False),
        sa.Column("catalog_item_id", sa.Integer(), nullable=True),
        sa.Column("season", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_supporters_pledges_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "catalog_item_id"],
            ["aid_catalog_items.tenant_id", "aid_catalog_items.id"],
            name=op.f("fk_supporters_pledges_tenant_id_catalog_item_id_aid_catalog_items"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "supporter_id"],
            ["supporters_supporters.tenant_id", "supporters_supporters.id"],
            name=op.f("fk_supporters_pledges_tenant_id_supporter_id_supporters_supporters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_pledges_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_pledges")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_pledges_tenant_id_id")),
    )
    with op.batch_alter_table("supporters_pledges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supporters_pledges_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_supporters_pledges_tenant_supporter", ["tenant_id", "supporter_id"], unique=False
        )

    op.create_table(
        "supporters_instalments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_halalas", sa.BigInteger(), nullable=False),
        sa.Column("paid_halalas", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "pledge_id"],
            ["supporters_pledges.tenant_id", "supporters_pledges.id"],
            name=op.f("fk_supporters_instalments_tenant_id_pledge_id_supporters_pledges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_instalments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_instalments")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_instalments_tenant_id_id")),
    )
    with op.batch_alter_table("supporters_instalments", schema=None) as batch_op:
        batch_op.create_index("ix_supporters_instalments_tenant_due", ["tenant_id", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_supporters_instalments_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_supporters_instalments_tenant_pledge", ["tenant_id", "pledge_id"], unique=False
        )

    op.create_table(
        "supporters_donations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("value_halalas", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("catalog_item_id", sa.Integer(), nullable=True),
        sa.Column("season", sa.String(length=40), nullable=True),
        sa.Column("instalment_id", sa.Integer(), nullable=True),
        sa.Column("receipt_number", sa.String(length=24), nullable=False),
        sa.Column("receipt_year", sa.Integer(), nullable=False),
        sa.Column("receipt_seq", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("value_halalas > 0", name=op.f("ck_supporters_donations_value_positive")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_supporters_donations_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "catalog_item_id"],
            ["aid_catalog_items.tenant_id", "aid_catalog_items.id"],
            name=op.f("fk_supporters_donations_tenant_id_catalog_item_id_aid_catalog_items"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "instalment_id"],
            ["supporters_instalments.tenant_id", "supporters_instalments.id"],
            name=op.f("fk_supporters_donations_tenant_id_instalment_id_supporters_instalments"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "supporter_id"],
            ["supporters_supporters.tenant_id", "supporters_supporters.id"],
            name=op.f("fk_supporters_donations_tenant_id_supporter_id_supporters_supporters"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supporters_donations_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supporters_donations")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_supporters_donations_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id", "receipt_number", name=op.f("uq_supporters_donations_tenant_id_receipt_number")
        ),
    )
    with op.batch_alter_table("supporters_donations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supporters_donations_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_supporters_donations_tenant_received", ["tenant_id", "received_on"], unique=False
        )
        batch_op.create_index(
            "ix_supporters_donations_tenant_supporter", ["tenant_id", "supporter_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL drops a unique constraint that repeats the primary key inside CREATE TABLE;
        # the models declare it (every tenant table has one), so it is added on its own.
        for table in TABLES:
            op.create_unique_constraint(f"uq_{table}_tenant_id_id", table, ["tenant_id", "id"])


def downgrade():
    with op.batch_alter_table("supporters_donations", schema=None) as batch_op:
        batch_op.drop_index("ix_supporters_donations_tenant_supporter")
        batch_op.drop_index("ix_supporters_donations_tenant_received")
        batch_op.drop_index(batch_op.f("ix_supporters_donations_tenant_id"))

    op.drop_table("supporters_donations")
    with op.batch_alter_table("supporters_instalments", schema=None) as batch_op:
        batch_op.drop_index("ix_supporters_instalments_tenant_pledge")
        batch_op.drop_index(batch_op.f("ix_supporters_instalments_tenant_id"))
        batch_op.drop_index("ix_supporters_instalments_tenant_due")

    op.drop_table("supporters_instalments")
    with op.batch_alter_table("supporters_pledges", schema=None) as batch_op:
        batch_op.drop_index("ix_supporters_pledges_tenant_supporter")
        batch_op.drop_index(batch_op.f("ix_supporters_pledges_tenant_id"))

    op.drop_table("supporters_pledges")
    with op.batch_alter_table("supporters_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_supporters_contacts_tenant_supporter")
        batch_op.drop_index(batch_op.f("ix_supporters_contacts_tenant_id"))

    op.drop_table("supporters_contacts")
    with op.batch_alter_table("supporters_agreements", schema=None) as batch_op:
        batch_op.drop_index("ix_supporters_agreements_tenant_supporter")
        batch_op.drop_index(batch_op.f("ix_supporters_agreements_tenant_id"))

    op.drop_table("supporters_agreements")
    with op.batch_alter_table("supporters_supporters", schema=None) as batch_op:
        batch_op.drop_index("ix_supporters_supporters_tenant_stage")
        batch_op.drop_index("ix_supporters_supporters_tenant_owner")
        batch_op.drop_index(batch_op.f("ix_supporters_supporters_tenant_id"))

    op.drop_table("supporters_supporters")
    with op.batch_alter_table("supporters_receipt_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supporters_receipt_counters_tenant_id"))

    op.drop_table("supporters_receipt_counters")
