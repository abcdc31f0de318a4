"""prisoner_families: no index on tenant_id alone, and on PostgreSQL no unique key repeating the primary key

As core_0026 for core's tables (``core/tenancy/keys.py``): either key ``(tenant_id, id)`` serves
a lookup by tenant; SQLite keeps its unique key, which the foreign keys need there.

Revision ID: prisoner_families_0003
Revises: prisoner_families_0002
"""

from core.toolkit import drop_redundant_tenant_keys, restore_redundant_tenant_keys

revision = "prisoner_families_0003"
down_revision = "prisoner_families_0002"
branch_labels = None
depends_on = "core_0026"

TABLES = [
    "prisoner_families_attendance",
    "prisoner_families_debt_cases",
    "prisoner_families_debt_entries",
    "prisoner_families_employments",
    "prisoner_families_enrolments",
    "prisoner_families_family_links",
    "prisoner_families_follow_ups",
    "prisoner_families_negotiations",
    "prisoner_families_placements",
    "prisoner_families_prisoners",
    "prisoner_families_programs",
    "prisoner_families_sessions",
]


def upgrade():
    drop_redundant_tenant_keys(TABLES)


def downgrade():
    restore_redundant_tenant_keys(TABLES)
