"""productive_families: no index on tenant_id alone, and on PostgreSQL no unique key repeating the primary key

As core_0026 for core's tables (``core/tenancy/keys.py``): either key ``(tenant_id, id)`` serves
a lookup by tenant; SQLite keeps its unique key, which the foreign keys need there.

Revision ID: productive_families_0010
Revises: productive_families_0009
"""

from core.toolkit import drop_redundant_tenant_keys, restore_redundant_tenant_keys

revision = "productive_families_0010"
down_revision = "productive_families_0009"
branch_labels = None
depends_on = "core_0026"

TABLES = [
    "productive_families_award_nominations",
    "productive_families_award_rounds",
    "productive_families_award_scores",
    "productive_families_exhibition_applications",
    "productive_families_exhibitions",
    "productive_families_feasibility_studies",
    "productive_families_financing_bodies",
    "productive_families_financing_requests",
    "productive_families_income_baselines",
    "productive_families_income_followups",
    "productive_families_initiative_activities",
    "productive_families_initiative_criteria",
    "productive_families_initiatives",
    "productive_families_licence_leaflets",
    "productive_families_meeting_invitees",
    "productive_families_meeting_responses",
    "productive_families_meetings",
    "productive_families_producers",
    "productive_families_product_photos",
    "productive_families_products",
    "productive_families_trainers",
    "productive_families_training_attendance",
    "productive_families_training_contracts",
    "productive_families_training_enrolments",
    "productive_families_training_interests",
    "productive_families_training_needs",
    "productive_families_training_programs",
    "productive_families_training_sessions",
]


def upgrade():
    drop_redundant_tenant_keys(TABLES)


def downgrade():
    restore_redundant_tenant_keys(TABLES)
