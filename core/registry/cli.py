"""``flask --app wsgi registry …``: import a file, export, rotate ID encryption keys."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..audit.services import record
from ..extensions import db
from ..notifications.models import OutboxMessage
from ..tenancy import tenant_context, unscoped
from ..tenancy.services import get_tenant
from . import ids
from .importer import export_xlsx, start_import
from .models import Person

registry_cli = AppGroup("registry", help="The beneficiary registry.")


def _tenant(slug: str):
    tenant = get_tenant(slug, include_inactive=True)
    if tenant is None:
        click.secho(f"No tenant with slug {slug!r}.", fg="red", err=True)
        raise SystemExit(2)
    return tenant


@registry_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True)
@click.option("--only-good-rows", is_flag=True, help="Import the households without errors, skip the others.")
def import_command(path: Path, slug: str, only_good_rows: bool) -> None:
    """Import households with members from a CSV or XLSX file (all or nothing by default)."""
    with tenant_context(_tenant(slug)):
        job = start_import(path.name, path.read_bytes(), only_good_rows, background=False)
        for error in job.errors:
            click.echo(f"line {error['line']}: {error['field']}: {error['message']}", err=True)
        if job.status != "done":
            click.secho(f"Nothing imported: {len(job.errors)} problem(s).", fg="red", err=True)
            raise SystemExit(1)
        click.echo(f"Imported {job.households_created} household(s) from {job.total_rows} row(s).")


@registry_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True)
def export_command(path: Path, slug: str) -> None:
    """Export a tenant's registry to an XLSX file."""
    with tenant_context(_tenant(slug)):
        path.write_bytes(export_xlsx())
        record("registry.exported", "registry", None, {"format": "xlsx", "via": "cli"})
        db.session.commit()
    click.echo(f"Wrote {path}.")


@registry_cli.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt with the first key of ID_ENCRYPTION_KEYS every stored ID number, and the sealed
    text of every message still waiting in the outbox (``notifications.Sealed``: a reset or
    access link), so that the old key can then be removed."""
    count = waiting = 0
    with unscoped("registry rotate-keys: re-encrypt every association's ID numbers and sealed messages"):
        query = db.select(Person).where(Person.national_id_encrypted.is_not(None))
        for person in db.session.execute(query).scalars():
            person.national_id_encrypted = ids.rotate(person.national_id_encrypted)
            count += 1
        for message in db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.sealed.is_not(None))):
            message.sealed = ids.rotate(message.sealed)
            waiting += 1
        db.session.commit()
    click.echo(f"Re-encrypted {count} ID number(s) and {waiting} waiting message(s).")
