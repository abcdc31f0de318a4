"""tenant tables: no index on tenant_id alone, and on PostgreSQL no unique key repeating the primary key

Every tenant table had three B-trees beginning with ``tenant_id``: the primary key ``(tenant_id,
id)``, a unique key ``(tenant_id, id)`` and an index on ``tenant_id``. Either key serves a lookup
by tenant, and on PostgreSQL the unique key repeats the primary key: each row written paid for
B-trees no query needed. SQLite keeps the unique key (its primary key is the rowid ``id`` alone,
and the foreign keys need it). See ``core/tenancy/keys.py``; each plugin branch has the same
revision for its own tables.

Revision ID: core_0026
Revises: core_0025
"""

from core.tenancy import drop_redundant_tenant_keys, restore_redundant_tenant_keys

revision = "core_0026"
down_revision = "core_0025"
branch_labels = None
depends_on = None

TABLES = [
    "aid_catalog_items",
    "aid_disbursements",
    "documents",
    "grievances_appeals",
    "grievances_assignees",
    "grievances_counters",
    "grievances_events",
    "grievances_grievances",
    "invitations",
    "jobs",
    "memberships",
    "notifications_contact_addresses",
    "notifications_contact_safety",
    "notifications_outbox",
    "planning_activities",
    "planning_activity_progress",
    "planning_goals",
    "planning_indicator_progress",
    "planning_indicators",
    "planning_plans",
    "plugin_enablements",
    "policies_documents",
    "registry_file_events",
    "registry_files",
    "registry_households",
    "registry_import_jobs",
    "registry_members",
    "registry_person_name_keys",
    "registry_persons",
    "requests_counters",
    "requests_decisions",
    "requests_escalations",
    "requests_events",
    "requests_requests",
    "requests_verifications",
    "requests_visits",
    "supporters_agreements",
    "supporters_contacts",
    "supporters_donations",
    "supporters_instalments",
    "supporters_pledges",
    "supporters_receipt_counters",
    "supporters_supporters",
    "surveys_invitations",
    "surveys_questions",
    "surveys_responses",
    "surveys_surveys",
    "surveys_versions",
    "volunteers_assignments",
    "volunteers_opportunities",
    "volunteers_referrals",
    "volunteers_visit_companions",
    "volunteers_volunteers",
]


def upgrade():
    drop_redundant_tenant_keys(TABLES)


def downgrade():
    restore_redundant_tenant_keys(TABLES)
