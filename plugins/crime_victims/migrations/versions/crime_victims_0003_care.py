"""crime_victims: needs of a case (the case plan), partner organisations, referrals

Revision ID: crime_victims_0003
Revises: crime_victims_0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "crime_victims_0003"
down_revision = "crime_victims_0002"
branch_labels = None
depends_on = None


def _keys(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{table}_tenant_id_id")),
    ]


def _user_fk(table: str, column: str):
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def _tenant_fk(table: str, column: str, target: str, ondelete=None):
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _after_create(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{table}_tenant_id_id"), table, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])


def upgrade():
    table = "crime_victims_partners"
    op.create_table(
        table,
        *_keys(table),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("agreement_reference", sa.String(length=120), nullable=True),
        sa.Column("agreement_until", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("tenant_id", "name", name=op.f(f"uq_{table}_tenant_id_name")),
    )
    _after_create(table)

    table = "crime_victims_needs"
    op.create_table(
        table,
        *_keys(table),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("aid_request_id", sa.Integer(), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _tenant_fk(table, "case_id", "crime_victims_cases", "CASCADE"),
        _tenant_fk(table, "aid_request_id", "requests_requests"),
        _user_fk(table, "owner_id"),
        _user_fk(table, "created_by_id"),
    )
    _after_create(table)
    op.create_index("ix_crime_victims_needs_tenant_case", table, ["tenant_id", "case_id"])

    table = "crime_victims_referrals"
    op.create_table(
        table,
        *_keys(table),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("in_service_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("declined_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _tenant_fk(table, "need_id", "crime_victims_needs", "CASCADE"),
        _tenant_fk(table, "partner_id", "crime_victims_partners"),
        _user_fk(table, "created_by_id"),
    )
    _after_create(table)
    op.create_index(
        "ix_crime_victims_referrals_tenant_status", table, ["tenant_id", "status", "follow_up_on"]
    )


def downgrade():
    op.drop_index("ix_crime_victims_referrals_tenant_status", table_name="crime_victims_referrals")
    op.drop_index("ix_crime_victims_needs_tenant_case", table_name="crime_victims_needs")
    for table in ("crime_victims_referrals", "crime_victims_needs", "crime_victims_partners"):
        op.drop_index(op.f(f"ix_{table}_tenant_id"), table_name=table)
        op.drop_table(table)
