"""disbursement proof and request documents: real tenant foreign keys

``aid_disbursements.proof_document_id`` → ``documents`` and ``documents.request_id`` →
``requests_requests``, both through ``(tenant_id, id)`` so a row can only point inside
its own tenant. Dangling ids written before the keys existed are cleared first.

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-11-24 22:15:26.046776

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "core_0004"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            "UPDATE aid_disbursements SET proof_document_id = NULL WHERE proof_document_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = aid_disbursements.proof_document_id "
            "AND d.tenant_id = aid_disbursements.tenant_id)"
        )
    )
    op.execute(
        sa.text(
            "UPDATE documents SET request_id = NULL WHERE request_id IS NOT NULL "
            "AND (person_id IS NOT NULL OR household_id IS NOT NULL) "
            "AND NOT EXISTS (SELECT 1 FROM requests_requests r WHERE r.id = documents.request_id "
            "AND r.tenant_id = documents.tenant_id)"
        )
    )
    with op.batch_alter_table("aid_disbursements", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_aid_disbursements_tenant_id_proof_document_id_documents"),
            "documents",
            ["tenant_id", "proof_document_id"],
            ["tenant_id", "id"],
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_tenant_id_request_id_requests_requests"),
            "requests_requests",
            ["tenant_id", "request_id"],
            ["tenant_id", "id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_documents_tenant_id_request_id_requests_requests"), type_="foreignkey"
        )

    with op.batch_alter_table("aid_disbursements", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_aid_disbursements_tenant_id_proof_document_id_documents"), type_="foreignkey"
        )
