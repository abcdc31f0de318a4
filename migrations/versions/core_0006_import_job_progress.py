"""registry import jobs: validation progress and a heartbeat (interrupted jobs are detected)

Revision ID: core_0006
Revises: core_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registry_import_jobs") as batch_op:
        batch_op.add_column(sa.Column("validated_rows", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("registry_import_jobs") as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("validated_rows")
