"""tenants.role_permissions: an association's own grants and withdrawals of actions for its
roles, over the declared defaults (core.auth.grants), read with the tenant's row

Revision ID: core_0023
Revises: core_0022
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0023"
down_revision = "core_0022"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (SQLite takes NOT NULL with a constant default): batch mode would copy
    # and drop ``tenants``, which every tenant table references — refused once rows exist.
    op.add_column(
        "tenants", sa.Column("role_permissions", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
    )


def downgrade():
    with op.batch_alter_table("tenants") as batch_op:
        batch_op.drop_column("role_permissions")
