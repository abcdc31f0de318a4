"""Import households with members from CSV or XLSX; export the registry to XLSX.

One row per person. ``household`` groups rows into a household (any reference the
file uses); the row whose ``relationship`` is ``head`` is the head and carries the
household's housing fields. The whole file is validated first; every bad row is
reported with its line number and field. Nothing is written unless the whole file is
good — or the user asked for ``only_good_rows``, then households with any bad row are
skipped whole. The households are written in one transaction, committed with the job's
``succeeded``: a process killed mid-import leaves no row. Big files run as a background job
(``core.jobs``: a Celery worker or a thread) with progress. The columns and their words in
both languages are :mod:`.import_columns`.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_login import current_user
from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook

from .. import jobs
from ..audit.services import record as audit
from ..errors import Conflict
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import translate_messages
from ..jobs import Job
from ..storage import get_storage, tenant_key
from ..tenancy import require_tenant
from . import ids
from .import_columns import (
    CHOICE_COLUMNS,
    COLUMNS,
    HEAD,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    PERSON_COLUMNS,
    allowed_values,
    choice_tables,
    column_label,
    fold,
    header_table,
)
from .models import RELATIONSHIPS, Household, ImportJob, Person
from .schemas import HouseholdMemberSchema, HouseholdSchema, MemberPersonSchema, PersonSchema
from .services import create_household, household_categories

log = logging.getLogger("charity_platform.registry.import")


class ImportFileError(ValueError):
    """The file cannot be read at all (not CSV/XLSX, no header, unknown columns)."""


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ParsedHousehold:
    ref: str
    lines: list[int] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    members: list[dict] = field(default_factory=list)
    bad: bool = False


@dataclass
class Validation:
    total_rows: int
    households: list[ParsedHousehold]
    errors: list[RowError]

    @property
    def good(self) -> list[ParsedHousehold]:
        return [h for h in self.households if not h.bad]


# --------------------------------------------------------------------------- reading


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict]]:
    """``[(line number, {column: text})]``; line numbers as the user sees them (header = 1)."""
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv") or not name:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file must be UTF-8 CSV or XLSX.")) from None
        raw = list(csv.reader(io.StringIO(text)))
    else:
        raise ImportFileError(_("The file must be UTF-8 CSV or XLSX."))
    if not raw:
        raise ImportFileError(_("The file is empty."))
    known = header_table()
    titles = [_cell(c) for c in raw[0]]
    header = [known.get(fold(title), fold(title)) if title.strip() else "" for title in titles]
    unknown = [title for title, code in zip(titles, header, strict=True) if code and code not in COLUMNS]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(names)s", names=", ".join(unknown)))
    for required in ("household", "relationship", "first_name"):
        if required not in header:
            raise ImportFileError(_("The column %(name)s is missing.", name=column_label(required)))
    rows = []
    for index, values in enumerate(raw[1:], start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        rows.append((index, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return rows


def _xlsx_rows(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ImportFileError(_("The file must be UTF-8 CSV or XLSX.")) from exc
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


# --------------------------------------------------------------------------- validating


def _flatten(line: int, messages, prefix: str = "") -> Iterable[RowError]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(line, value, f"{prefix}{key}" if not prefix else f"{prefix}.{key}")
    else:
        for message in messages if isinstance(messages, list) else [messages]:
            yield RowError(line, prefix or "_row", str(message))


def _pick(row: dict, columns: Iterable[str]) -> dict:
    return {c: row[c] for c in columns if c in row and row[c] != ""}


def validate_rows(
    rows: list[tuple[int, dict]], progress: Callable[[int], None] | None = None, every: int = 500
) -> Validation:
    """Every row checked (fields, one head per household, IDs unique in the file and new here)."""
    households: dict[str, ParsedHousehold] = {}
    errors: list[RowError] = []
    id_lines: dict[str, list[int]] = {}
    categories = {c.code for c in household_categories()}
    tables = choice_tables()
    person_schema, member_person_schema = PersonSchema(), MemberPersonSchema()
    member_schema, household_schema = (
        HouseholdMemberSchema(),
        HouseholdSchema(partial=("head", "head_person_id")),
    )
    for count, (line, row) in enumerate(rows, start=1):
        ref = row.get("household", "").strip()
        row, row_errors = _codes_of_choices(line, row, tables)
        relationship = row.get("relationship", "")
        household = households.setdefault(ref or f"#{line}", ParsedHousehold(ref or f"#{line}"))
        household.lines.append(line)
        reported = {e.field for e in row_errors}
        if not ref:
            row_errors.append(
                RowError(line, "household", translate_messages("Missing data for required field."))
            )
        if relationship == HEAD:
            try:
                person = person_schema.load(_pick(row, PERSON_COLUMNS))
            except ValidationError as exc:
                row_errors += _unreported(_flatten(line, translate_messages(exc.messages)), reported)
                person = None
            try:
                housing = household_schema.load(_pick(row, HOUSEHOLD_COLUMNS))
                if housing.get("category") not in categories and "category" not in reported:
                    row_errors.append(
                        RowError(line, "category", _not_one_of(row.get("category"), "category"))
                    )
            except ValidationError as exc:
                row_errors += _unreported(_flatten(line, translate_messages(exc.messages)), reported)
                housing = {}
            if "head" in household.data:
                row_errors.append(RowError(line, "relationship", _("This household already has a head.")))
            elif person is not None:
                household.data = {**housing, "head": person, "line": line}
        elif relationship in RELATIONSHIPS:
            try:
                member_person = member_person_schema.load(_pick(row, PERSON_COLUMNS))
                member = member_schema.load(
                    {
                        "relationship": relationship,
                        **_pick(row, MEMBER_COLUMNS),
                        "person_id": 0,
                    }
                )
                member.pop("person_id")
                member["person"] = member_person
                member["job"] = member_person.get("job")
                member["income"] = member_person.get("monthly_income", 0)
                household.members.append(member)
            except ValidationError as exc:
                row_errors += _unreported(_flatten(line, translate_messages(exc.messages)), reported)
        elif "relationship" not in reported:
            row_errors.append(RowError(line, "relationship", _not_one_of(relationship, "relationship")))
        number = ids_in_row(row)
        if number:
            id_lines.setdefault(number, []).append(line)
        if row_errors:
            household.bad = True
            errors += row_errors
        if progress and count % every == 0:
            progress(count)
    for household in households.values():
        if "head" not in household.data and not household.bad:
            household.bad = True
            errors.append(
                RowError(
                    household.lines[0], "relationship", _("The household has no head (relationship = head).")
                )
            )
    line_household = {line: h for h in households.values() for line in h.lines}
    for lines in id_lines.values():
        for line in lines[1:]:
            errors.append(
                RowError(
                    line,
                    "national_id",
                    _("This ID number appears twice in the file (line %(line)s).", line=lines[0]),
                )
            )
            line_household[line].bad = True
    for _number, line in _already_registered(id_lines):
        errors.append(
            RowError(line, "national_id", _("This ID number is already registered in this association."))
        )
        line_household[line].bad = True
    errors.sort(key=lambda e: (e.line, e.field))
    return Validation(len(rows), list(households.values()), errors)


def _not_one_of(value: str | None, column: str) -> str:
    if not value:
        return _("Choose one of: %(allowed)s.", allowed=allowed_values(column))
    return _("“%(value)s” is not one of: %(allowed)s.", value=value, allowed=allowed_values(column))


def _codes_of_choices(line: int, row: dict, tables: dict) -> tuple[dict, list[RowError]]:
    """The row with each choice cell as its code; a cell no code matches is reported with the
    values allowed, in the user's language, and left empty."""
    row = dict(row)
    errors: list[RowError] = []
    for column in CHOICE_COLUMNS:
        value = (row.get(column) or "").strip()
        if not value:
            continue
        code = tables[column].get(fold(value))
        if code is None:
            errors.append(RowError(line, column, _not_one_of(value, column)))
            row[column] = ""
        else:
            row[column] = code
    if not row.get("relationship") and not any(e.field == "relationship" for e in errors):
        errors.append(RowError(line, "relationship", _not_one_of("", "relationship")))
    return row, errors


