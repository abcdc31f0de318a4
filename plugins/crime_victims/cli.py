"""``flask crime_victims …``: the plugin's commands (a group named after the plugin's id)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.toolkit import Periodic, all_tenants, db, is_enabled, tenant_context

from . import services

group = AppGroup(
    "crime_victims", help="Crime victims care: the victim cases of the associations that enabled it."
)


@group.command("overdue")
def overdue_command() -> None:
    """Print, per association with the plugin enabled, the cases past their expected answer date."""
    for tenant in all_tenants():
        with tenant_context(tenant):
            if is_enabled("crime_victims"):
                click.echo(f"{tenant.slug}: {len(services.queue(overdue_only=True))}")


def reminders_job(**options) -> dict:
    """Remind the staff of the referrals whose follow-up date has come (once per date)."""
    counts = services.care.send_reminders()
    db.session.commit()
    return counts


REMINDERS = Periodic("crime_victims.follow_up_reminders", reminders_job, every=3600, plugin="crime_victims")
