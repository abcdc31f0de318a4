"""Plugin discovery, registration, per-tenant dispatch and URL gating.

Installed is not enabled: every plugin found in ``plugins/`` and through the
entry-point group ``charity_platform.plugins`` is registered once at start-up
(blueprints, tables, templates, migrations). Whether it runs for a tenant is a
``PluginEnablement`` row, read once per request, so enabling or disabling takes
effect on the next request with no restart.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import logging
import pkgutil
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pluggy
from flask import Flask, abort, current_app, g, request
from flask.cli import AppGroup
from marshmallow import Schema, ValidationError
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from . import hookspecs
from .extensions import db
from .i18n import lazy_gettext as _l
from .tenancy import PluginEnablement, current_tenant, current_tenant_id, tenant_context

log = logging.getLogger("charity_platform.plugins")
trace_log = logging.getLogger("charity_platform.hooks")

CORE_VERSION = "0.1.0"
ENTRY_POINT_GROUP = "charity_platform.plugins"
PLUGIN_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class PluginError(RuntimeError):
    """A plugin breaks the platform's rules (namespaces, metadata, compatibility)."""


@dataclass(frozen=True)
class ContractHints:
    """What a plugin tells the contract suite (``core/testing/contract/``) it cannot check by
    itself — each exception with its reason, shown when the suite reports it.

    ``skip_routes``: endpoint (``<blueprint>.<view>``) → why the contract cannot drive it.
    """

    skip_routes: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PluginMeta:
    """What a plugin declares about itself, as data (``PLUGIN = PluginMeta(...)``)."""

    id: str
    name_ar: str
    name_en: str
    version: str
    description_ar: str = ""
    description_en: str = ""
    settings_schema: type[Schema] | None = None
    core_compat: str = ">=0.1,<1"
    # Only a platform admin may enable it (tenant admins cannot turn it on themselves).
    restricted: bool = True
    depends_on: tuple[str, ...] = ()
    # Hints for the plugin contract suite (tests/test_plugin_contract.py); most plugins need none.
    contract: ContractHints | None = None

    def name(self, locale: str) -> str:
        return self.name_ar if locale == "ar" else self.name_en

    def description(self, locale: str) -> str:
        return self.description_ar if locale == "ar" else self.description_en


@dataclass
class LoadedPlugin:
    meta: PluginMeta
    module: ModuleType
    source: str  # "builtin-dir", "entry-point" or "extra"
    path: Path | None = None
    blueprints: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    def settings_schema(self) -> Schema | None:
        return self.meta.settings_schema() if self.meta.settings_schema else None

    def default_settings(self) -> dict:
        schema = self.settings_schema()
        return schema.load({}) if schema else {}

    def validate_settings(self, settings: dict | None) -> dict:
        """Validated settings with defaults filled in; raises ``ValidationError``."""
        schema = self.settings_schema()
        if schema is None:
            if settings:
                raise ValidationError({"_schema": ["This plugin has no settings."]})
            return {}
        return schema.load(settings or {})


class _TenantHookRelay:
    """``hooks().<name>(...)``: calls only the plugins enabled for one tenant.

    One relay per enabled-set, built once by :meth:`PluginHost.relay_for`; each hook caller it
    hands out is stored on the relay itself, so the next ``relay.<name>`` is a plain attribute
    read (``__getattr__`` runs only the first time).
    """

    def __init__(self, host: PluginHost, excluded: tuple[object, ...]):
        self._host = host
        self._excluded = excluded

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in hookspecs.GLOBAL_HOOKS:
            raise AttributeError(f"{name} is a global hook; call it on the plugin manager")
        caller = self._host._subset_caller(name, self._excluded)
        self.__dict__[name] = caller
        return caller


