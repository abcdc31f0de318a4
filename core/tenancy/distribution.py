"""How each table would live on Citus, and whether it can: the one classification that
``docs/scaling.md``, ``flask db citus-plan`` and ``tests/test_distribution.py`` share.

* **distributed** — every :class:`~core.tenancy.models.TenantMixin` table: hash-distributed by
  ``tenant_id``, all co-located, so one tenant's rows of every table sit on the same worker
  and a join or a foreign key between them never leaves it;
* **reference** — platform tables (``__distribution__ = "reference"`` on the model): copied
  whole to every worker, so a tenant table can join them and point at them;
* **local** — kept on the coordinator only (``__distribution__ = "local"``): a table that can
  be neither (today ``audit_events``, whose platform entries have no tenant).

A table with no classification is itself a problem: a new platform table must say what it is.

:func:`problems` lists what would make ``create_distributed_table`` /
``create_reference_table`` refuse a table or break a guarantee, each naming the table and the
constraint; :func:`plan` gives the statements in dependency order.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from .models import TenantMixin

DISTRIBUTED = "distributed"
REFERENCE = "reference"
LOCAL = "local"
KINDS = (DISTRIBUTED, REFERENCE, LOCAL)
COLUMN = "tenant_id"
ANCHOR = "plugin_enablements"
# Citus refuses SET NULL / SET DEFAULT on a foreign key that includes the distribution column
# (it would null or reset tenant_id itself).
REFUSED_ACTIONS = ("SET NULL", "SET DEFAULT")


def _classes(metadata: sa.MetaData) -> dict[str, type]:
    """Mapped class of each table of ``metadata``."""
    found: dict[str, type] = {}
    for mapper in db.Model.registry.mappers:
        for table in mapper.tables:
            if table.metadata is metadata:
                found.setdefault(table.name, mapper.class_)
    return found


def classify(table: sa.Table, cls: type | None = None) -> str | None:
    """``distributed``, ``reference`` or ``local`` — or None when the table does not say.

    ``table.info["distribution"]`` (a table without a model) or the model's
    ``__distribution__``; a ``TenantMixin`` model is distributed.
    """
    declared = table.info.get("distribution") or (getattr(cls, "__distribution__", None) if cls else None)
    if cls is not None and issubclass(cls, TenantMixin):
        return DISTRIBUTED if declared in (None, DISTRIBUTED) else f"conflict:{declared}"
    return declared


def classification(metadata: sa.MetaData) -> dict[str, str | None]:
    classes = _classes(metadata)
    return {t.name: classify(t, classes.get(t.name)) for t in metadata.sorted_tables}


def _names(columns) -> list[str]:
    return [c.name for c in columns]


def _unique_keys(table: sa.Table):
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            yield "unique constraint", constraint.name, _names(constraint.columns)
    for index in table.indexes:
        if index.unique:
            yield "unique index", index.name, _names(index.columns)


def problems(metadata: sa.MetaData) -> list[str]:
    """Every reason a table of ``metadata`` would not distribute, as ``table: constraint: why``."""
    kinds = classification(metadata)
    found: list[str] = []
    for table in metadata.sorted_tables:
        kind = kinds[table.name]
        name = table.name
        if kind not in KINDS:
            if kind and kind.startswith("conflict:"):
                found.append(f"{name}: a TenantMixin table cannot be declared {kind[9:]!r}")
            else:
                found.append(
                    f"{name}: not classified — use TenantMixin (distributed) or set "
                    f"__distribution__ = 'reference' or 'local' on the model"
                )
            continue
        if kind == DISTRIBUTED:
            found.extend(_distributed_problems(table, kinds))
        for fk in table.foreign_key_constraints:
            target = kinds.get(fk.referred_table.name)
            if kind in (REFERENCE, LOCAL) and target == DISTRIBUTED:
                found.append(
                    f"{name}: foreign key {fk.name} points into the distributed table "
                    f"{fk.referred_table.name} from a {kind} table (Citus refuses it)"
                )
            if kind == REFERENCE and target == LOCAL:
                found.append(
                    f"{name}: foreign key {fk.name} points from a reference table into a local table"
                )
    return found


def _distributed_problems(table: sa.Table, kinds: dict) -> list[str]:
    name = table.name
    found: list[str] = []
    column = table.c.get(COLUMN)
    if column is None:
        return [f"{name}: a distributed table without a {COLUMN} column"]
    if column.nullable:
        found.append(f"{name}: {COLUMN} is nullable (Citus refuses a NULL distribution value)")
    if COLUMN not in _names(table.primary_key.columns):
        found.append(
            f"{name}: primary key {table.primary_key.name} {_names(table.primary_key.columns)} "
            f"does not include {COLUMN}"
        )
    for what, key, columns in _unique_keys(table):
        if COLUMN not in columns:
            found.append(f"{name}: {what} {key} {columns} does not include {COLUMN}")
    for fk in table.foreign_key_constraints:
        target = kinds.get(fk.referred_table.name)
        local = _names(fk.columns)
        remote = [element.column.name for element in fk.elements]
        if target == LOCAL:
            found.append(
                f"{name}: foreign key {fk.name} points into the coordinator-local {fk.referred_table.name}"
            )
        if target != DISTRIBUTED:
            continue  # into a reference table: fine
        if (COLUMN, COLUMN) not in zip(local, remote, strict=True):
            found.append(
                f"{name}: foreign key {fk.name} {local} -> {fk.referred_table.name}{remote} "
                f"does not pair {COLUMN} with {COLUMN} (the row could point into another tenant "
                f"and Citus refuses it)"
            )
        for action in (fk.ondelete, fk.onupdate):
            if action and action.upper() in REFUSED_ACTIONS:
                found.append(
                    f"{name}: foreign key {fk.name} has ON DELETE/UPDATE {action}, which would change {COLUMN}"
                )
    return found


@dataclass(frozen=True)
class Step:
    table: str
    kind: str
    sql: str


def plan(metadata: sa.MetaData) -> list[Step]:
    """The Citus statements, in an order each one can run in: reference tables, then
    coordinator-local tables, then the distributed tables, referenced before referencing,
    all co-located with the first. Raises ``ValueError`` with :func:`problems` if any."""
    issues = problems(metadata)
    if issues:
        raise ValueError("tables that would not distribute:\n" + "\n".join(issues))
    kinds = classification(metadata)
    ordered = metadata.sorted_tables  # referenced tables first
    steps = [
        Step(t.name, REFERENCE, f"SELECT create_reference_table('{t.name}');")
        for t in ordered
        if kinds[t.name] == REFERENCE
    ]
    steps += [
        Step(t.name, LOCAL, f"SELECT citus_add_local_table_to_metadata('{t.name}');")
        for t in ordered
        if kinds[t.name] == LOCAL
    ]
    distributed = [t for t in ordered if kinds[t.name] == DISTRIBUTED]
    # The co-location group is named after a core table every installation has (and that
    # points into no other distributed table, so it can go first), not after whichever
    # plugin table happens to sort first.
    first = next((t for t in distributed if t.name == ANCHOR), None)
    if first is not None and not any(
        kinds.get(fk.referred_table.name) == DISTRIBUTED for fk in first.foreign_key_constraints
    ):
        distributed = [first, *(t for t in distributed if t is not first)]
    anchor = None
    for table in distributed:
        colocate = "none" if anchor is None else anchor
        anchor = anchor or table.name
        steps.append(
            Step(
                table.name,
                DISTRIBUTED,
                f"SELECT create_distributed_table('{table.name}', '{COLUMN}', colocate_with => '{colocate}');",
            )
        )
    return steps
