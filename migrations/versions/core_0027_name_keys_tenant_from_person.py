"""registry_person_name_keys: on PostgreSQL no foreign key to tenants of its own

A search key hangs off its person by ``(tenant_id, person_id) → registry_persons(tenant_id, id)
ON DELETE CASCADE``, and the person's own foreign key says the tenant exists: the key's check
against ``tenants`` was a trigger and a lookup for each of the ~8 keys a person has, 5 s of a
50,000-row import. SQLite keeps it (``TenantMixin.__tenant_from_parent__``).

Revision ID: core_0027
Revises: core_0026
"""

from alembic import op

revision = "core_0027"
down_revision = "core_0026"
branch_labels = None
depends_on = None

TABLE = "registry_person_name_keys"
KEY = "fk_registry_person_name_keys_tenant_id_tenants"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(KEY, TABLE, type_="foreignkey")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key(KEY, TABLE, "tenants", ["tenant_id"], ["id"], ondelete="CASCADE")
