"""``flask --app wsgi audit verify --tenant S``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--tenant", "slug", required=True, help="The association's slug, or '-' for platform entries.")
def verify(slug: str) -> None:
    """Check a tenant's hash chain; report the first broken link (exit status 1)."""
    from ..tenancy.services import get_tenant
    from .service import verify_chain

    tenant_id = None
    if slug != "-":
        tenant = get_tenant(slug, include_inactive=True)
        if tenant is None:
            click.secho(f"No tenant with slug {slug!r}.", fg="red", err=True)
            raise SystemExit(2)
        tenant_id = tenant.id
    report = verify_chain(tenant_id)
    if report.ok:
        click.echo(f"OK: {report.checked} entries, chain intact.")
        return
    click.secho(
        f"BROKEN at entry #{report.broken_at_seq} (id {report.broken_entry_id}): {report.problem}; "
        f"{report.checked} entries before it are intact.",
        fg="red",
    )
    raise SystemExit(1)
