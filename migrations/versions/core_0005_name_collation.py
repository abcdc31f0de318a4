"""registry: normalised name columns in byte-order collation on PostgreSQL

The prefix search is a range [q, q + U+10FFFF); its upper bound holds only in
code-point order, so the columns (and their indexes) use the "C" collation
whatever the database's locale. SQLite already compares by code point.

Revision ID: core_0005
Revises: core_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None

COLUMNS = (("name_normalized", 340), ("family_normalized", 80))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, length in COLUMNS:
        op.alter_column(
            "registry_persons",
            column,
            type_=sa.String(length, collation="C"),
            existing_type=sa.String(length),
            existing_nullable=False,
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, length in COLUMNS:
        op.alter_column(
            "registry_persons",
            column,
            type_=sa.String(length),
            existing_type=sa.String(length, collation="C"),
            existing_nullable=False,
        )
