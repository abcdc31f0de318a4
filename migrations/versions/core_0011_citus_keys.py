"""core tenant tables keyed by (tenant_id, id); invitation tokens unique per tenant (Citus)

Citus distributes a table by ``tenant_id`` only if its primary key and every unique key include
that column (docs/scaling.md). On PostgreSQL the primary key of every core tenant table becomes
``(tenant_id, id)``; ``id`` keeps its sequence. SQLite is never distributed: there ``id`` stays
the rowid primary key (a composite key would lose the rowid's autoincrement), which is unique on
its own and so per tenant too — ``core.tenancy.models`` compiles the key that way on SQLite.

``uq_invitations_token_hash`` becomes ``(tenant_id, token_hash)``: the invitation link is opened
on the tenant's address and looked up in the tenant.

Revision ID: core_0011
Revises: core_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0011"
down_revision = "core_0010"
branch_labels = None
depends_on = None

TENANT_TABLES = [
    "aid_catalog_items", "aid_disbursements", "documents", "invitations", "jobs", "memberships",
    "notifications_outbox", "plugin_enablements", "registry_file_events", "registry_files",
    "registry_households", "registry_import_jobs", "registry_members", "registry_persons",
    "requests_counters", "requests_decisions", "requests_escalations", "requests_events",
    "requests_requests", "requests_verifications", "requests_visits",
]  # fmt: skip


def rekey(tables: list[str], columns: list[str]) -> None:
    """PostgreSQL: the primary key of each table becomes ``columns`` (named ``pk_<table>``)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, columns)


def upgrade():
    rekey(TENANT_TABLES, ["tenant_id", "id"])
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint("uq_invitations_token_hash", type_="unique")
        batch.create_unique_constraint("uq_invitations_tenant_id_token_hash", ["tenant_id", "token_hash"])


def downgrade():
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint("uq_invitations_tenant_id_token_hash", type_="unique")
        batch.create_unique_constraint("uq_invitations_token_hash", ["token_hash"])
    rekey(TENANT_TABLES, ["id"])
