"""Creating and editing tenants, and applying tenant manifests (``tenants/*.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..validation import Name, Text
from .context import tenant_context
from .models import CALENDAR_DISPLAYS, PluginEnablement, Tenant

SLUG_RE = r"^[a-z0-9][a-z0-9-]{1,62}$"
CONTACT_KEYS = ("phone", "mobile", "email", "website", "address", "twitter", "facebook", "whatsapp")


class ContactSchema(Schema):
    class Meta:
        unknown = RAISE

    phone = fields.String(validate=validate.Length(max=32))
    mobile = fields.String(validate=validate.Length(max=32))
    email = fields.Email()
    website = fields.String(validate=validate.Length(max=255))
    address = Text(validate=validate.Length(max=255))
    twitter = fields.String(validate=validate.Length(max=120))
    facebook = fields.String(validate=validate.Length(max=120))
    whatsapp = fields.String(validate=validate.Length(max=32))


class TenantSchema(Schema):
    """The fields of a tenant; used by the API, the admin pages and manifests."""

    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.Integer(dump_only=True)
    slug = fields.String(
        required=True,
        validate=validate.Regexp(SLUG_RE, error=_l("Use 2-63 lowercase Latin letters, digits or dashes.")),
    )
    name_ar = Name(required=True, validate=validate.Length(min=2, max=255))
    name_en = Name(required=True, validate=validate.Length(min=2, max=255))
    registration_number = fields.String(allow_none=True, validate=validate.Length(max=63))
    founded_hijri = fields.Integer(allow_none=True, validate=validate.Range(1300, 1500))
    founded_gregorian = fields.Integer(allow_none=True, validate=validate.Range(1880, 2100))
    city = Text(allow_none=True, validate=validate.Length(max=127))
    region = Text(allow_none=True, validate=validate.Length(max=127))
    service_area = fields.List(fields.String(validate=validate.Length(min=1, max=127)))
    contact = fields.Nested(ContactSchema)
    logo = fields.String(allow_none=True, validate=validate.Length(max=255))
    default_locale = fields.String(validate=validate.OneOf(("ar", "en")))
    calendar_display = fields.String(validate=validate.OneOf(CALENDAR_DISPLAYS))
    currency = fields.String(validate=validate.OneOf(("SAR",)))
    hosts = fields.List(fields.String(validate=validate.Regexp(r"^[a-z0-9.-]+(:\d+)?$")))
    settings = fields.Dict(keys=fields.String())
    is_active = fields.Boolean()

    @validates("hosts")
    def _unique_hosts(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError(_l("A host name is listed twice."))


def get_tenant(slug: str, include_inactive: bool = False) -> Tenant | None:
    query = db.select(Tenant).where(Tenant.slug == slug)
    if not include_inactive:
        query = query.where(Tenant.is_active.is_(True))
    return db.session.execute(query).scalar_one_or_none()


def tenant_for_host(host: str, include_inactive: bool = False) -> Tenant | None:
    """The tenant that lists ``host`` in its ``hosts`` — the one host → tenant map (set by the
    tenant's manifest or the platform admin; ``core.tenancy.web`` resolves requests with it)."""
    host = (host or "").lower()
    if not host or any(char in host for char in '%_\\"'):
        return None  # never a valid host name (TenantSchema.hosts); and LIKE's own characters
    # The JSON list is stored as text on every database: narrow by its quoted item, then check.
    query = db.select(Tenant).where(sa.cast(Tenant.hosts, sa.Text).like(f'%"{host}"%'))
    if not include_inactive:
        query = query.where(Tenant.is_active.is_(True))
    for tenant in db.session.execute(query).scalars():
        if host in (tenant.hosts or []):
            return tenant
    return None


def _check_unique(data: dict, exclude_id: int | None = None) -> None:
    errors: dict[str, list] = {}
    if "slug" in data:
        existing = get_tenant(data["slug"], include_inactive=True)
        if existing and existing.id != exclude_id:
            errors["slug"] = [_l("Another association already uses this slug.")]
    for host in data.get("hosts") or []:
        owner = tenant_for_host(host, include_inactive=True)
        if owner and owner.id != exclude_id:
            errors.setdefault("hosts", []).append(_l("Another association already uses this host name."))
    if errors:
        raise ValidationError(errors)


def create_tenant(data: dict) -> Tenant:
    """Validate and add a tenant (caller commits)."""
    data = TenantSchema().load(data)
    _check_unique(data)
    tenant = Tenant(**data)
    db.session.add(tenant)
    db.session.flush()
    return tenant


def update_tenant(tenant: Tenant, data: dict) -> Tenant:
    data = TenantSchema(partial=True).load(data)
    _check_unique(data, exclude_id=tenant.id)
    for key, value in data.items():
        setattr(tenant, key, value)
    db.session.flush()
    return tenant


# --------------------------------------------------------------------------- manifests


class PluginEntrySchema(Schema):
    class Meta:
        unknown = RAISE

    enabled = fields.Boolean(load_default=True)
    settings = fields.Dict(keys=fields.String(), load_default=dict)


class ManifestSchema(TenantSchema):
    plugins = fields.Dict(keys=fields.String(), values=fields.Nested(PluginEntrySchema), load_default=dict)


@dataclass
class ManifestResult:
    slug: str
    status: str  # "created", "updated" or "unchanged"
    plugins: dict[str, bool]


class ManifestError(Exception):
    def __init__(self, errors: dict[str, dict]):
        super().__init__("invalid tenant manifest")
        self.errors = errors  # {file name: {field: [messages]}}


def _manifest_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.toml"))
    return [path]


def validate_manifests(path: Path, host) -> list[tuple[Path, dict]]:
    """Read and validate every manifest under ``path``; raise ``ManifestError`` with all problems."""
    errors: dict[str, dict] = {}
    loaded: list[tuple[Path, dict]] = []
    files = _manifest_files(path)
    if not files:
        raise ManifestError({str(path): {"_schema": [str(_l("No manifest (*.toml) found."))]}})
    seen: dict[str, Path] = {}
    for file in files:
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            errors[file.name] = {"_schema": [str(exc)]}
            continue
        try:
            data = ManifestSchema().load(raw)
        except ValidationError as exc:
            errors[file.name] = exc.messages
            continue
        problems: dict[str, list] = {}
        for plugin_id, entry in data["plugins"].items():
            plugin = host.plugins.get(plugin_id)
            if plugin is None:
                problems[f"plugins.{plugin_id}"] = [str(_l("Unknown plugin: %(id)s", id=plugin_id))]
                continue
            try:
                plugin.validate_settings(entry["settings"])
            except ValidationError as exc:
                problems[f"plugins.{plugin_id}.settings"] = exc.messages
        if data["slug"] in seen:
            problems["slug"] = [str(_l("The slug is also used by %(file)s.", file=seen[data["slug"]].name))]
        seen[data["slug"]] = file
        if problems:
            errors[file.name] = problems
        else:
            loaded.append((file, data))
    if errors:
        raise ManifestError(errors)
    return loaded


def apply_manifests(path: Path, host) -> list[ManifestResult]:
    """Validate everything first, then create or update each tenant and its plugins.

    Idempotent: applying the same manifests twice changes nothing the second time.
    Plugins not listed in a manifest are left as they are. The caller commits.
    """
    from ..plugins import set_plugin_state  # cycle: plugins builds on tenancy (a lower layer)

    results = []
    for _file, data in validate_manifests(path, host):
        plugins = data.pop("plugins")
        tenant = get_tenant(data["slug"], include_inactive=True)
        if tenant is None:
            tenant = Tenant(**data)
            db.session.add(tenant)
            db.session.flush()
            status = "created"
        else:
            changed = {key: value for key, value in data.items() if getattr(tenant, key) != value}
            for key, value in changed.items():
                setattr(tenant, key, value)
            status = "updated" if changed else "unchanged"
        before = {pid: (row.enabled, row.settings) for pid, row in tenant_plugin_states(tenant).items()}
        for plugin_id, entry in plugins.items():
            row = set_plugin_state(tenant, plugin_id, entry["enabled"], entry["settings"])
            if status == "unchanged" and before.get(plugin_id) != (row.enabled, row.settings):
                status = "updated"
        results.append(ManifestResult(data["slug"], status, {k: v["enabled"] for k, v in plugins.items()}))
    return results


def tenant_plugin_states(tenant: Tenant) -> dict[str, PluginEnablement]:
    with tenant_context(tenant):
        rows = db.session.execute(db.select(PluginEnablement)).scalars().all()
    return {row.plugin_id: row for row in rows}


def all_tenants() -> list[Tenant]:
    return list(db.session.execute(db.select(Tenant).order_by(Tenant.slug)).scalars())
