"""``flask notifications send``: deliver the outbox of every tenant (run from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from ..tenancy import tenant_context
from ..tenancy.services import all_tenants

group = AppGroup("notifications", help="The notification outbox.")


@group.command("send")
def send_command() -> None:
    """Send due messages of every tenant, retrying failures with a back-off."""
    from .services import send_pending

    for tenant in all_tenants():
        with tenant_context(tenant):
            counts = send_pending()
            db.session.commit()
        click.echo(
            f"{tenant.slug}: {counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} failed"
        )


def register(app) -> None:
    app.cli.add_command(group)
