"""crime_victims: partner access — scoped, expiring links to one referral (only a hash of the
token kept) and their uses; a partner's agreement file

Revision ID: crime_victims_0005
Revises: crime_victims_0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "crime_victims_0005"
down_revision = "crime_victims_0004"
branch_labels = None
depends_on = None

LINKS = "crime_victims_partner_links"
USES = "crime_victims_partner_link_uses"


def _keys(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{table}_tenant_id_id")),
    ]


def _user_fk(table: str, column: str):
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def _after_create(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(op.f(f"uq_{table}_tenant_id_id"), table, ["tenant_id", "id"])
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])


def upgrade():
    with op.batch_alter_table("crime_victims_partners") as batch:
        batch.add_column(sa.Column("agreement_file", sa.JSON(), nullable=True))
    op.create_table(
        LINKS,
        *_keys(LINKS),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_why", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "referral_id"],
            ["crime_victims_referrals.tenant_id", "crime_victims_referrals.id"],
            name=op.f(f"fk_{LINKS}_tenant_id_referral_id_crime_victims_referrals"),
            ondelete="CASCADE",
        ),
        _user_fk(LINKS, "issued_by_id"),
        _user_fk(LINKS, "revoked_by_id"),
    )
    _after_create(LINKS)
    op.create_index("ix_crime_victims_partner_links_tenant_token", LINKS, ["tenant_id", "token_hash"])
    op.create_index("ix_crime_victims_partner_links_tenant_referral", LINKS, ["tenant_id", "referral_id"])
    op.create_table(
        USES,
        *_keys(USES),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "link_id"],
            [f"{LINKS}.tenant_id", f"{LINKS}.id"],
            name=op.f(f"fk_{USES}_tenant_id_link_id_{LINKS}"),
            ondelete="CASCADE",
        ),
    )
    _after_create(USES)
    op.create_index("ix_crime_victims_partner_link_uses_tenant_link", USES, ["tenant_id", "link_id"])


def downgrade():
    op.drop_index("ix_crime_victims_partner_link_uses_tenant_link", table_name=USES)
    op.drop_index(op.f(f"ix_{USES}_tenant_id"), table_name=USES)
    op.drop_table(USES)
    op.drop_index("ix_crime_victims_partner_links_tenant_referral", table_name=LINKS)
    op.drop_index("ix_crime_victims_partner_links_tenant_token", table_name=LINKS)
    op.drop_index(op.f(f"ix_{LINKS}_tenant_id"), table_name=LINKS)
    op.drop_table(LINKS)
    with op.batch_alter_table("crime_victims_partners") as batch:
        batch.drop_column("agreement_file")
