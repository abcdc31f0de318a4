"""Reading and validating an import file as a stream (issue 19: memory flat at any size).

The file's rows are read one at a time (CSV through an incremental decoder, XLSX through
openpyxl's read-only mode) and each is checked as it comes. What a row turns into — the head's
person and housing, or a member — is written to a spill file on disk (a pickle per few hundred
rows, heads and members apart) instead of being kept; memory holds only what the checks across rows
need: per household its first line, whether it has a head and whether it is bad, the file's
ID numbers (first line and household) for the duplicate checks, and the errors found. The
writer (:mod:`.importer_write`) then reads the spills back in chunks.
"""

from __future__ import annotations

import csv
import io
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import IO

from marshmallow import ValidationError, missing
from openpyxl import load_workbook

from .. import validation
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import translate_messages
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
from .models import RELATIONSHIPS, Person
from .schemas import (
    HouseholdMemberSchema,
    HouseholdSchema,
    LocalDate,
    MemberPersonSchema,
    Money,
    PersonSchema,
)
from .services import household_categories

# ID numbers compared with the tenant's persons per statement (one set-based check, chunked).
ID_CHECK_CHUNK = 5000
# Rows a spill keeps in memory before writing them to its file, as one pickle.
SPILL_BATCH = 256
# Outcomes of the repeating parts of rows kept at most (see ``_Checker._load``).
LOADS_KEPT = 4096


class ImportFileError(ValueError):
    """The file cannot be read at all (not CSV/XLSX, no header, unknown columns)."""


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


# --------------------------------------------------------------------------- reading


def _cell(value) -> str:
    if type(value) is str:  # every CSV cell: the other checks are for XLSX's typed cells
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_xlsx(filename: str, data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith(".xlsx")


def _raw_rows(filename: str, data: bytes) -> Iterator[list]:
    """The file's rows as lists of cells, header first, read as a stream."""
    name = (filename or "").lower()
    if _is_xlsx(filename, data):
        yield from _xlsx_rows(data)
    elif name.endswith(".csv") or not name:
        reader = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        try:
            yield from csv.reader(reader)
        except UnicodeDecodeError:
            raise ImportFileError(_("The file must be UTF-8 CSV or XLSX.")) from None
    else:
        raise ImportFileError(_("The file must be UTF-8 CSV or XLSX."))


def _xlsx_rows(data: bytes) -> Iterator[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ImportFileError(_("The file must be UTF-8 CSV or XLSX.")) from exc
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _header(raw: Iterator[list]) -> list[str]:
    first = next(raw, None)
    if first is None:
        raise ImportFileError(_("The file is empty."))
    known = header_table()
    titles = [_cell(c) for c in first]
    header = [known.get(fold(title), fold(title)) if title.strip() else "" for title in titles]
    unknown = [title for title, code in zip(titles, header, strict=True) if code and code not in COLUMNS]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(names)s", names=", ".join(unknown)))
    for required in ("household", "relationship", "first_name"):
        if required not in header:
            raise ImportFileError(_("The column %(name)s is missing.", name=column_label(required)))
    return header


def iter_rows(filename: str, data: bytes) -> Iterator[tuple[int, dict]]:
    """``(line number, {column: text})`` one row at a time; line numbers as the user sees them
    (header = 1). The header is checked at once (:class:`ImportFileError`); a file that turns
    out unreadable further on raises it from the iteration."""
    raw = _raw_rows(filename, data)
    header = _header(raw)
    columns = [(i, h) for i, h in enumerate(header) if h]

    def rows() -> Iterator[tuple[int, dict]]:
        for index, values in enumerate(raw, start=2):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            yield index, {h: (cells[i] if i < len(cells) else "") for i, h in columns}

    return rows()


def count_rows(filename: str, data: bytes) -> int:
    """The number of rows with data (for the progress bar), read as a stream."""
    raw = _raw_rows(filename, data)
    _header(raw)
    return sum(1 for values in raw if any(_cell(v) for v in values))


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict]]:
    """Every row at once (small files, tests): :func:`iter_rows` as a list."""
    return list(iter_rows(filename, data))


# --------------------------------------------------------------------------- the spill


