"""notifications_outbox.sealed: a message's text with the values it must not keep in clear (an
access link), encrypted at rest until the message is sent, then dropped; the outbox's own copy
shows those values masked

Revision ID: core_0025
Revises: core_0024
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0025"
down_revision = "core_0024"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("notifications_outbox", sa.Column("sealed", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications_outbox") as batch_op:
        batch_op.drop_column("sealed")
