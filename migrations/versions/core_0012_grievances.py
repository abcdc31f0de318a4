"""core grievances and complaints: cases, their numbering counters, assignees, timeline, appeals

Tenant tables keyed by ``(tenant_id, id)`` like every core tenant table (core_0011); a
grievance points at a request and a disbursement of its own tenant only.

Revision ID: core_0012
Revises: core_0011
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0012"
down_revision = "core_0011"
branch_labels = None
depends_on = None


TABLES = ["grievances_counters", "grievances_grievances", "grievances_appeals", "grievances_assignees",
          "grievances_events"]  # fmt: skip


def upgrade():
    op.create_table(
        "grievances_counters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_grievances_counters_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_grievances_counters")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_grievances_counters_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "year", name=op.f("uq_grievances_counters_tenant_id_year")),
    )
    with op.batch_alter_table("grievances_counters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grievances_counters_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "grievances_grievances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("number_year", sa.Integer(), nullable=False),
        sa.Column("number_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=63), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("complainant_name", sa.String(length=255), nullable=False),
        sa.Column("complainant_phone", sa.String(length=32), nullable=False),
        sa.Column("complainant_email", sa.String(length=255), nullable=True),
        sa.Column("complainant_user_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("disbursement_id", sa.Integer(), nullable=True),
        sa.Column("provider_name", sa.String(length=255), nullable=True),
        sa.Column("about_user_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("clock_from", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("late_excuse", sa.Text(), nullable=True),
        sa.Column("excuse_accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("excuse_accepted_at", sa.DateTime(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("overdue_notified_at", sa.DateTime(), nullable=True),
        sa.Column("assigned_body", sa.String(length=255), nullable=True),
        sa.Column("malicious", sa.Boolean(), nullable=False),
        sa.Column("malicious_note", sa.Text(), nullable=True),
        sa.Column("disciplinary_referral", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("decision_text", sa.Text(), nullable=True),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("inadmissible_rule", sa.String(length=63), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["about_user_id"],
            ["users.id"],
            name=op.f("fk_grievances_grievances_about_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["complainant_user_id"],
            ["users.id"],
            name=op.f("fk_grievances_grievances_complainant_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_grievances_grievances_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_grievances_grievances_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["excuse_accepted_by_id"],
            ["users.id"],
            name=op.f("fk_grievances_grievances_excuse_accepted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "disbursement_id"],
            ["aid_disbursements.tenant_id", "aid_disbursements.id"],
            name=op.f("fk_grievances_grievances_tenant_id_disbursement_id_aid_disbursements"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "request_id"],
            ["requests_requests.tenant_id", "requests_requests.id"],
            name=op.f("fk_grievances_grievances_tenant_id_request_id_requests_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_grievances_grievances_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_grievances_grievances")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_grievances_grievances_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_grievances_grievances_tenant_id_number")),
    )
    with op.batch_alter_table("grievances_grievances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_grievances_grievances_tenant_complainant", ["tenant_id", "complainant_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grievances_grievances_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_grievances_grievances_tenant_state", ["tenant_id", "state"], unique=False)

    op.create_table(
        "grievances_appeals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("decision_text", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_grievances_appeals_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handler_id"],
            ["users.id"],
            name=op.f("fk_grievances_appeals_handler_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "grievance_id"],
            ["grievances_grievances.tenant_id", "grievances_grievances.id"],
            name=op.f("fk_grievances_appeals_tenant_id_grievance_id_grievances_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_grievances_appeals_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_grievances_appeals")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_grievances_appeals_tenant_id_id")),
    )
    with op.batch_alter_table("grievances_appeals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_grievances_appeals_tenant_grievance", ["tenant_id", "grievance_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grievances_appeals_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "grievances_assignees",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_grievances_assignees_assigned_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "grievance_id"],
            ["grievances_grievances.tenant_id", "grievances_grievances.id"],
            name=op.f("fk_grievances_assignees_tenant_id_grievance_id_grievances_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_grievances_assignees_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_grievances_assignees_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_grievances_assignees")),
        sa.UniqueConstraint(
            "tenant_id",
            "grievance_id",
            "user_id",
            name=op.f("uq_grievances_assignees_tenant_id_grievance_id_user_id"),
        ),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_grievances_assignees_tenant_id_id")),
    )
    with op.batch_alter_table("grievances_assignees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grievances_assignees_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_grievances_assignees_tenant_user", ["tenant_id", "user_id"], unique=False)

    op.create_table(
        "grievances_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_grievances_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "grievance_id"],
            ["grievances_grievances.tenant_id", "grievances_grievances.id"],
            name=op.f("fk_grievances_events_tenant_id_grievance_id_grievances_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_grievances_events_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_grievances_events")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_grievances_events_tenant_id_id")),
    )
    with op.batch_alter_table("grievances_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_grievances_events_tenant_grievance", ["tenant_id", "grievance_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grievances_events_tenant_id"), ["tenant_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL drops a unique constraint that repeats the primary key inside CREATE TABLE;
        # the models declare it (every tenant table has one), so it is added on its own.
        for table in TABLES:
            op.create_unique_constraint(f"uq_{table}_tenant_id_id", table, ["tenant_id", "id"])


def downgrade():
    with op.batch_alter_table("grievances_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievances_events_tenant_id"))
        batch_op.drop_index("ix_grievances_events_tenant_grievance")

    op.drop_table("grievances_events")
    with op.batch_alter_table("grievances_assignees", schema=None) as batch_op:
        batch_op.drop_index("ix_grievances_assignees_tenant_user")
        batch_op.drop_index(batch_op.f("ix_grievances_assignees_tenant_id"))

    op.drop_table("grievances_assignees")
    with op.batch_alter_table("grievances_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievances_appeals_tenant_id"))
        batch_op.drop_index("ix_grievances_appeals_tenant_grievance")

    op.drop_table("grievances_appeals")
    with op.batch_alter_table("grievances_grievances", schema=None) as batch_op:
        batch_op.drop_index("ix_grievances_grievances_tenant_state")
        batch_op.drop_index(batch_op.f("ix_grievances_grievances_tenant_id"))
        batch_op.drop_index("ix_grievances_grievances_tenant_complainant")

    op.drop_table("grievances_grievances")
    with op.batch_alter_table("grievances_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievances_counters_tenant_id"))

    op.drop_table("grievances_counters")
