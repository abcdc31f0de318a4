"""registry_person_name_keys: keyed (tenant_id, person_id, key), no id

A search key is found by its person (the cascade when a person goes, ``sync_name_keys``) or by
the wide index of the search, never by an ``id``: nothing points at a key. So the primary key
is the person and the key, which also serves the person's lookups, and the ``id`` column, its
sequence and the ``(tenant_id, person_id)`` index are gone: a sequence value and a B-tree entry
fewer per key (~400,000 in a 50,000-row import; on PostgreSQL 10.1 → 7.7–8.9 s of server time
measured alone, bench/README.md; on SQLite the table is WITHOUT ROWID, one B-tree fewer).
A person's keys were always distinct (``normalize.name_keys`` is a set); any duplicate left by
hand is dropped first.

Revision ID: core_0028
Revises: core_0027
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0028"
down_revision = "core_0027"
branch_labels = None
depends_on = None

TABLE = "registry_person_name_keys"
PRIMARY = "pk_registry_person_name_keys"
PERSON_INDEX = "ix_registry_person_name_keys_tenant_person"
NATURAL = ["tenant_id", "person_id", "key"]


def upgrade():
    op.execute(
        f"DELETE FROM {TABLE} WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER "
        "(PARTITION BY tenant_id, person_id, key ORDER BY id) AS n FROM registry_person_name_keys) AS d WHERE n > 1)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(PERSON_INDEX, table_name=TABLE)
        op.drop_constraint(PRIMARY, TABLE, type_="primary")
        op.drop_column(TABLE, "id")  # and its sequence
        op.create_primary_key(PRIMARY, TABLE, NATURAL)
        return
    # SQLite: WITHOUT ROWID, the rows in the key's order (a later batch of this table must say so again).
    with op.batch_alter_table(TABLE, recreate="always", table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.drop_index(PERSON_INDEX)
        batch_op.drop_constraint(batch_op.f("uq_registry_person_name_keys_tenant_id_id"), type_="unique")
        batch_op.drop_column("id")
        batch_op.create_primary_key(PRIMARY, NATURAL)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(PRIMARY, TABLE, type_="primary")
        op.execute(f"ALTER TABLE {TABLE} ADD COLUMN id SERIAL NOT NULL")
        op.create_primary_key(PRIMARY, TABLE, ["tenant_id", "id"])
        op.create_index(PERSON_INDEX, TABLE, ["tenant_id", "person_id"])
        return
    with op.batch_alter_table(TABLE, recreate="always", table_kwargs={"sqlite_with_rowid": True}) as batch_op:
        batch_op.drop_constraint(PRIMARY, type_="primary")
        batch_op.add_column(sa.Column("id", sa.Integer(), nullable=False))
        batch_op.create_primary_key(PRIMARY, ["id"])
        batch_op.create_unique_constraint(batch_op.f("uq_registry_person_name_keys_tenant_id_id"), ["tenant_id", "id"])
        batch_op.create_index(PERSON_INDEX, ["tenant_id", "person_id"])
