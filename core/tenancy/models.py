"""Tenants, the tenant mixin every tenant-owned table uses, and plugin enablement."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


CALENDAR_DISPLAYS = ("hijri", "gregorian", "both")


class Tenant(db.Model):
    __tablename__ = "tenants"

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
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def name(self, locale: str) -> str:
        return self.name_ar if locale == "ar" else self.name_en

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantMixin:
    """Columns and keys of a tenant-owned table.

    ``tenant_id`` is part of a unique key ``(tenant_id, id)`` so that foreign keys
    between tenant tables can include it (see :func:`tenant_foreign_key`): a row can
    never point into another tenant. Rows are filtered to the tenant in context by
    :mod:`core.tenancy.scoping`; subclasses add ``__tenant_table_args__`` for their
    own constraints and indexes.
    """

    __tenant_table_args__: tuple = ()

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True, nullable=False)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:  # noqa: N805
        return (sa.UniqueConstraint("tenant_id", "id"), *cls.__tenant_table_args__)


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

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin_id: Mapped[str] = mapped_column(sa.String(63))
    enabled: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
