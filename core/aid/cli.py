"""``flask aid install-catalog``: give every tenant the default catalog items it lacks."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from ..tenancy import tenant_context
from ..tenancy.services import all_tenants
from .services import install_default_catalog

group = AppGroup("aid", help="Aid catalog.")


@group.command("install-catalog")
def install_catalog() -> None:
    """Give every tenant the default catalog items it lacks (core's and its plugins'); existing
    items are never overwritten."""
    for tenant in all_tenants():
        with tenant_context(tenant):
            added = install_default_catalog(tenant)
            db.session.commit()
        click.echo(f"{tenant.slug}: {added} items added")


def register(app) -> None:
    app.cli.add_command(group)
