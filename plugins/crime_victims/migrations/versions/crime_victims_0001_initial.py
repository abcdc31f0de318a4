"""crime_victims: crime categories, victim cases and their intake steps (the first revision of
the plugin's own branch)

Tenant tables keyed by (tenant_id, id) (docs/scaling.md; on SQLite core compiles the key as
``PRIMARY KEY (id)``).

Revision ID: crime_victims_0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "crime_victims_0001"
down_revision = None
branch_labels = ("crime_victims",)
depends_on = "core_0016"


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


def _after_create(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        # CREATE TABLE folds a unique key equal to the primary key into it; foreign keys from
        # other tenant tables point at this one, so it is added on its own.
        op.create_unique_constraint(op.f(f"uq_{table}_tenant_id_id"), table, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])


def upgrade():
    table = "crime_victims_categories"
    op.create_table(
        table,
        *_keys(table),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("tenant_id", "code", name=op.f(f"uq_{table}_tenant_id_code")),
    )
    _after_create(table)

    table = "crime_victims_cases"
    op.create_table(
        table,
        *_keys(table),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=40), nullable=True),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.Column("incident_date", sa.Date(), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("report_authority", sa.String(length=40), nullable=True),
        sa.Column("report_reference", sa.String(length=120), nullable=True),
        sa.Column("no_report_reason", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("branch_office", sa.String(length=120), nullable=True),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("researcher_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "request_id"],
            ["requests_requests.tenant_id", "requests_requests.id"],
            name=op.f(f"fk_{table}_tenant_id_request_id_requests_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["registry_persons.tenant_id", "registry_persons.id"],
            name=op.f(f"fk_{table}_tenant_id_person_id_registry_persons"),
        ),
        _user_fk(table, "representative_id"),
        _user_fk(table, "researcher_id"),
        _user_fk(table, "created_by_id"),
        sa.UniqueConstraint("tenant_id", "request_id", name=op.f(f"uq_{table}_tenant_id_request_id")),
    )
    _after_create(table)
    op.create_index("ix_crime_victims_cases_tenant_step", table, ["tenant_id", "step"])

    table = "crime_victims_steps"
    op.create_table(
        table,
        *_keys(table),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "case_id"],
            ["crime_victims_cases.tenant_id", "crime_victims_cases.id"],
            name=op.f(f"fk_{table}_tenant_id_case_id_crime_victims_cases"),
            ondelete="CASCADE",
        ),
        _user_fk(table, "by_id"),
    )
    _after_create(table)
    op.create_index("ix_crime_victims_steps_tenant_case", table, ["tenant_id", "case_id", "id"])


def downgrade():
    op.drop_index("ix_crime_victims_steps_tenant_case", table_name="crime_victims_steps")
    op.drop_index("ix_crime_victims_cases_tenant_step", table_name="crime_victims_cases")
    for table in ("crime_victims_steps", "crime_victims_cases", "crime_victims_categories"):
        op.drop_index(op.f(f"ix_{table}_tenant_id"), table_name=table)
        op.drop_table(table)
