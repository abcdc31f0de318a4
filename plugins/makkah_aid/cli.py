"""``flask --app wsgi makkah_aid tick``: the daily run (cron) for every tenant with the plugin."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from core.toolkit import Periodic, run_periodic

from . import services

makkah_aid_cli = AppGroup("makkah_aid", help="Makkah association: suspensions, renewals, exclusions.")


@makkah_aid_cli.command("tick")
@click.option("--today", "on", default=None, help="Run as of this date (YYYY-MM-DD); default today.")
def tick_command(on: str | None) -> None:
    """End timed suspensions past their end date and propose due exclusions (late renewal …):
    the periodic job ``makkah_aid.tick`` run once."""
    day = date.fromisoformat(on) if on else None
    for slug, counts in run_periodic("makkah_aid.tick", on=day).items():
        click.echo(f"{slug}: {counts['lifted']} suspensions ended, {counts['proposed']} exclusions proposed")


def tick_job(on: date | None = None) -> dict:
    """The tenant in context's daily run (idempotent: run hourly by beat, daily by cron)."""
    return services.tick(on)


TICK = Periodic("makkah_aid.tick", tick_job, every=3600, plugin="makkah_aid")
