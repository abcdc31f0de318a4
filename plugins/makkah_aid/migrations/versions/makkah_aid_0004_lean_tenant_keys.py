"""makkah_aid: no index on tenant_id alone, and on PostgreSQL no unique key repeating the primary key

As core_0026 for core's tables (``core/tenancy/keys.py``): either key ``(tenant_id, id)`` serves
a lookup by tenant; SQLite keeps its unique key, which the foreign keys need there.

Revision ID: makkah_aid_0004
Revises: makkah_aid_0003
"""

from core.toolkit import drop_redundant_tenant_keys, restore_redundant_tenant_keys

revision = "makkah_aid_0004"
down_revision = "makkah_aid_0003"
branch_labels = None
depends_on = "core_0026"

TABLES = [
    "makkah_aid_assessments",
    "makkah_aid_circumstances",
    "makkah_aid_exclusion_proposals",
    "makkah_aid_provider_deliveries",
    "makkah_aid_providers",
    "makkah_aid_renewal_rounds",
    "makkah_aid_renewals",
    "makkah_aid_rule_versions",
    "makkah_aid_violations",
]


def upgrade():
    drop_redundant_tenant_keys(TABLES)


def downgrade():
    restore_redundant_tenant_keys(TABLES)
