"""``flask jobs …``: list the registered work, run periodic jobs once (cron), reap dead jobs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from .registry import UnknownTask, periodic_jobs, tasks
from .service import reap, recover_orphans, run_periodic, runner_name

group = AppGroup("jobs", help="Background jobs and periodic work.")


@group.command("list")
def list_command() -> None:
    """The registered tasks and periodic jobs, and the runner in use."""
    click.echo(f"runner: {runner_name()}")
    for kind in sorted(tasks()):
        click.echo(f"task {kind}")
    for name, item in sorted(periodic_jobs().items()):
        click.echo(f"periodic {name} every {item.every:g}s" + (f" ({item.plugin})" if item.plugin else ""))


@group.command("run")
@click.argument("name")
def run_command(name: str) -> None:
    """Run the periodic job NAME once for every tenant (what beat runs on its schedule)."""
    try:
        outcome = run_periodic(name)
    except UnknownTask:
        raise click.BadParameter(f"no periodic job {name!r}", param_hint="NAME") from None
    for slug, counts in outcome.items():
        click.echo(f"{slug}: " + ", ".join(f"{k} {v}" for k, v in (counts or {}).items()))


@group.command("reap")
def reap_command() -> None:
    """Mark jobs whose runner died (no heartbeat) as interrupted or failed (worker lost)."""
    for slug, count in reap().items():
        if count:
            click.echo(f"{slug}: {count} job(s) marked lost")


@group.command("recover")
def recover_command() -> None:
    """Mark the jobs whose process died on this host as lost now (what a starting worker does)."""
    for slug, count in recover_orphans(current_app._get_current_object()).items():
        click.echo(f"{slug}: {count} orphaned job(s) marked lost")


def register(app) -> None:
    app.cli.add_command(group)
