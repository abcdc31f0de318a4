"""Tenants, the tenant mixin every tenant-owned table uses, and plugin enablement."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.schema import CreateColumn

from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


CALENDAR_DISPLAYS = ("hijri", "gregorian", "both")


class Tenant(db.Model):
    __tablename__ = "tenants"
    __distribution__ = "reference"  # a platform table: copied to every Citus worker

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name_ar: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    registration_number: Mapped[str | None] = mapped_column(sa.String(63))
    founded_hijri: Mapped[int | None]
    founded_gregorian: Mapped[int | None]
    city: Mapped[str | None] = mapped_column(sa.String(127))
    region: Mapped[str | None] = mapped_column(sa.String(127))
    # The service area used by eligibility rules: the cities/districts served.
    service_area: Mapped[list] = mapped_column(sa.JSON, default=list)
    contact: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    logo: Mapped[str | None] = mapped_column(sa.String(255))
    default_locale: Mapped[str] = mapped_column(sa.String(8), default="ar")
    calendar_display: Mapped[str] = mapped_column(sa.String(16), default="both")
    currency: Mapped[str] = mapped_column(sa.String(3), default="SAR")
    hosts: Mapped[list] = mapped_column(sa.JSON, default=list)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The association's own grants and withdrawals of actions for its roles, over the declared
    # defaults: {action: {"grant": [role…], "withdraw": [role…]}} (core.auth.grants). Read with
    # the row before each view; never changed in place (a new value, so a request sees it).
    role_permissions: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default=sa.text("'{}'"))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def name(self, locale: str) -> str:
        return self.name_ar if locale == "ar" else self.name_en

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


def sqlite_only(item):
    """``item`` (a constraint or index) built on SQLite only, and left out of the comparison of
    the models with any other database (:func:`built_on`, for Alembic's ``include_object``)."""
    return item.ddl_if(dialect="sqlite")


def built_on(item, dialect: str) -> bool:
    """Whether ``item`` of the models exists on a database of ``dialect`` (see :func:`sqlite_only`)."""
    condition = getattr(item, "_ddl_if", None)
    return condition is None or condition.dialect is None or condition.dialect == dialect


class TenantMixin:
    """Columns and keys of a tenant-owned table: one that Citus distributes by ``tenant_id``.

    The primary key is ``(tenant_id, id)`` — Citus requires every primary and unique key of a
    distributed table to include the distribution column — with ``id`` drawn from the table's
    sequence and the ORM's identity still ``id`` alone (``session.get(Model, id)``). The foreign
    keys between tenant tables point at ``(tenant_id, id)`` (see :func:`tenant_foreign_key`): a
    row can never point into another tenant. On PostgreSQL they point at the primary key; on
    SQLite, whose key is the rowid ``id`` alone (:func:`_sqlite_primary_key`), at a unique key
    ``(tenant_id, id)`` built there only (:func:`sqlite_only`). Either key also serves every
    lookup by tenant, so ``tenant_id`` has no index of its own: one B-tree fewer to write per
    row than when it had (migration core_0026). Rows are filtered to the tenant in context by
    :mod:`core.tenancy.scoping`; subclasses add ``__tenant_table_args__`` for their own
    constraints and indexes, each of which must include ``tenant_id``
    (``tests/test_distribution.py``; :mod:`core.tenancy.distribution`).
    """

    __tenant_table_args__: tuple = ()
    #: True for a table each of whose rows hangs off a parent row of the same tenant by a
    #: :func:`tenant_foreign_key` with ``ondelete="CASCADE"``: the parent's own foreign key to
    #: ``tenants`` already says the tenant exists, and takes the rows with it. On PostgreSQL such
    #: a table then has no foreign key to ``tenants`` of its own — a trigger and a lookup less
    #: for every row written, 5 s of a 50,000-row import for the search keys (~8 a person);
    #: SQLite keeps it (there a check is an in-process B-tree probe). ``tests/test_migrations.py``
    #: checks that every tenant table reaches ``tenants`` by cascading keys on both databases.
    __tenant_from_parent__: bool = False
    #: The columns after ``tenant_id`` that key a table with no ``id`` of its own: a row that
    #: nothing points at and that is found by its parent, e.g. ``("person_id", "key")`` for the
    #: search keys — primary key ``(tenant_id, person_id, key)``, which also serves the cascade
    #: from the person, where ``id`` would cost a sequence value, a column and an index of its
    #: own per row (each declares these columns ``primary_key=True``). Empty: ``(tenant_id, id)``.
    __tenant_natural_key__: tuple[str, ...] = ()

    @declared_attr
    def id(cls) -> Mapped[int]:  # noqa: N805
        if cls.__tenant_natural_key__:
            return _NoId()
        return mapped_column(sa.Integer, primary_key=True, autoincrement=True, sort_order=-20)

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805
        if cls.__tenant_from_parent__:
            return mapped_column(sa.Integer, primary_key=True, sort_order=-10)
        return mapped_column(
            sa.ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True, sort_order=-10
        )

    @declared_attr.directive
    def __table_args__(cls) -> tuple:  # noqa: N805
        own_tenant_key = (
            (sqlite_only(sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE")),)
            if cls.__tenant_from_parent__
            else ()
        )
        if cls.__tenant_natural_key__:
            # SQLite: the rows kept in the key's order (no rowid, no second B-tree for the key).
            options = {"sqlite_with_rowid": False}
            key: tuple = (sa.PrimaryKeyConstraint("tenant_id", *cls.__tenant_natural_key__),)
        else:
            options = {}
            key = (
                sa.PrimaryKeyConstraint("tenant_id", "id"),
                sqlite_only(sa.UniqueConstraint("tenant_id", "id")),
            )
        return (*key, *own_tenant_key, *cls.__tenant_table_args__, options)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805
        if cls.__tenant_natural_key__:
            return {}  # the table's primary key
        return {"primary_key": [cls.__table__.c.id]}


class _NoId:
    """``Model.id`` of a table keyed by its own columns (``__tenant_natural_key__``): there is
    no such column, and an ``AttributeError`` says so where a silent ``None`` would let
    ``count(Model.id)`` count nothing or ``order_by(Model.id)`` order by nothing."""

    def __get__(self, instance, owner):
        key = ", ".join(("tenant_id", *owner.__tenant_natural_key__))
        raise AttributeError(f"{owner.__name__} has no id: its rows are keyed by ({key})")


def _tenant_key(table: sa.Table) -> bool:
    return [c.name for c in table.primary_key.columns] == ["tenant_id", "id"]


@compiles(sa.PrimaryKeyConstraint, "sqlite")
def _sqlite_primary_key(constraint, compiler, **kw) -> str:
    """SQLite (embedded, never distributed): a tenant table's ``(tenant_id, id)`` key is
    written ``PRIMARY KEY (id)``, so ``id`` stays the rowid and keeps its autoincrement; unique
    on its own, it is unique per tenant too (migration core_0011). Other keys compile as usual."""
    if constraint.table is not None and _tenant_key(constraint.table):
        name = compiler.preparer.format_constraint(constraint) if constraint.name else None
        return (f"CONSTRAINT {name} " if name else "") + "PRIMARY KEY (id)"
    return compiler.visit_primary_key_constraint(constraint, **kw)


@compiles(CreateColumn, "sqlite")
def _sqlite_column(create, compiler, **kw) -> str:
    """The ``id`` of such a table as SQLite's rowid column (see :func:`_sqlite_primary_key`)."""
    column = create.element
    if column.name == "id" and column.table is not None and _tenant_key(column.table):
        return f"{compiler.preparer.format_column(column)} INTEGER NOT NULL"
    return compiler.visit_create_column(create, **kw)


def tenant_foreign_key(columns: list[str] | str, target_table: str, ondelete: str | None = None):
    """A foreign key into another tenant table that includes ``tenant_id``.

    ``tenant_foreign_key("household_id", "registry_households")`` makes
    ``(tenant_id, household_id) → registry_households(tenant_id, id)``.
    """
    if isinstance(columns, str):
        columns = [columns]
    return sa.ForeignKeyConstraint(
        ["tenant_id", *columns],
        [f"{target_table}.tenant_id", f"{target_table}.id"],
        ondelete=ondelete,
    )


class PluginEnablement(TenantMixin, db.Model):
    """Whether a plugin is enabled for a tenant, and its validated settings.

    The row is kept when a plugin is disabled, so its settings come back on re-enable.
    """

    __tablename__ = "plugin_enablements"
    __tenant_table_args__ = (sa.UniqueConstraint("tenant_id", "plugin_id"),)

    plugin_id: Mapped[str] = mapped_column(sa.String(63))
    enabled: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
