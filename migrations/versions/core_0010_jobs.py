"""core jobs table (both runners, Celery and in-process); import jobs point at their job

Each registry import keeps its file and row counters in ``registry_import_jobs`` and its
state, heartbeat and progress in ``jobs`` (existing imports get a job row each).

Revision ID: core_0010
Revises: core_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0010"
down_revision = "core_0009"
branch_labels = None
depends_on = None

TO_STATE = {"pending": "queued", "running": "running", "done": "succeeded", "failed": "failed",
            "interrupted": "interrupted"}  # fmt: skip
FROM_STATE = {v: k for k, v in TO_STATE.items()}


def upgrade():
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("runner", sa.String(length=16), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_jobs_tenant_id_tenants"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_jobs_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_jobs_tenant_id_id")),
    )  # fmt: skip
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_jobs_state_heartbeat", ["state", "heartbeat_at"], unique=False)
    with op.batch_alter_table("registry_import_jobs") as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.Integer(), nullable=True))

    bind = op.get_bind()
    imports = sa.table(
        "registry_import_jobs",
        *(sa.column(n) for n in ("id", "tenant_id", "status", "heartbeat_at", "total_rows", "validated_rows",
                                  "processed_rows", "user_id", "created_at", "finished_at", "job_id")),
    )  # fmt: skip
    jobs = sa.table(
        "jobs",
        sa.column("params", sa.JSON()),
        *(sa.column(n) for n in ("id", "tenant_id", "kind", "state", "progress", "total", "attempts", "runner",
                                  "user_id", "created_at", "heartbeat_at", "finished_at")),
    )  # fmt: skip
    for row in bind.execute(sa.select(imports)).mappings().all():
        state = TO_STATE.get(row["status"], "failed")
        job_id = bind.execute(
            sa.insert(jobs)
            .values(
                tenant_id=row["tenant_id"], kind="registry.import", state=state,
                progress=(row["total_rows"] * 2) if state == "succeeded"
                else min(row["validated_rows"], row["total_rows"]) + min(row["processed_rows"], row["total_rows"]),
                total=row["total_rows"] * 2, params={"import_id": row["id"]}, attempts=1, runner="inprocess",
                user_id=row["user_id"], created_at=row["created_at"], heartbeat_at=row["heartbeat_at"],
                finished_at=row["finished_at"],
            )
            .returning(jobs.c.id)
        ).scalar_one()  # fmt: skip
        bind.execute(sa.update(imports).where(imports.c.id == row["id"]).values(job_id=job_id))

    with op.batch_alter_table("registry_import_jobs") as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_registry_import_jobs_tenant_id_job_id_jobs"), "jobs", ["tenant_id", "job_id"],
            ["tenant_id", "id"], ondelete="CASCADE",
        )  # fmt: skip
        for column in ("status", "heartbeat_at", "validated_rows", "processed_rows", "finished_at"):
            batch_op.drop_column(column)


def downgrade():
    with op.batch_alter_table("registry_import_jobs") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="pending"))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("validated_rows", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("processed_rows", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))
    bind = op.get_bind()
    query = sa.text("SELECT id, state, heartbeat_at, progress, total, finished_at FROM jobs")
    for job_id, state, heartbeat, progress, total, finished in bind.execute(query).all():
        rows = total // 2
        bind.execute(
            sa.text(
                "UPDATE registry_import_jobs SET status = :s, heartbeat_at = :h, validated_rows = :v, "
                "processed_rows = :p, finished_at = :f WHERE job_id = :j"
            ),
            {"s": FROM_STATE.get(state, "failed"), "h": heartbeat, "v": min(progress, rows),
             "p": max(0, progress - rows), "f": finished, "j": job_id},
        )  # fmt: skip
    with op.batch_alter_table("registry_import_jobs") as batch_op:
        batch_op.drop_constraint("fk_registry_import_jobs_tenant_id_job_id_jobs", type_="foreignkey")
        batch_op.drop_column("job_id")
    op.drop_table("jobs")
