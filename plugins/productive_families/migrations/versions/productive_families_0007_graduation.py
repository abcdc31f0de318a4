"""productive_families: graduation (income baselines and follow-ups), licence leaflets, feasibility studies

Revision ID: productive_families_0007
Revises: productive_families_0006
Create Date: 2026-11-30 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "productive_families_0007"
down_revision = "productive_families_0006"
branch_labels = None
depends_on = None


def _tenant_key(table):
    """PostgreSQL folds a unique key equal to the primary key into it (see the first revision)."""
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{table}_tenant_id_id"), table, ["tenant_id", "id"])


def _base(table):
    return [
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
    ]


def _keys(table):
    return [
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('tenant_id', 'id', name=op.f(f'uq_{table}_tenant_id_id')),
    ]


def _producer_key(table):
    return sa.ForeignKeyConstraint(
        ['tenant_id', 'producer_id'],
        ['productive_families_producers.tenant_id', 'productive_families_producers.id'],
        name=op.f(f'fk_{table}_tenant_id_producer_id_productive_families_producers'),
        ondelete='CASCADE',
    )


def _tenant_index(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_tenant_id'), ['tenant_id'], unique=False)


def upgrade():
    t = 'productive_families_income_baselines'
    op.create_table(t, *_base(t),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('income_halalas', sa.BigInteger(), nullable=False),
    sa.Column('anchor_kind', sa.String(length=16), nullable=False),
    sa.Column('anchor_on', sa.Date(), nullable=False),
    sa.Column('captured_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _producer_key(t), *_keys(t),
    sa.UniqueConstraint('tenant_id', 'producer_id', name=op.f(f'uq_{t}_tenant_id_producer_id')),
    )
    _tenant_key(t)
    _tenant_index(t)

    t = 'productive_families_income_followups'
    op.create_table(t, *_base(t),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('anchor_kind', sa.String(length=16), nullable=False),
    sa.Column('anchor_on', sa.Date(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('followed_on', sa.Date(), nullable=False),
    sa.Column('income_halalas', sa.BigInteger(), nullable=False),
    sa.Column('change_halalas', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f(f'fk_{t}_recorded_by_id_users'), ondelete='SET NULL'),
    _producer_key(t), *_keys(t),
    sa.UniqueConstraint('tenant_id', 'producer_id', 'anchor_kind', 'anchor_on', 'months', name=op.f(f'uq_{t}_tenant_id_producer_id_anchor_kind_anchor_on_months')),
    )
    _tenant_key(t)
    _tenant_index(t)
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.create_index('ix_productive_families_income_followups_tenant_followed', ['tenant_id', 'followed_on'], unique=False)

    t = 'productive_families_licence_leaflets'
    op.create_table(t, *_base(t),
    sa.Column('activity', sa.String(length=40), nullable=False),
    sa.Column('file', sa.JSON(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f(f'fk_{t}_uploaded_by_id_users'), ondelete='SET NULL'),
    *_keys(t),
    sa.UniqueConstraint('tenant_id', 'activity', name=op.f(f'uq_{t}_tenant_id_activity')),
    )
    _tenant_key(t)
    _tenant_index(t)

    t = 'productive_families_feasibility_studies'
    op.create_table(t, *_base(t),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('file', sa.JSON(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'exhibition_id'], ['productive_families_exhibitions.tenant_id', 'productive_families_exhibitions.id'], name=op.f(f'fk_{t}_tenant_id_exhibition_id_productive_families_exhibitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f(f'fk_{t}_uploaded_by_id_users'), ondelete='SET NULL'),
    *_keys(t),
    sa.UniqueConstraint('tenant_id', 'exhibition_id', name=op.f(f'uq_{t}_tenant_id_exhibition_id')),
    )
    _tenant_key(t)
    _tenant_index(t)


def downgrade():
    with op.batch_alter_table('productive_families_income_followups', schema=None) as batch_op:
        batch_op.drop_index('ix_productive_families_income_followups_tenant_followed')
    for t in (
        'productive_families_feasibility_studies',
        'productive_families_licence_leaflets',
        'productive_families_income_followups',
        'productive_families_income_baselines',
    ):
        with op.batch_alter_table(t, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{t}_tenant_id'))
        op.drop_table(t)
