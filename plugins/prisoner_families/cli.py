"""``flask --app wsgi prisoner_families …``: the association's reminders, from cron or the shell.

Each command runs for every active tenant that enabled the plugin (or the one ``--tenant``
names), in that tenant's context, through the same services as the pages; it only reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import click
from flask.cli import AppGroup

from core.toolkit import Tenant, all_tenants, is_enabled, tenant_context
from core.toolkit import today as tenant_today

from . import services

prisoner_families_cli = AppGroup(
    "prisoner_families", help="Prisoners and their families: follow-ups due and releases expected."
)

DAY = click.DateTime(formats=["%Y-%m-%d"])
TODAY_HELP = "Run as of this date (YYYY-MM-DD); default today."
TENANT_HELP = "Only this tenant (its slug); default every active tenant that enabled the plugin."


def tenants_with_plugin(slug: str | None) -> Iterator[Tenant]:
    """Every active tenant that enabled the plugin, each yielded inside its own context; with
    ``slug``, that tenant only (refused when unknown or without the plugin)."""
    tenants = all_tenants()
    if slug is not None:
        tenants = [t for t in tenants if t.slug == slug]
        if not tenants:
            raise click.ClickException(f"No tenant with slug {slug!r}.")
    for tenant in tenants:
        if slug is None and not tenant.is_active:
            continue
        with tenant_context(tenant):
            if not is_enabled(services.PLUGIN_ID):
                if slug is not None:
                    raise click.ClickException(
                        f"The plugin {services.PLUGIN_ID} is not enabled for {slug!r}."
                    )
                continue
            yield tenant


def _day(value: datetime | None, tenant: Tenant) -> date:
    """The day given (``--today``), else today in the tenant's time zone."""
    return value.date() if value is not None else tenant_today(tenant)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _when(day: date, today: date, late: str) -> str:
    """``late`` before today, then "today", "in 1 day", "in N days"."""
    if day < today:
        return late
    count = (day - today).days
    return "today" if count == 0 else "in 1 day" if count == 1 else f"in {count} days"


@prisoner_families_cli.command("follow-ups", short_help="Follow-ups overdue or due within DAYS days.")
@click.option(
    "--days",
    type=click.IntRange(0, 366),
    default=7,
    show_default=True,
    help="Also list the follow-ups falling due within this many days after today.",
)
@click.option("--today", "on", type=DAY, metavar="YYYY-MM-DD", default=None, help=TODAY_HELP)
@click.option("--tenant", "slug", default=None, help=TENANT_HELP)
def follow_ups_command(days: int, on: datetime | None, slug: str | None) -> None:
    """List, per tenant, the recidivism follow-ups of released participants not recorded yet
    that are overdue or fall due within DAYS days (the tenant's months after release)."""
    for tenant in tenants_with_plugin(slug):
        today = _day(on, tenant)
        until = today + timedelta(days=days)
        due = services.list_follow_ups(pending_only=True, due_by=until)
        overdue = sum(1 for f in due if f.due_on < today)
        click.echo(
            f"{tenant.slug}: {_count(len(due), 'follow-up')} due by {until.isoformat()} ({overdue} overdue)"
        )
        for follow_up in due:
            state = _when(follow_up.due_on, today, "overdue")
            prisoner = follow_up.prisoner
            click.echo(
                f"  {follow_up.due_on.isoformat()}  {state:<12}  {prisoner.person.full_name} "
                f"(prisoner {prisoner.id}): {follow_up.months_after} months after release "
                f"(follow-up {follow_up.id})"
            )


@prisoner_families_cli.command("releases", short_help="Releases expected within DAYS days, or past due.")
@click.option(
    "--days",
    type=click.IntRange(0, 366),
    default=30,
    show_default=True,
    help="List the prisoners whose expected release falls within this many days after today.",
)
@click.option("--today", "on", type=DAY, metavar="YYYY-MM-DD", default=None, help=TODAY_HELP)
@click.option("--tenant", "slug", default=None, help=TENANT_HELP)
def releases_command(days: int, on: datetime | None, slug: str | None) -> None:
    """List, per tenant, the prisoners still in prison whose expected release falls within DAYS
    days, and those whose expected date has passed with no release recorded (to prepare the
    family's support and the follow-ups, or to record the release)."""
    for tenant in tenants_with_plugin(slug):
        today = _day(on, tenant)
        until = today + timedelta(days=days)
        expected = services.expected_releases(until)
        past = sum(1 for p in expected if p.expected_release_on < today)
        click.echo(
            f"{tenant.slug}: {_count(len(expected), 'release')} expected by {until.isoformat()} "
            f"({past} past their date with no release recorded)"
        )
        for prisoner in expected:
            when = prisoner.expected_release_on
            state = _when(when, today, "past due")
            click.echo(
                f"  {when.isoformat()}  {state:<12}  {prisoner.person.full_name} "
                f"(prisoner {prisoner.id}), {prisoner.facility}"
            )
