"""Operator commands: ``flask --app wsgi <group> <command>``.

Every command goes through the same services (and the same validation) as the
pages and the API.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from alembic import command
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import current, downgrade, upgrade
from marshmallow import ValidationError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from .admin.calendar import announce_holiday_changes
from .auth.services import create_user, find_user, grant_role, normalise_email, unlock_account
from .calendar import holidays_of
from .demo import load_demo
from .extensions import db
from .plugin_kit import ScaffoldError, plugins_folder, scaffold
from .plugins import get_host, set_plugin_state
from .tenancy import rls, tenant_context
from .tenancy.distribution import plan
from .tenancy.services import ManifestError, all_tenants, apply_manifests, get_tenant, tenant_plugin_states

db_cli = AppGroup("db", help="Database migrations (core and every plugin branch).")
tenants_cli = AppGroup("tenants", help="Tenants (associations) and their manifests.")
plugins_cli = AppGroup("plugins", help="Installed plugins and their enablement per tenant.")
users_cli = AppGroup("users", help="Users and their roles.")
demo_cli = AppGroup("demo", help="Demo data.")


def _fail(message: str, errors: dict | None = None) -> None:
    click.secho(message, fg="red", err=True)
    for field, messages in (errors or {}).items():
        if isinstance(messages, dict):
            for sub, sub_messages in messages.items():
                click.echo(f"  {field}.{sub}: {_join(sub_messages)}", err=True)
        else:
            click.echo(f"  {field}: {_join(messages)}", err=True)
    raise SystemExit(1)


def _join(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_join(v)}" for k, v in messages.items())
    if isinstance(messages, list | tuple):
        return "; ".join(_join(m) for m in messages)
    return str(messages)


def _tenant(slug: str):
    tenant = get_tenant(slug, include_inactive=True)
    if tenant is None:
        _fail(f"No tenant with slug {slug!r}.")
    return tenant


# --------------------------------------------------------------------------- db


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Apply migrations (default: every branch head — core and plugins)."""
    upgrade(revision=revision)
    click.echo("Database is up to date.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert to REVISION (e.g. ``makkah_aid@base`` to drop one plugin's tables)."""
    downgrade(revision=revision)


@db_cli.command("rls-key")
@click.option("--check", is_flag=True, help="Only check that the database accepts the app's current key.")
def db_rls_key(check: bool) -> None:
    """PostgreSQL: write the Row-Level Security keys of RLS_KEY into the database (as the
    table owner, DATABASE_OWNER_URL) — after rotating RLS_KEY; ``--check`` tests them."""
    if db.engine.dialect.name != "postgresql":
        click.echo("Row-Level Security is PostgreSQL's; nothing to do on this database.")
        return
    if check:
        with db.engine.begin() as conn:  # transaction-local setting: nothing stays on the pooled connection
            conn.execute(
                text("SELECT set_config(:s, :t, true)"), {"s": rls.SETTING, "t": rls.platform_token()}
            )
            accepted = conn.execute(text("SELECT charity_platform_scope()")).scalar_one()
        if not accepted:
            _fail("The database does not accept RLS_KEY: run `flask db rls-key` (or `flask db upgrade`).")
        click.echo("The database accepts the current RLS_KEY.")
        return
    url = current_app.config.get("DATABASE_OWNER_URL") or current_app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            rls.install_database_objects(conn)
            prints = rls.write_keys(conn)
    except DBAPIError as exc:
        _fail(
            f"Could not write the keys as {engine.url.username!r} (the tables' owner, DATABASE_OWNER_URL): {exc.orig}"
        )
    finally:
        engine.dispose()
    click.echo(f"Row-Level Security keys written (fingerprints, newest first): {', '.join(prints)}")


@db_cli.command("citus-plan")
def db_citus_plan() -> None:
    """Print the Citus statements that distribute this schema (reference tables, then the
    coordinator-local ones, then every tenant table by tenant_id, co-located), in an order
    each can run in; fail naming any table that would not distribute. See docs/scaling.md."""
    try:
        steps = plan(db.metadata)
    except ValueError as exc:
        _fail(str(exc))
    kind = None
    for step in steps:
        if step.kind != kind:
            kind = step.kind
            click.echo(f"-- {kind} tables")
        click.echo(step.sql)


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at, for core and for each plugin branch."""
    current()


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--branch", default=None, help="A plugin id: put the revision on that plugin's own branch.")
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, branch: str | None, autogenerate: bool) -> None:
    """Write a new migration for core, or for one plugin's branch (created on first use,
    depending on core's current head, in ``plugins/<id>/migrations/versions``)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    # Core's own branch by default: plugin branches make "head" ambiguous.
    kwargs: dict = {"message": message, "autogenerate": autogenerate, "head": "core@head"}
    if branch:
        plugin = get_host().plugins.get(branch)
        if plugin is None or plugin.path is None:
            _fail(f"Unknown plugin {branch!r}.")
        versions = plugin.path / "migrations" / "versions"
        script = ScriptDirectory.from_config(config)
        if any(branch in (rev.branch_labels or ()) for rev in script.walk_revisions()):
            kwargs["head"] = f"{branch}@head"
        else:
            versions.mkdir(parents=True, exist_ok=True)
            core_heads = [rev.revision for rev in script.get_revisions("core@head")]
            kwargs.update(head="base", branch_label=branch, version_path=str(versions), depends_on=core_heads)
        os.environ["CHARITY_MIGRATION_BRANCH"] = branch  # autogenerate compares only the plugin's tables
    command.revision(config, **kwargs)


# --------------------------------------------------------------------------- tenants


@tenants_cli.command("apply")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def tenants_apply(path: Path) -> None:
    """Create or update tenants from manifests (a .toml file or a folder of them). Idempotent.
    A manifest that moves a tenant's holidays announces it (``holidays_changed``) as the page does."""
    holidays_before = {tenant.slug: holidays_of(tenant) for tenant in all_tenants()}
    try:
        results = apply_manifests(path, get_host())
    except ManifestError as exc:
        db.session.rollback()
        click.secho("The manifests are not valid; nothing was applied.", fg="red", err=True)
        for file, errors in exc.errors.items():
            click.echo(f"{file}:", err=True)
            for field, messages in errors.items():
                click.echo(f"  {field}: {_join(messages)}", err=True)
        raise SystemExit(1) from None
    except ValidationError as exc:
        db.session.rollback()
        _fail("The manifests are not valid; nothing was applied.", exc.messages)
    for result in results:
        if result.slug in holidays_before:
            tenant = get_tenant(result.slug, include_inactive=True)
            with tenant_context(tenant):
                announce_holiday_changes(tenant, holidays_before[result.slug])
    db.session.commit()
    for result in results:
        plugins = ", ".join(f"{k}={'on' if v else 'off'}" for k, v in result.plugins.items()) or "-"
        click.echo(f"{result.slug}: {result.status} (plugins: {plugins})")


@tenants_cli.command("list")
def tenants_list() -> None:
    """List the tenants: slug, names, the plugins each has enabled, and whether it is active."""
    for tenant in all_tenants():
        enabled = sorted(pid for pid, row in tenant_plugin_states(tenant).items() if row.enabled)
        state = "" if tenant.is_active else " (inactive)"
        click.echo(
            f"{tenant.slug}\t{tenant.name_en}\t{tenant.name_ar}\tplugins: {', '.join(enabled) or '-'}{state}"
        )


# --------------------------------------------------------------------------- plugins


@plugins_cli.command("list")
def plugins_list() -> None:
    """List the installed plugins: id, version, names, and where each was found."""
    host = get_host()
    if not host.plugins:
        click.echo("No plugins installed.")
    for plugin_id, plugin in sorted(host.plugins.items()):
        meta = plugin.meta
        click.echo(f"{plugin_id}\t{meta.version}\t{meta.name_en}\t{meta.name_ar}\t[{plugin.source}]")


@plugins_cli.command("new")
@click.argument("plugin_id")
@click.option(
    "--path",
    "target",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the plugin in (default: this installation's plugins/ folder).",
)
@click.option("--name-ar", default=None, help="The plugin's Arabic name (default: from the id).")
@click.option("--name-en", default=None, help="The plugin's English name (default: from the id).")
def plugins_new(plugin_id: str, target: Path | None, name_ar: str | None, name_en: str | None) -> None:
    """Scaffold a working plugin PLUGIN_ID (a lowercase Python identifier): a per-tenant list of
    notes with its page, API, permissions, table and migration branch, settings, translations,
    demo data, a command and its tests — see docs/plugins.md."""
    target = target or plugins_folder()
    taken = set(get_host().plugins) | set(current_app.cli.commands) | {"run", "shell", "routes"}
    try:
        written = scaffold(plugin_id, target, name_ar=name_ar, name_en=name_en, taken=taken)
    except ScaffoldError as exc:
        _fail(str(exc))
    click.echo(f"Created {target / plugin_id} ({len(written)} files). Next:")
    if target.resolve() != plugins_folder().resolve():
        click.echo(f"  export PYTHONPATH={target.resolve()} CHARITY_EXTRA_PLUGINS={plugin_id}")
    click.echo("  flask --app wsgi db upgrade   # its table, on its own migration branch")
    click.echo(f"  flask --app wsgi plugins enable {plugin_id} --tenant <slug>")
    click.echo(f"  pytest {target / plugin_id / 'tests'}")


@plugins_cli.command("enable")
@click.argument("plugin_id")
@click.option("--tenant", "slug", required=True)
@click.option("--settings", default=None, help="Settings as a JSON object, validated by the plugin.")
def plugins_enable(plugin_id: str, slug: str, settings: str | None) -> None:
    """Enable PLUGIN_ID for a tenant (effective on the next request, no restart)."""
    _set_plugin(plugin_id, slug, True, settings)


@plugins_cli.command("disable")
@click.argument("plugin_id")
@click.option("--tenant", "slug", required=True)
def plugins_disable(plugin_id: str, slug: str) -> None:
    """Disable PLUGIN_ID for a tenant; its data and settings are kept."""
    _set_plugin(plugin_id, slug, False, None)


def _set_plugin(plugin_id: str, slug: str, enabled: bool, settings_json: str | None) -> None:
    tenant = _tenant(slug)
    settings = None
    if settings_json is not None:
        try:
            settings = json.loads(settings_json)
        except ValueError as exc:
            _fail(f"--settings is not valid JSON: {exc}")
        if not isinstance(settings, dict):
            _fail("--settings must be a JSON object.")
    try:
        set_plugin_state(tenant, plugin_id, enabled, settings)
    except KeyError:
        _fail(f"Unknown plugin {plugin_id!r}. Installed: see `flask plugins list`.")
    except ValidationError as exc:
        db.session.rollback()
        _fail(f"Invalid settings for {plugin_id}; nothing was saved.", exc.messages)
    db.session.commit()
    click.echo(f"{plugin_id} {'enabled' if enabled else 'disabled'} for {slug}.")


# --------------------------------------------------------------------------- users


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", default="")
@click.option("--platform-admin", is_flag=True, default=False)
def users_create(email: str, password: str, name: str, platform_admin: bool) -> None:
    """Create a user (same validation as the pages: e-mail, password policy); ``--platform-admin``
    makes a platform administrator."""
    try:
        user = create_user(
            {"email": email, "password": password, "name": name, "is_platform_admin": platform_admin}
        )
    except ValidationError as exc:
        db.session.rollback()
        _fail("The user was not created.", exc.messages)
    db.session.commit()
    click.echo(f"Created {user.email}{' (platform admin)' if platform_admin else ''}.")


@users_cli.command("grant")
@click.option("--email", required=True)
@click.option("--tenant", "slug", required=True)
@click.option("--role", required=True)
def users_grant(email: str, slug: str, role: str) -> None:
    """Give the user EMAIL a ROLE in the tenant SLUG (added to the roles held there)."""
    tenant = _tenant(slug)
    user = find_user(email)
    if user is None:
        _fail(f"No user with e-mail {email!r}.")
    try:
        membership = grant_role(tenant, user, role)
    except ValidationError as exc:
        db.session.rollback()
        _fail("The role was not granted.", exc.messages)
    db.session.commit()
    click.echo(f"{user.email} in {slug}: {', '.join(membership.roles)}")


@users_cli.command("unlock")
@click.argument("email")
def users_unlock(email: str) -> None:
    """Lift the login lockout of EMAIL (and forget its failed logins)."""
    if unlock_account(email):
        click.echo(f"{normalise_email(email)} is unlocked.")
    else:
        click.echo(f"{normalise_email(email)} was not locked.")


# --------------------------------------------------------------------------- demo


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo users (and each enabled plugin's demo data) into every tenant. Idempotent."""
    for line in load_demo(Path(current_app.config["TENANTS_DIR"])):
        click.echo(line)


def register(app) -> None:
    for group in (db_cli, tenants_cli, plugins_cli, users_cli, demo_cli):
        app.cli.add_command(group)