def _unreported(errors: Iterable[RowError], reported: set[str]) -> list[RowError]:
    """The schema's errors but for the cells already reported (a value not in the list)."""
    return [error for error in errors if error.field not in reported]


def ids_in_row(row: dict) -> str | None:
    try:
        return ids.parse_national_id(row.get("national_id", "")) if row.get("national_id") else None
    except ids.InvalidNationalId:
        return None


def _already_registered(id_lines: dict[str, list[int]]) -> list[tuple[str, int]]:
    by_hash = {ids.lookup_hash(n): n for n in id_lines}
    found = []
    hashes = list(by_hash)
    for start in range(0, len(hashes), 900):
        chunk = hashes[start : start + 900]
        for h in db.session.execute(
            db.select(Person.national_id_hash).where(Person.national_id_hash.in_(chunk))
        ).scalars():
            found.append((by_hash[h], id_lines[by_hash[h]][0]))
    return found


# --------------------------------------------------------------------------- writing


def write_households(
    households: list[ParsedHousehold], job: Job | None = None, user=None, offset: int = 0
) -> int:
    """Create the households in the caller's transaction (never committed here: an import is
    written whole or not at all). ``job`` gets its progress reported as it goes."""
    created = rows = 0
    for household in households:
        data = {k: v for k, v in household.data.items() if k != "line"}
        data["members"] = household.members
        create_household(data, user=user)
        created += 1
        rows += len(household.lines)
        if job is not None and created % WRITE_REPORT_EVERY == 0:
            jobs.report(job, offset + rows, while_writing=True)
    return created


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
    """Validate everything; write all (or only the good households when asked) in the job's
    transaction. Bad rows end the job ``failed`` (``invalid_input``) with the rows listed."""
    try:
        rows = read_rows(record.filename, data)
    except ImportFileError as exc:
        record.errors = [RowError(1, "_file", str(exc)).as_dict()]
        jobs.fail(job, "invalid_input", str(exc))
        return None
    record.total_rows = len(rows)
    db.session.commit()
    jobs.report(job, 0, 2 * len(rows))  # checked rows count once, written rows once more

    def validated(count: int) -> None:
        jobs.report(job, count)

    validation = validate_rows(rows, validated, every=PROGRESS_EVERY)
    jobs.report(job, len(rows))
    record.errors = [e.as_dict() for e in validation.errors]
    if validation.errors and not record.only_good_rows:
        jobs.fail(job, "invalid_input")
        return None
    db.session.commit()  # the errors found; from here on the rows are written in one transaction
    record.households_created = write_households(validation.good, job, user=user, offset=len(rows))
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

PROGRESS_EVERY = 500  # rows validated between two progress reports
WRITE_REPORT_EVERY = 50  # households written between two progress reports


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