class PluginHost:
    """Owns the pluggy manager of one app: tests build fresh apps, so no module-global state."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}
        self.builtins: list[object] = []
        self._subset_cache: dict[tuple[str, tuple[object, ...]], Any] = {}
        self._relays: dict[frozenset[str], _TenantHookRelay] = {}
        self._declared: dict[tuple[str, frozenset[str]], Any] = {}
        self._blueprint_owner: dict[str, str] = {}

    # ----------------------------------------------------------------- registration
    def register_builtin(self, module: object) -> None:
        """Core's own hook implementations: always called, registered before plugins."""
        self.pm.register(module, name=f"core.{getattr(module, '__name__', id(module))}")
        self.builtins.append(module)
        self._subset_cache.clear()
        self._relays.clear()
        self._declared.clear()

    def discover(self, only: list[str] | None, extra_modules: list[str]) -> None:
        found: list[tuple[ModuleType, str]] = []
        plugins_pkg = importlib.import_module("plugins")
        for info in pkgutil.iter_modules(plugins_pkg.__path__):
            # A plugin folder is named after its id: skip unwanted ones before importing them.
            if info.ispkg and (only is None or info.name in only):
                module = importlib.import_module(f"plugins.{info.name}")
                meta = getattr(module, "PLUGIN", None)
                if isinstance(meta, PluginMeta) and meta.id != info.name:
                    raise PluginError(f"plugins/{info.name}/ declares id {meta.id!r}; the folder must match")
                found.append((module, "builtin-dir"))
        for entry_point in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
            loaded = entry_point.load()
            module = loaded if isinstance(loaded, ModuleType) else importlib.import_module(loaded.__module__)
            found.append((module, "entry-point"))
        for dotted in extra_modules:
            found.append((importlib.import_module(dotted), "extra"))
        for module, source in found:
            meta = getattr(module, "PLUGIN", None)
            if not isinstance(meta, PluginMeta):
                raise PluginError(f"{module.__name__} has no PLUGIN = PluginMeta(...)")
            if only is not None and meta.id not in only:
                continue
            self.add(module, source)

    def add(self, module: ModuleType, source: str = "extra") -> LoadedPlugin:
        meta: PluginMeta = module.PLUGIN
        check_metadata(meta)
        if meta.id in self.plugins:
            if self.plugins[meta.id].module is module:
                return self.plugins[meta.id]
            raise PluginError(f"two plugins claim the id {meta.id!r}")
        path = Path(module.__file__).parent if getattr(module, "__file__", None) else None
        plugin = LoadedPlugin(meta=meta, module=module, source=source, path=path)
        self.pm.register(module, name=meta.id)
        self.plugins[meta.id] = plugin
        self._subset_cache.clear()
        self._relays.clear()
        self._declared.clear()
        return plugin

    # ----------------------------------------------------------------- dispatch
    def declared(self, name: str, enabled: frozenset[str], build: Callable[[], Any]) -> Any:
        """What ``build()`` makes of what the plugins of one enabled set declare (the
        permission table, the request steps: hooks that return the same every time), built
        once per set and kept until a plugin or core module is registered here or
        :meth:`forget_declared` drops it."""
        key = (name, enabled)
        found = self._declared.get(key)
        if found is None:
            found = self._declared[key] = build()
        return found

    def forget_declared(self, name: str) -> None:
        """Drop every set's ``name`` (after what a plugin declares changed)."""
        for key in [key for key in self._declared if key[0] == name]:
            del self._declared[key]

    def call_each(self, hook_name: str, **kwargs):
        """Yield ``(plugin_id, result)`` for each installed plugin implementing a global hook."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name in self.plugins:
                args = {name: kwargs[name] for name in impl.argnames}
                result = impl.function(**args)
                if result is not None:
                    yield impl.plugin_name, result

    def _subset_caller(self, name: str, excluded: tuple[object, ...]):
        key = (name, excluded)
        caller = self._subset_cache.get(key)
        if caller is None:
            if not excluded:
                caller = getattr(self.pm.hook, name)
            else:
                caller = self.pm.subset_hook_caller(name, remove_plugins=excluded)
            self._subset_cache[key] = caller
        return caller

    def relay_for(self, enabled_ids: frozenset[str]) -> _TenantHookRelay:
        """The relay of one enabled-set, built the first time that set is asked for. A tenant
        enabling a plugin asks for another set, so it gets (or builds) that set's relay: no
        restart, nothing to invalidate but a newly registered plugin (:meth:`add`)."""
        relay = self._relays.get(enabled_ids)
        if relay is None:
            excluded = tuple(p.module for pid, p in sorted(self.plugins.items()) if pid not in enabled_ids)
            relay = self._relays[enabled_ids] = _TenantHookRelay(self, excluded)
        return relay

    def blueprint_owner(self, blueprint_name: str | None) -> str | None:
        if not blueprint_name:
            return None
        return self._blueprint_owner.get(blueprint_name.split(".", 1)[0])

    def claim_blueprint(self, plugin_id: str, blueprint_name: str) -> None:
        if blueprint_name != plugin_id and not blueprint_name.startswith(plugin_id + "_"):
            raise PluginError(
                f"plugin {plugin_id!r} registers blueprint {blueprint_name!r}; "
                f"its name must be {plugin_id!r} or start with '{plugin_id}_'"
            )
        self._blueprint_owner[blueprint_name] = plugin_id
        self.plugins[plugin_id].blueprints.append(blueprint_name)

    def enable_tracing(self) -> None:
        started_at: list[float] = []  # a stack: hooks may call hooks

        def before(hook_name, hook_impls, kwargs):
            started_at.append(time.perf_counter())

        def after(outcome, hook_name, hook_impls, kwargs):
            started = started_at.pop() if started_at else time.perf_counter()
            tenant = current_tenant()
            trace_log.info(
                "hook=%s tenant=%s plugins=%s args=%r duration_ms=%.2f",
                hook_name,
                tenant.slug if tenant else "-",
                ",".join(impl.plugin_name for impl in hook_impls),
                kwargs,
                (time.perf_counter() - started) * 1000,
            )

        self.pm.add_hookcall_monitoring(before, after)


def check_metadata(meta: PluginMeta) -> None:
    if not PLUGIN_ID_RE.match(meta.id):
        raise PluginError(f"plugin id {meta.id!r} must be lowercase letters, digits and underscores")
    if not (meta.name_ar and meta.name_en and meta.version):
        raise PluginError(f"plugin {meta.id!r} needs name_ar, name_en and version")
    if meta.settings_schema is not None and not issubclass(meta.settings_schema, Schema):
        raise PluginError(f"plugin {meta.id!r}: settings_schema must be a marshmallow Schema class")
    try:
        compatible = Version(CORE_VERSION) in SpecifierSet(meta.core_compat)
    except InvalidSpecifier as exc:
        raise PluginError(f"plugin {meta.id!r}: bad core_compat {meta.core_compat!r}") from exc
    if not compatible:
        raise PluginError(f"plugin {meta.id!r} needs core {meta.core_compat}, this is core {CORE_VERSION}")


def check_namespaces(host: PluginHost, mappers=None) -> None:
    """Tables prefixed by the plugin id, templates under ``templates/<id>/``."""
    for mapper in db.Model.registry.mappers if mappers is None else mappers:
        module = mapper.class_.__module__
        for plugin in host.plugins.values():
            package = plugin.module.__name__
            if module == package or module.startswith(package + "."):
                for table in mapper.tables:
                    if not table.name.startswith(plugin.id + "_"):
                        raise PluginError(
                            f"plugin {plugin.id!r} defines table {table.name!r}; "
                            f"plugin tables must start with '{plugin.id}_'"
                        )
    for plugin in host.plugins.values():
        templates = plugin.path / "templates" if plugin.path else None
        if templates and templates.is_dir():
            stray = [p.name for p in templates.iterdir() if p.name != plugin.id]
            if stray:
                raise PluginError(
                    f"plugin {plugin.id!r}: templates must live under templates/{plugin.id}/, found {stray}"
                )


def plugin_migration_dirs(host: PluginHost) -> list[str]:
    return [
        str(plugin.path / "migrations" / "versions")
        for plugin in host.plugins.values()
        if plugin.path and (plugin.path / "migrations" / "versions").is_dir()
    ]


def register_commands(app: Flask, host: PluginHost) -> None:
    """Each plugin's commands under ``flask <plugin_id> …`` (the ``register_commands`` contract).

    A plugin returns a click group named exactly its id, or bare commands, which core puts in
    such a group (its help from the plugin's metadata); both may be returned together. A group
    with another name would add a top-level command outside the plugin's namespace: refused.
    """
    for plugin_id, commands in host.call_each("register_commands"):
        meta = host.plugins[plugin_id].meta
        group: click.Group | None = None
        bare: list[click.Command] = []
        for command in commands:
            if not isinstance(command, click.Group):
                bare.append(command)
            elif command.name == plugin_id and group is None:
                group = command
            else:
                raise PluginError(
                    f"plugin {plugin_id!r} registers the command group {command.name!r}: a plugin's "
                    f"commands live under `flask {plugin_id} …` — name its group {plugin_id!r} "
                    f"(once), or return bare commands and core puts them in that group"
                )
        if plugin_id in app.cli.commands:
            raise PluginError(f"plugin {plugin_id!r}: `flask {plugin_id}` is already a command of core")
        if group is None:
            group = AppGroup(plugin_id, help=f"{meta.name_en}: {meta.description_en or meta.name_en}")
        for command in bare:
            if command.name in group.commands:
                raise PluginError(f"plugin {plugin_id!r} registers `flask {plugin_id} {command.name}` twice")
            group.add_command(command)
        if group.commands:
            app.cli.add_command(group)


def get_host(app: Flask | None = None) -> PluginHost:
    return (app or current_app).extensions["charity_plugins"]


# --------------------------------------------------------------------------- per-tenant state


def _tenant_plugins() -> tuple[frozenset[str], _TenantHookRelay] | None:
    """The current tenant's enabled ids and their hook relay, read once per request (cached on
    ``g`` per tenant; ``forget_enabled_cache`` drops it). None with no tenant in context."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return None
    cache = g.get("_enabled_plugins")
    if cache is None:
        cache = g._enabled_plugins = {}
    entry = cache.get(tenant_id)
    if entry is None:
        host = get_host()
        rows = db.session.execute(
            db.select(PluginEnablement.plugin_id).where(PluginEnablement.enabled.is_(True))
        ).scalars()
        ids = frozenset(pid for pid in rows if pid in host.plugins)
        entry = cache[tenant_id] = (ids, host.relay_for(ids))
    return entry


