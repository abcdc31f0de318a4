"""``flask productive_families …``: the plugin's commands and its periodic job."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from core.toolkit import Periodic, all_tenants, is_enabled, run_periodic, tenant_context

from . import services

group = AppGroup(
    "productive_families",
    help="Productive families: producers, licences, exhibitions, the award, training and financing.",
)


@group.command("licences")
@click.option("--today", "on", default=None, help="Run as of this date (YYYY-MM-DD); default today.")
def licences_command(on: str | None) -> None:
    """Warn of licences expiring within the tenant's warning period and mark expired ones: the
    periodic job ``productive_families.licences`` run once."""
    day = date.fromisoformat(on) if on else None
    for slug, counts in run_periodic("productive_families.licences", today=day).items():
        click.echo(f"{slug}: {counts['warned']} warned, {counts['expired']} expired")


@group.command("count")
def count_command() -> None:
    """Print how many producers each association with the plugin enabled has registered."""
    for tenant in all_tenants():
        with tenant_context(tenant):
            if is_enabled("productive_families"):
                click.echo(f"{tenant.slug}: {services.producer_count()}")


def licences_job(today: date | None = None) -> dict:
    """The tenant in context's daily licence run (idempotent: one warning per licence term)."""
    return services.run_licence_job(today)


LICENCES = Periodic("productive_families.licences", licences_job, every=3600, plugin="productive_families")
