"""Import households with members from CSV or XLSX; export the registry to XLSX.

One row per person. ``household`` groups rows into a household (any reference the
file uses); the row whose ``relationship`` is ``head`` is the head and carries the
household's housing fields. The whole file is validated first, as a stream
(:mod:`.importer_validate`: memory stays flat, the checked rows wait in a spill file on disk);
every bad row is reported with its line number and field. Nothing is written unless the whole
file is good — or the user asked for ``only_good_rows``, then households with any bad row are
skipped whole. The households are then written set-wise (:mod:`.importer_write`: bulk inserts
a chunk at a time, the audit entries chained in bulk) in one transaction, committed with the
job's ``succeeded``: a process killed at any point leaves no row. Big files run as a background
job (``core.jobs``: a Celery worker or a thread) with progress. The columns and their words in
both languages are :mod:`.import_columns`.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import date, datetime

from flask import current_app
from flask_login import current_user
from openpyxl import Workbook

from .. import jobs
from ..audit.services import record as audit
from ..errors import Conflict
from ..extensions import db
from ..i18n import gettext as _
from ..jobs import Job
from ..storage import get_storage, tenant_key
from ..tenancy import require_tenant
from .import_columns import COLUMNS, HEAD, PERSON_COLUMNS, column_label
from .importer_validate import (  # noqa: F401 (the importer's public names)
    ImportFileError,
    RowError,
    Validation,
    count_rows,
    ids_in_row,
    iter_rows,
    read_rows,
    validate_stream,
)
from .importer_write import write_validated
from .models import Household, ImportJob

log = logging.getLogger("charity_platform.registry.import")


@jobs.task("registry.import")
def import_task(job: Job, import_id: int, data: bytes | None = None, user=None) -> dict | None:
    """The job of one import: its file comes from storage (background) or from the caller."""
    record = db.session.get(ImportJob, import_id)
    if data is None:
        data = get_storage().get(record.storage_key)
    user = user if user is not None else current_user_or_none()
    outcome = run_import(record, job, data, user=user)
    if job.state == "running" and record.storage_key:
        get_storage().delete(record.storage_key)
    return outcome


def current_user_or_none():
    return current_user if getattr(current_user, "is_authenticated", False) else None


def run_import(record: ImportJob, job: Job, data: bytes, user=None) -> dict | None:
    """Validate everything (streamed); write all (or only the good households when asked)
    set-wise in the job's transaction. Bad rows end the job ``failed`` (``invalid_input``) with
    the rows listed."""
    try:
        total = count_rows(record.filename, data)
        record.total_rows = total
        db.session.commit()
        jobs.report(job, 0, 2 * total)  # checked rows count once, written rows once more

        reported = time.monotonic()

        def validated(count: int) -> None:
            nonlocal reported
            if time.monotonic() - reported >= PROGRESS_SECONDS:  # a report is a statement or two
                jobs.report(job, count)
                reported = time.monotonic()

        validation = validate_stream(iter_rows(record.filename, data), validated, every=PROGRESS_EVERY)
    except ImportFileError as exc:
        record.errors = [RowError(1, "_file", str(exc)).as_dict()]
        jobs.fail(job, "invalid_input", str(exc))
        return None
    try:
        jobs.report(job, total)
        record.errors = [e.as_dict() for e in validation.errors]
        if validation.errors and not record.only_good_rows:
            jobs.fail(job, "invalid_input")
            return None
        db.session.commit()  # the errors found; from here on the rows are written in one transaction

        def written(rows: int) -> None:
            jobs.report(job, total + rows, while_writing=True)

        record.households_created = write_validated(validation, user=user, progress=written)
    finally:
        validation.close()
    outcome = {
        "households": record.households_created,
        "rows": record.total_rows,
        "bad_rows": len({e.line for e in validation.errors}),
    }
    audit("registry.import.completed", "import_job", record.id, outcome)
    return outcome


def start_import(
    filename: str, data: bytes, only_good_rows: bool, user=None, background: bool | None = None
) -> ImportJob:
    """Create the import and its job; run it now (small files) or through the job runner (big
    ones: Celery when ``REDIS_URL`` is set, else a thread of this process)."""
    tenant = require_tenant()
    record = ImportJob(
        filename=filename or "import.csv", only_good_rows=only_good_rows, user_id=getattr(user, "id", None)
    )
    db.session.add(record)
    db.session.flush()
    if background is None:
        background = (
            data.count(b"\n") > current_app.config["IMPORT_INLINE_MAX_ROWS"]
            or data[:4] == b"PK\x03\x04"
            and len(data) > 200_000
        )
    if background:
        record.storage_key = tenant_key(tenant.id, "imports")
        get_storage().put(record.storage_key, data)
    job = jobs.enqueue("registry.import", {"import_id": record.id}, user=user, dispatch=False)
    record.job_id = job.id
    db.session.commit()
    if background:
        jobs.submit(job)
    else:
        jobs.run_inline(job, data=data, user=user)
    db.session.refresh(record)
    return record


# --------------------------------------------------------------------------- interrupted jobs

PROGRESS_EVERY = 500  # rows validated between two looks at the clock …
PROGRESS_SECONDS = 0.5  # … and a progress report when this long has passed since the last


def check_interrupted(record: ImportJob, now: datetime | None = None) -> bool:
    """Mark the import's job lost when its runner stopped reporting (see ``core.jobs.check``)."""
    if record.job is None or not jobs.check(record.job, now):
        return False

    audit("registry.import.interrupted", "import_job", record.id, {"reason": record.job.reason})
    return True


def can_restart(record: ImportJob) -> bool:
    return record.job is not None and jobs.can_restart(record.job) and bool(record.storage_key)


def restart_import(record: ImportJob, user=None) -> ImportJob:
    """Run an import whose runner stopped again from its stored file (409 otherwise).

    Its rows were written in one transaction that never committed, so nothing is written twice;
    an import interrupted before imports were transactional may have written households: those
    rows are then reported and skipped (only the good households are imported).
    """
    if not can_restart(record):
        raise Conflict(_("Only an interrupted import can be restarted."))
    try:
        get_storage().get(record.storage_key)
    except Exception:
        raise Conflict(_("The imported file is no longer available: upload it again.")) from None
    if record.households_created:
        record.only_good_rows = True
    record.errors = []
    audit("registry.import.restarted", "import_job", record.id, {"households": record.households_created})
    jobs.restart(record.job)
    return record


# --------------------------------------------------------------------------- export


def export_xlsx() -> bytes:
    """The tenant's registry, one row per person, in the import's columns (re-importable)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("registry")
    sheet.append(list(COLUMNS))
    query = db.select(Household).order_by(Household.id)
    for household in db.session.execute(query).unique().scalars():
        for relationship, person, member in [(HEAD, household.head, None)] + [
            (m.relationship_, m.person, m) for m in household.members
        ]:
            row = {
                "household": household.id,
                "relationship": relationship,
                **{c: getattr(person, c) for c in PERSON_COLUMNS},
            }
            row["monthly_income"] = (member.income if member else person.monthly_income or 0) / 100
            if member:
                row.update(
                    resides_with_head=member.resides_with_head, studying=member.studying, job=member.job
                )
            else:
                row.update(
                    housing_tenure=household.housing_tenure,
                    annual_rent=household.annual_rent / 100,
                    category=household.category,
                )
            sheet.append([_export_value(row.get(c)) for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _export_value(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return value


def template_csv() -> str:
    """The import template: its columns named in the user's language (read back in either)."""
    return "\ufeff" + ",".join(column_label(column) for column in COLUMNS) + "\n"
