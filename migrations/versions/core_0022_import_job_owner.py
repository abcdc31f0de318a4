"""jobs.owner: the process running a job (``host:pid:start``), so that a worker starting on
the same host marks the jobs of a dead process lost at once (issue 19)

Revision ID: core_0022
Revises: core_0021
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0022"
down_revision = "core_0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=128), nullable=True))


def downgrade():
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.drop_column("owner")
