"""notifications: a link on each message (the staff inbox opens the request a message is about)

Revision ID: core_0014
Revises: core_0013
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0014"
down_revision = "core_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications_outbox") as batch:
        batch.add_column(sa.Column("link", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications_outbox") as batch:
        batch.drop_column("link")
