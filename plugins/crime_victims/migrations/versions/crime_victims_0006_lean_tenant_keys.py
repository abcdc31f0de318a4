"""crime_victims: no index on tenant_id alone, and on PostgreSQL no unique key repeating the primary key

As core_0026 for core's tables (``core/tenancy/keys.py``): either key ``(tenant_id, id)`` serves
a lookup by tenant; SQLite keeps its unique key, which the foreign keys need there.

Revision ID: crime_victims_0006
Revises: crime_victims_0005
"""

from core.toolkit import drop_redundant_tenant_keys, restore_redundant_tenant_keys

revision = "crime_victims_0006"
down_revision = "crime_victims_0005"
branch_labels = None
depends_on = "core_0026"

TABLES = [
    "crime_victims_cases",
    "crime_victims_categories",
    "crime_victims_narrative_reads",
    "crime_victims_needs",
    "crime_victims_partner_link_uses",
    "crime_victims_partner_links",
    "crime_victims_partners",
    "crime_victims_referrals",
    "crime_victims_sessions",
    "crime_victims_steps",
]


def upgrade():
    drop_redundant_tenant_keys(TABLES)


def downgrade():
    restore_redundant_tenant_keys(TABLES)
