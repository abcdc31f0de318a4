"""registry: search keys of each person's name parts (search by any of them, in order)

``registry_person_name_keys`` holds, per person, every ordered choice of their name parts that
ends with the last one present, normalised (``core.registry.normalize.name_keys``): at most
eight rows per person. Search is a prefix range scan on ``(tenant_id, key, person_id)``, so
"first + family", "first + father + family" … find the person. Existing persons are backfilled.

Revision ID: core_0016
Revises: core_0015
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0016"
down_revision = "core_0015"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    from core.registry.normalize import name_keys  # lazy: the rule the app applies, at upgrade time

    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    key_type = sa.String(340, collation="C") if postgres else sa.String(340)
    op.create_table(
        "registry_person_name_keys",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("key", key_type, nullable=False),
        sa.Column("sort_name", key_type, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "person_id"], ["registry_persons.tenant_id", "registry_persons.id"], name=op.f("fk_registry_person_name_keys_tenant_id_person_id_registry_persons"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_registry_person_name_keys_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_person_name_keys")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_registry_person_name_keys_tenant_id_id")),
    )  # fmt: skip
    if postgres:  # Citus keys, as core_0011 made them: (tenant_id, id); SQLite keeps the rowid key
        op.drop_constraint("pk_registry_person_name_keys", "registry_person_name_keys", type_="primary")
        op.create_primary_key(
            "pk_registry_person_name_keys", "registry_person_name_keys", ["tenant_id", "id"]
        )
    with op.batch_alter_table("registry_person_name_keys") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registry_person_name_keys_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_registry_person_name_keys_tenant_key", ["tenant_id", "key", "person_id", "sort_name"]
        )
        batch_op.create_index("ix_registry_person_name_keys_tenant_person", ["tenant_id", "person_id"])

    persons = sa.table(
        "registry_persons",
        *(sa.column(n) for n in ("id", "tenant_id", "first_name", "father_name", "grandfather_name", "family_name",
                               "name_normalized")),
    )  # fmt: skip
    keys = sa.table(
        "registry_person_name_keys",
        sa.column("tenant_id"),
        sa.column("person_id"),
        sa.column("key"),
        sa.column("sort_name"),
    )
    rows = bind.execute(sa.select(persons).order_by(persons.c.id)).all()
    pending = []
    for row in rows:
        for key in name_keys(row.first_name, row.father_name, row.grandfather_name, row.family_name):
            pending.append(
                {
                    "tenant_id": row.tenant_id,
                    "person_id": row.id,
                    "key": key,
                    "sort_name": row.name_normalized,
                }
            )
        if len(pending) >= BATCH:
            bind.execute(sa.insert(keys), pending)
            pending = []
    if pending:
        bind.execute(sa.insert(keys), pending)


def downgrade():
    op.drop_table("registry_person_name_keys")