def remember_enabled(tenant_id: int, ids: frozenset[str]) -> None:
    """The installed plugins enabled for ``tenant_id`` as this request read them (with the
    tenant, ``core.auth.request_facts``): what :func:`_tenant_plugins` would read."""
    state = g._get_current_object()
    cache = state.get("_enabled_plugins")
    if cache is None:
        cache = state._enabled_plugins = {}
    cache[tenant_id] = (ids, get_host().relay_for(ids))


def enabled_plugin_ids() -> frozenset[str]:
    """The ids of installed plugins enabled for the current tenant (cached per request)."""
    entry = _tenant_plugins()
    return frozenset() if entry is None else entry[0]


def forget_enabled_cache() -> None:
    """Drop the per-request caches of enablement and settings (after a change in this request)."""
    g.pop("_enabled_plugins", None)
    g.pop("_plugin_settings", None)
    g.pop("_tenant_hooks", None)


def tenant_hooks() -> _TenantHookRelay:
    """The hook relay of the current tenant's enabled plugins: after the first call for a tenant
    in context, one lookup on ``g``. Dropped whenever the tenant in context changes
    (``core.tenancy.context``), with the enablement cache, and at the end of the request; the
    relay itself is built once per enabled-set for the life of the app
    (:meth:`PluginHost.relay_for`)."""
    state = g._get_current_object()  # once: every access through the proxy costs a lookup
    relay = state.get("_tenant_hooks")
    if relay is None:
        entry = _tenant_plugins()
        relay = state._tenant_hooks = get_host().relay_for(frozenset()) if entry is None else entry[1]
    return relay