class Spill:
    """Rows written to a temporary file on disk, read back in order: a pickle per
    ``SPILL_BATCH`` rows (one per row cost a tenth of validating and of reading back)."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="charity-import-")  # noqa: SIM115 - closed by close()
        self._batch: list = []
        self.count = 0

    def add(self, item) -> None:
        self._batch.append(item)
        self.count += 1
        if len(self._batch) >= SPILL_BATCH:
            self._dump()

    def _dump(self) -> None:
        pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._batch = []

    def __iter__(self) -> Iterator:
        if self._batch:
            self._dump()
        self._file.flush()
        self._file.seek(0)
        remaining = self.count
        while remaining > 0:
            batch = pickle.load(self._file)  # noqa: S301 - our own file, written just above
            remaining -= len(batch)
            yield from batch

    def close(self) -> None:
        self._file.close()


@dataclass(slots=True)
class HouseholdState:
    """What validation keeps of one household while the file streams by."""

    first_line: int
    head_line: int = 0
    bad: bool = False
    rows: int = 0


@dataclass
class Validation:
    """The outcome of checking the whole file: the errors, and the good rows spilled to disk
    (``heads``: ``(ref, line, housing and head)``; ``members``: ``(ref, line, member)``)."""

    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    households: dict[str, HouseholdState] = field(default_factory=dict)
    heads: Spill = field(default_factory=Spill)
    members: Spill = field(default_factory=Spill)

    @property
    def bad_refs(self) -> set[str]:
        return {ref for ref, h in self.households.items() if h.bad}

    @property
    def good_households(self) -> int:
        return sum(1 for h in self.households.values() if not h.bad)

    def good_rows(self) -> int:
        return sum(h.rows for h in self.households.values() if not h.bad)

    def close(self) -> None:
        self.heads.close()
        self.members.close()


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


class _Checker:
    """Checks one row at a time; keeps the cross-row state in a :class:`Validation`."""

    def __init__(self) -> None:
        self.categories = {c.code for c in household_categories()}
        self.tables = choice_tables()
        self.person_schema, self.member_person_schema = PersonSchema(), MemberPersonSchema()
        self.member_schema = HouseholdMemberSchema()
        self.household_schema = HouseholdSchema(partial=("head", "head_person_id"))
        for schema in (self.person_schema, self.member_person_schema):
            for fld in schema.fields.values():
                if isinstance(fld, validation.Name | validation.Text | LocalDate | Money):
                    fld.deserialize = _remembered(fld.deserialize)  # this instance's own field
        self.result = Validation()
        # ID number → (first line, household reference): the in-file duplicate check.
        self.ids: dict[str, tuple[int, str]] = {}
        self._loaded: dict[tuple, dict] = {}

    def _load(self, schema, data: dict) -> dict:
        """``schema.load(data)``, remembered for the parts of rows that repeat (housing, a
        member's situation: a few dozen combinations in a whole file). The schemas are pure
        (their checks read only ``data``), so the outcome is the same; errors are not kept."""
        key = (id(schema), *sorted(data.items()))
        loaded = self._loaded.get(key)
        if loaded is None:
            loaded = schema.load(data)
            if len(self._loaded) >= LOADS_KEPT:
                self._loaded.clear()  # memory stays bounded whatever the file
            self._loaded[key] = loaded
        return dict(loaded)

    def row(self, line: int, row: dict) -> None:
        result = self.result
        ref = row.get("household", "").strip()
        row, row_errors = _codes_of_choices(line, row, self.tables)
        relationship = row.get("relationship", "")
        key = ref or f"#{line}"
        household = result.households.get(key)
        if household is None:
            household = result.households[key] = HouseholdState(line)
        household.rows += 1
        reported = {e.field for e in row_errors}
        if not ref:
            row_errors.append(
                RowError(line, "household", translate_messages("Missing data for required field."))
            )
        person = None
        if relationship == HEAD:
            person = self._head(line, key, row, household, row_errors, reported)
        elif relationship in RELATIONSHIPS:
            person = self._member(line, key, row, relationship, row_errors, reported)
        elif "relationship" not in reported:
            row_errors.append(RowError(line, "relationship", _not_one_of(relationship, "relationship")))
        # The number as the person's schema read it; from the cell when the row did not load.
        number = person.get("national_id") if person is not None else ids_in_row(row)
        if number:
            first = self.ids.get(number)
            if first is None:
                self.ids[number] = (line, key)
            else:
                row_errors.append(
                    RowError(
                        line,
                        "national_id",
                        _("This ID number appears twice in the file (line %(line)s).", line=first[0]),
                    )
                )
        if row_errors:
            household.bad = True
            result.errors += row_errors

    def _head(self, line, key, row, household, row_errors, reported) -> dict | None:
        try:
            person = quick_load(self.person_schema, _pick(row, PERSON_COLUMNS))
        except ValidationError as exc:
            row_errors += _unreported(_flatten(line, translate_messages(exc.messages)), reported)
            person = None
        try:
            housing = self._load(self.household_schema, _pick(row, HOUSEHOLD_COLUMNS))
            if housing.get("category") not in self.categories and "category" not in reported:
                row_errors.append(RowError(line, "category", _not_one_of(row.get("category"), "category")))
        except ValidationError as exc:
            row_errors += _unreported(_flatten(line, translate_messages(exc.messages)), reported)
            housing = {}
        if household.head_line:
            row_errors.append(RowError(line, "relationship", _("This household already has a head.")))
        elif person is not None:
            household.head_line = line
            self.result.heads.add((key, line, {**housing, "head": person}))
        return person

    def _member(self, line, key, row, relationship, row_errors, reported) -> dict | None:
        try:
            member_person = quick_load(self.member_person_schema, _pick(row, PERSON_COLUMNS))
            member = self._load(
                self.member_schema,
                {"relationship": relationship, **_pick(row, MEMBER_COLUMNS), "person_id": 0},
            )
        except ValidationError as exc:
            row_errors += _unreported(_flatten(line, translate_messages(exc.messages)), reported)
            return None
        member.pop("person_id")
        member["person"] = member_person
        member["job"] = member_person.get("job")
        member["income"] = member_person.get("monthly_income", 0)
        self.result.members.add((key, line, member))
        return member_person

    def finish(self) -> Validation:
        result = self.result
        for household in result.households.values():
            if not household.head_line and not household.bad:
                household.bad = True
                result.errors.append(
                    RowError(
                        household.first_line,
                        "relationship",
                        _("The household has no head (relationship = head)."),
                    )
                )
        for line, key in already_registered(self.ids):
            result.errors.append(
                RowError(line, "national_id", _("This ID number is already registered in this association."))
            )
            result.households[key].bad = True
        # An ID number repeated in the file makes its later rows' households bad (reported above).
        result.errors.sort(key=lambda e: (e.line, e.field))
        self.ids.clear()
        return result


def quick_load(schema, data: dict) -> dict:
    """``schema.load(data)`` for a row of text cells, without marshmallow's per-load machinery
    when the row is good (issue 19: that machinery was half of validating a big file).

    Each cell goes through its field's own ``deserialize`` (the field's conversion and
    validators, as ``load`` runs them), then the schema's own ``validates_schema`` checks. At
    the first sign of anything else — a cell no field loads, a required field absent, any
    field or schema error, a schema with pre/post-load steps or field validators — the row is
    loaded by ``schema.load`` itself, so every error, its message and its field come from the
    schema exactly as before (tests/registry/test_import_quick_load.py compares the two on
    random rows)."""
    plan = _plans.get(id(schema))
    if plan is None or plan[0] is not schema:
        plan = _plans[id(schema)] = (schema, _plan(schema))
    fields, required, skippable, validators = plan[1]
    if fields is None or not required.issubset(data) or not fields.keys() >= data.keys():
        return schema.load(data)  # a field missing or a cell no field loads: the schema's errors
    out = {}
    try:
        for name, field in fields.items():  # every field, as ``load`` does (defaults included)
            raw = data.get(name, missing)
            if raw is missing and name in skippable:
                continue  # optional, no default: ``load`` leaves it out
            value = field.deserialize(raw, name, data)
            if value is not missing:
                out[field.attribute or name] = value
        for validator in validators:
            validator(out, partial=schema.partial, many=False, unknown=schema.unknown)
    except ValidationError:
        return schema.load(data)
    return out


# Schema → its quick-load plan (a handful of schemas per validation).
_plans: dict[int, tuple] = {}


def _plan(schema) -> tuple:
    """``(fields by input name, required names, names an absent cell leaves out, schema
    validators)``; fields ``None`` when the schema does something :func:`quick_load` does not
    repeat (it then always calls ``load``)."""
    hooks = schema._hooks
    simple_validators = all(
        not many and not kwargs.get("pass_original") for _attr, many, kwargs in hooks["validates_schema"]
    )
    if (
        schema.many
        or schema.partial
        or any(hooks[kind] for kind in ("pre_load", "post_load", "validates"))
        or not simple_validators
        or any(field.data_key not in (None, name) for name, field in schema.load_fields.items())
    ):
        return None, set(), set(), []
    fields = dict(schema.load_fields)
    required = {name for name, field in fields.items() if field.required}
    skippable = {
        name for name, field in fields.items() if not field.required and field.load_default is missing
    }
    validators = [getattr(schema, attr) for attr, _many, _kwargs in hooks["validates_schema"]]
    return fields, required, skippable, validators


def _remembered(deserialize: Callable) -> Callable:
    """A field's ``deserialize`` that remembers its outcome per value: names, jobs, cities,
    dates and amounts repeat across a file, and these fields read nothing but the value (a
    date or an amount is immutable; errors are raised again every time, never kept)."""
    kept: dict[str, object] = {}

    def call(value, attr=None, data=None, **kwargs):
        if kwargs or not isinstance(value, str):
            return deserialize(value, attr, data, **kwargs)
        if value in kept:
            return kept[value]
        result = deserialize(value, attr, data)
        if len(kept) >= LOADS_KEPT:
            kept.clear()
        kept[value] = result
        return result

    return call


def validate_stream(
    rows: Iterable[tuple[int, dict]], progress: Callable[[int], None] | None = None, every: int = 500
) -> Validation:
    """Every row checked (fields, one head per household, IDs unique in the file and new here),
    the rows streaming by; ``progress(count)`` every ``every`` rows."""
    checker = _Checker()
    try:
        for count, (line, row) in enumerate(rows, start=1):
            checker.row(line, row)
            checker.result.total_rows = count
            if progress and count % every == 0:
                progress(count)
        return checker.finish()
    except BaseException:
        checker.result.close()
        raise


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
        code = tables[column].get(_folded(value))
        if code is None:
            errors.append(RowError(line, column, _not_one_of(value, column)))
            row[column] = ""
        else:
            row[column] = code
    if not row.get("relationship") and not any(e.field == "relationship" for e in errors):
        errors.append(RowError(line, "relationship", _not_one_of("", "relationship")))
    return row, errors


# A choice cell's text folded, remembered: a file has a few dozen distinct values per column.
_folded = lru_cache(maxsize=LOADS_KEPT)(fold)


def _unreported(errors: Iterable[RowError], reported: set[str]) -> list[RowError]:
    """The schema's errors but for the cells already reported (a value not in the list)."""
    return [error for error in errors if error.field not in reported]


def ids_in_row(row: dict) -> str | None:
    try:
        return ids.parse_national_id(row.get("national_id", "")) if row.get("national_id") else None
    except ids.InvalidNationalId:
        return None


def already_registered(numbers: dict[str, tuple[int, str]]) -> list[tuple[int, str]]:
    """The file's ID numbers the association already has, as ``(first line, household)``: one
    set-based check (the keyed hashes against the tenant's persons, ``ID_CHECK_CHUNK`` a
    statement)."""
    found = []
    hashes: dict[str, str] = {}
    lookup_hash = ids.lookup_hasher()

    def check() -> None:
        query = db.select(Person.national_id_hash).where(Person.national_id_hash.in_(list(hashes)))
        for value in db.session.execute(query).scalars():
            found.append(numbers[hashes[value]])
        hashes.clear()

    for number in numbers:
        hashes[lookup_hash(number)] = number
        if len(hashes) >= ID_CHECK_CHUNK:
            check()
    if hashes:
        check()
    return found
