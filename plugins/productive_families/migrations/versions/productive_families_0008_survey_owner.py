"""productive_families: the meetings' challenges survey kept before surveys had an owner becomes
the plugin's (core's survey builder then shows it read-only and refuses to change it)

Revision ID: productive_families_0008
Revises: productive_families_0007
Create Date: 2026-12-01 03:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "productive_families_0008"
down_revision = "productive_families_0007"
branch_labels = None
# The core revision adding ``surveys_surveys.owner``.
depends_on = "core_0024"

# ``services.meetings.SURVEY_CODE`` and ``SURVEY_OWNER`` (a migration does not import the plugin).
SURVEY_CODE = "families-challenges"
OWNER = "productive_families"


def upgrade():
    op.execute(
        sa.text("UPDATE surveys_surveys SET owner = :owner WHERE code = :code AND owner IS NULL").bindparams(
            owner=OWNER, code=SURVEY_CODE
        )
    )


def downgrade():
    op.execute(
        sa.text("UPDATE surveys_surveys SET owner = NULL WHERE code = :code AND owner = :owner").bindparams(
            owner=OWNER, code=SURVEY_CODE
        )
    )
