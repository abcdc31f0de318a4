"""``flask notifications send``: deliver the outbox of every tenant (run from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..jobs import run_periodic

group = AppGroup("notifications", help="The notification outbox.")


@group.command("send")
def send_command() -> None:
    """Send due messages of every tenant, retrying failures with a back-off (the periodic job
    ``notifications.send`` run once)."""
    for slug, counts in run_periodic("notifications.send").items():
        line = f"{slug}: {counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} failed"
        if counts.get("held") or counts.get("withheld"):
            line += (
                f", {counts.get('held', 0)} held (safe window), {counts.get('withheld', 0)} withheld (unsafe)"
            )
        click.echo(line)


def register(app) -> None:
    app.cli.add_command(group)
