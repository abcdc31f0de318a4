"""``flask grievances tick``: the daily pass over every tenant's grievances."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ..extensions import db
from ..tenancy import tenant_context
from ..tenancy.services import all_tenants
from . import services

group = AppGroup("grievances", help="Grievances and complaints.")


@group.command("tick")
@click.option(
    "--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="The day (default today)."
)
def tick(on) -> None:
    """Recompute open due dates (holidays may have moved), notify the executive director of each
    newly overdue grievance, close decided ones whose appeal window passed. Run daily (cron)."""
    for tenant in all_tenants():
        day: date = on.date() if on else services.today(tenant)  # the association's day
        with tenant_context(tenant):
            result = services.tick(day)
            db.session.commit()
        click.echo(
            f"{tenant.slug}: {result['recomputed']} due dates recomputed, "
            f"{result['overdue']} newly overdue, {result['closed']} closed"
        )


def register(app) -> None:
    app.cli.add_command(group)
