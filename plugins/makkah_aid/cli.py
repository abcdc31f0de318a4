"""``flask --app wsgi makkah_aid tick``: the daily run (cron) for every tenant with the plugin."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from core.toolkit import all_tenants, db, is_enabled, tenant_context

makkah_aid_cli = AppGroup("makkah_aid", help="Makkah association: suspensions, renewals, exclusions.")


@makkah_aid_cli.command("tick")
@click.option("--today", "on", default=None, help="Run as of this date (YYYY-MM-DD); default today.")
def tick_command(on: str | None) -> None:
    """End timed suspensions past their end date and propose due exclusions (late renewal …)."""
    from . import services

    day = date.fromisoformat(on) if on else None
    for tenant in all_tenants():
        with tenant_context(tenant):
            if not is_enabled("makkah_aid"):
                continue
            counts = services.tick(day)
            db.session.commit()
        click.echo(
            f"{tenant.slug}: {counts['lifted']} suspensions ended, {counts['proposed']} exclusions proposed"
        )