def is_enabled(plugin_id: str) -> bool:
    return plugin_id in enabled_plugin_ids()


def plugin_settings(plugin_id: str) -> dict:
    """The current tenant's validated settings of a plugin (defaults when none saved).

    Read once per request (cached on ``g``, per tenant; ``set_plugin_state`` drops the cache);
    each call returns its own copy, so a caller may change it freely.
    """
    host = get_host()
    plugin = host.plugins[plugin_id]
    tenant = current_tenant()
    cache = g.setdefault("_plugin_settings", {})
    key = (tenant.id if tenant is not None else None, plugin_id)
    if key not in cache:
        row = db.session.execute(
            db.select(PluginEnablement).where(PluginEnablement.plugin_id == plugin_id)
        ).scalar_one_or_none()
        merged = plugin.default_settings()
        if row and row.settings:
            merged.update(row.settings)
        cache[key] = merged
    return copy.deepcopy(cache[key])


def set_plugin_state(tenant, plugin_id: str, enabled: bool, settings: dict | None = None) -> PluginEnablement:
    """Enable/disable a plugin for a tenant, validating settings first (nothing saved on error).

    Raises ``KeyError`` for an unknown plugin and ``ValidationError`` for bad settings.
    The caller commits.
    """
    host = get_host()
    if plugin_id not in host.plugins:
        raise KeyError(plugin_id)
    plugin = host.plugins[plugin_id]
    with tenant_context(tenant):
        row = db.session.execute(
            db.select(PluginEnablement).where(PluginEnablement.plugin_id == plugin_id)
        ).scalar_one_or_none()
        if settings is not None:
            validated = plugin.validate_settings(settings)
            stored = plugin.settings_schema().dump(validated) if plugin.settings_schema() else {}
        else:
            stored = row.settings if row else {}
        if enabled:
            missing = [dep for dep in plugin.meta.depends_on if dep not in enabled_plugin_ids()]
            if missing:
                raise ValidationError(
                    {"plugin_id": [_l("Enable these plugins first: %(ids)s", ids=", ".join(missing))]}
                )
        if row is None:
            row = PluginEnablement(tenant_id=tenant.id, plugin_id=plugin_id, enabled=enabled, settings=stored)
            db.session.add(row)
        else:
            row.enabled = enabled
            row.settings = stored
        db.session.flush()
    forget_enabled_cache()
    return row


def gate_plugin_urls() -> None:
    """``before_request``: a disabled plugin's pages and API answer 404 for the tenant."""
    owner = get_host().blueprint_owner(request.blueprint)
    if owner is None:
        return
    if current_tenant() is None or not is_enabled(owner):
        abort(404)


def check_migrations(plugin: LoadedPlugin) -> None:
    """A plugin's migrations form its own branch (labelled with its id) that depends on core."""
    versions = plugin.path / "migrations" / "versions" if plugin.path else None
    if not versions or not versions.is_dir():
        return
    for file in sorted(versions.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_migration_{plugin.id}_{file.stem}", file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if getattr(module, "down_revision", None) is not None:
            continue
        labels = set(getattr(module, "branch_labels", None) or ())
        if plugin.id not in labels or not getattr(module, "depends_on", None):
            raise PluginError(
                f"plugin {plugin.id!r}: its first migration {file.name} must have "
                f"branch_labels=({plugin.id!r},) and depends_on a core revision"
            )
