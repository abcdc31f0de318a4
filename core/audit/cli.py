"""``flask --app wsgi audit verify --tenant S [--checkpoint FILE]`` and ``audit checkpoint``."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from ..tenancy import rls, tenant_context, unscoped
from ..tenancy.services import get_tenant
from .chain import AuditTampering, audit_key, key_fingerprint, rekey_chains, verify_chain
from .checkpoints import (
    CheckpointError,
    check_against,
    checkpoint_path,
    latest_checkpoint_file,
    load_checkpoint,
    write_checkpoint,
    write_scheduled_checkpoint,
)

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--tenant", "slug", required=True, help="The association's slug, or '-' for platform entries.")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A checkpoint written by `audit checkpoint` (or a folder of them: the newest is used); "
    "the chain must still reach the head it recorded.",
)
def verify(slug: str, checkpoint_file: Path | None) -> None:
    """Check a tenant's keyed hash chain; report the first broken link (exit status 1).
    With --checkpoint, also detect entries removed from the end or a recomputed chain."""
    record = None
    if checkpoint_file is not None:
        try:
            checkpoint_file = latest_checkpoint_file(checkpoint_file)
            record = load_checkpoint(checkpoint_file, slug)
        except CheckpointError as exc:
            click.secho(f"CHECKPOINT REFUSED: {exc}", fg="red", err=True)
            raise SystemExit(1) from None

    if slug == "-":
        tenant_id, scope = None, unscoped("audit verify: the platform's own audit chain")
    else:
        tenant = get_tenant(slug, include_inactive=True)
        if tenant is None:
            click.secho(f"No tenant with slug {slug!r}.", fg="red", err=True)
            raise SystemExit(2)
        tenant_id, scope = tenant.id, tenant_context(tenant)
    with scope:
        report = verify_chain(tenant_id)
        problem = check_against(tenant_id, record) if record is not None and report.ok else None
    if not report.ok:
        click.secho(
            f"BROKEN at entry #{report.broken_at_seq} (id {report.broken_entry_id}): {report.problem}; "
            f"{report.checked} entries before it are intact.",
            fg="red",
        )
        raise SystemExit(1)
    if problem:
        click.secho(f"BROKEN against the checkpoint {checkpoint_file}: {problem}.", fg="red")
        raise SystemExit(1)
    suffix = f"; it still reaches the head of the checkpoint (#{record['seq']})" if record else ""
    click.echo(f"OK: {report.checked} entries, chain intact{suffix}.")


@audit_cli.command("checkpoint")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write; default: a new file in AUDIT_CHECKPOINT_DIR.",
)
def checkpoint(out: Path | None) -> None:
    """Write the signed head of every audit chain to a file kept outside the database
    (run it on a schedule; give the files to the auditors)."""
    if out is None:
        directory = current_app.config.get("AUDIT_CHECKPOINT_DIR")
        if not directory:
            click.secho("Give --out FILE or set AUDIT_CHECKPOINT_DIR.", fg="red", err=True)
            raise SystemExit(2)
        out = checkpoint_path(directory)
    data = write_checkpoint(out)
    for chain in data["chains"]:
        click.echo(f"{chain['tenant']}: {chain['count']} entries, head #{chain['seq']} {chain['head'][:16]}…")
    click.echo(f"Wrote {out} (key {data['key']}).")


@audit_cli.command("rekey")
@click.option(
    "--old-key-env",
    required=True,
    help="The environment variable holding the previous AUDIT_HMAC_KEY (kept out of shell history).",
)
def rekey(old_key_env: str) -> None:
    """Rotate AUDIT_HMAC_KEY: check every chain under the old key, then re-hash it under the
    current one (as the tables' owner, DATABASE_OWNER_URL). Nothing changes if a chain is
    broken. Checkpoints written before no longer match: take a new one right after."""
    old_key = os.environ.get(old_key_env, "").encode()
    if not old_key:
        click.secho(f"{old_key_env} is not set.", fg="red", err=True)
        raise SystemExit(2)
    url = current_app.config.get("DATABASE_OWNER_URL") or current_app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url, poolclass=NullPool)
    rls.log_platform_scope("audit rekey: re-hash every audit chain under a new key", actor="cli:audit rekey")
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT set_config(:s, :t, true)"), {"s": rls.SETTING, "t": rls.platform_token()}
                )
            counts = rekey_chains(conn, old_key, audit_key())
    except AuditTampering as exc:
        click.secho(f"REFUSED: {exc}. Nothing was changed.", fg="red", err=True)
        raise SystemExit(1) from None
    finally:
        engine.dispose()
    click.echo(
        f"Re-keyed {sum(counts.values())} entries in {len(counts)} chain(s) "
        f"(key {key_fingerprint(old_key)} -> {key_fingerprint()})."
    )
    path = write_scheduled_checkpoint()
    click.echo(f"New checkpoint: {path}." if path else "Take a new checkpoint now: `flask audit checkpoint`.")
