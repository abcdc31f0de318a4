"""Unique constraints answer as field errors, never as a server error.

Services check what they can first (with the nicest message), but a check-then-insert
races, and some paths forget to check. So every ``IntegrityError`` reaching a view is
translated here: the database names the constraint it refused — PostgreSQL in
``diag.constraint_name``, SQLite as ``UNIQUE constraint failed: table.col, …``, matched
back to the constraint in the metadata — and :data:`UNIQUE_FIELDS` says which input
field it concerns and what to tell the user. A constraint nobody registered still gets
a field (its last column, ``_hash`` dropped) and a generic message.

Constraint names follow ``NAMING_CONVENTION`` (``uq_<table>_<col>_<col>``); plugins
register theirs with :func:`unique_field` (exported by ``core.toolkit``).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .i18n import lazy_gettext as _l

ALREADY_USED = _l("This value is already in use.")

# constraint name → (field, translated message)
UNIQUE_FIELDS: dict[str, tuple[str, Any]] = {
    "uq_tenants_slug": ("slug", _l("Another association already uses this slug.")),
    "uq_users_email": ("email", _l("A user with this e-mail already exists.")),
    "uq_memberships_tenant_id_user_id": (
        "email",
        _l("This user is already a member of this association; change their roles instead."),
    ),
    "uq_registry_persons_tenant_id_national_id_hash": (
        "national_id",
        _l("This ID number is already registered in this association."),
    ),
    "uq_registry_members_tenant_id_household_id_person_id": (
        "person_id",
        _l("This person is already a member of the household."),
    ),
    "uq_registry_files_tenant_id_household_id": (
        "household_id",
        _l("This household already has a beneficiary file."),
    ),
    "uq_registry_sharing_agreements_tenant_a_id_tenant_b_id": (
        "partner",
        _l("This association already shares with that one."),
    ),
    "uq_aid_catalog_items_tenant_id_code": ("code", _l("An item with this code already exists.")),
    "uq_plugin_enablements_tenant_id_plugin_id": (
        "plugin_id",
        _l("This plugin was just changed by someone else. Please try again."),
    ),
}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<cols>[^\n]+)")
_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>[^']+)'")


def unique_field(constraint: str, field: str, message: Any) -> None:
    """Say which input ``field`` a unique constraint protects and what to tell the user."""
    UNIQUE_FIELDS[constraint] = (field, message)


def unique_constraints(metadata) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every unique constraint and unique index: name → (table, columns)."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for table in metadata.sorted_tables:
        items = [c for c in table.constraints if isinstance(c, UniqueConstraint)]
        items += [i for i in table.indexes if isinstance(i, Index) and i.unique]
        for item in items:
            found[str(item.name)] = (table.name, tuple(col.name for col in item.columns))
    return found


def _metadata():
    return db.metadata


def _sqlite_constraint(text: str) -> str | None:
    named = _SQLITE_INDEX.search(text)
    if named:
        return named["name"]
    match = _SQLITE_UNIQUE.search(text)
    if not match:
        return None
    qualified = [part.strip() for part in match["cols"].split(",")]
    table = qualified[0].split(".", 1)[0]
    columns = tuple(part.split(".", 1)[-1] for part in qualified)
    for name, (table_name, cols) in unique_constraints(_metadata()).items():
        if table_name == table and cols == columns:
            return name
    return f"uq_{table}_{'_'.join(columns)}"


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the unique constraint ``error`` reports, None when it is not a unique violation."""
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation (psycopg)
        diag = getattr(orig, "diag", None)
        return getattr(diag, "constraint_name", None) or "unknown"
    return _sqlite_constraint(str(orig or error))


def field_error(constraint: str) -> dict[str, list]:
    """``{field: [message]}`` for a violated unique constraint, registered or not."""
    if constraint in UNIQUE_FIELDS:
        field, message = UNIQUE_FIELDS[constraint]
        return {field: [message]}
    columns = unique_constraints(_metadata()).get(constraint, ("", ()))[1]
    own = [c for c in columns if c != "tenant_id"] or list(columns) or ["_schema"]
    field = own[-1].removesuffix("_hash")
    return {field: [ALREADY_USED]}
