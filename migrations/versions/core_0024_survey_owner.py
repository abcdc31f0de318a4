"""surveys.owner: the plugin (or core module) a survey belongs to — a plugin's questionnaire is
shown read-only in the survey builder and changed only by its owner (issue 16)

Revision ID: core_0024
Revises: core_0023
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0024"
down_revision = "core_0023"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("surveys_surveys", sa.Column("owner", sa.String(length=63), nullable=True))


def downgrade():
    with op.batch_alter_table("surveys_surveys") as batch_op:
        batch_op.drop_column("owner")
