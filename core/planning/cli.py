"""``flask planning import FILE --tenant SLUG`` and ``flask planning export --tenant SLUG --year Y
--format xlsx|pdf``: the same import path and exports as the pages, for operators."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..calendar import today
from ..extensions import db
from ..tenancy import tenant_context
from ..tenancy.services import get_tenant
from . import importer
from .exports import export_bytes
from .models import Plan

group = AppGroup("planning", help="Operational plans: import and export.")


def _tenant(slug: str):
    tenant = get_tenant(slug)
    if tenant is None:
        raise click.ClickException(f"No association with the slug {slug!r}.")
    return tenant


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True, help="The association's slug.")
@click.option("--year", type=int, default=None, help="Fiscal year (default: this year).")
@click.option("--calendar", type=click.Choice(["gregorian", "hijri"]), default="gregorian")
@click.option("--title", default=None, help="The plan's title.")
def import_command(file: Path, slug: str, year: int | None, calendar: str, title: str | None) -> None:
    """Import a plan file (CSV or XLSX) as a new draft; every bad row is listed and nothing is written."""
    tenant = _tenant(slug)
    year = year or today(tenant).year
    with tenant_context(tenant):
        try:
            plan = importer.create_plan(file.read_bytes(), file.name, fiscal_year=year, calendar=calendar,
                                        title=title or f"الخطة التشغيلية لعام {year}", actor=None)  # fmt: skip
        except importer.ImportProblems as problems:
            db.session.rollback()
            for p in problems.problems:
                click.echo(f"{file.name}:{p['line']}: {p['label']}: {p['message']}", err=True)
            raise click.ClickException(str(problems.message)) from None
        except importer.AppError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from None
        db.session.commit()
        click.echo(f"{slug}: plan {plan.id} ({plan.fiscal_year}, version {plan.version}) imported as a draft")


def latest_plan(year: int) -> Plan | None:
    """The year's approved plan, else its newest version."""
    plans = db.session.scalars(
        db.select(Plan).where(Plan.fiscal_year == year).order_by(Plan.version.desc())
    ).all()
    return next((p for p in plans if p.status == "approved"), plans[0] if plans else None)


@group.command("export")
@click.option("--tenant", "slug", required=True, help="The association's slug.")
@click.option("--year", type=int, required=True, help="Fiscal year.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "pdf"]), default="xlsx")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File to write."
)
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar")
def export_command(slug: str, year: int, fmt: str, output: Path | None, lang: str) -> None:
    """Export the year's plan (the approved version, else the newest) and its progress."""
    tenant = _tenant(slug)
    with current_app.test_request_context(f"/t/{slug}/planning/?lang={lang}"), tenant_context(tenant):
        plan = latest_plan(year)
        if plan is None:
            raise click.ClickException(f"No plan for {year}.")
        data = export_bytes(plan, fmt)
        db.session.commit()
    output = output or Path(f"plan-{slug}-{year}-v{plan.version}.{fmt}")
    output.write_bytes(data)
    click.echo(f"{output} ({len(data)} bytes)")


def register(app) -> None:
    app.cli.add_command(group)
