"""The charity platform core: ``create_app`` builds a Flask app with every installed plugin."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api as api_setup
from . import cli, errors, hooks, i18n, jobs, labels, plugins, security, validation
from .admin.api import calendar_api, members_api, platform_api
from .admin.roles_web import roles_api, roles_page
from .admin.views import invitations, platform, tenant_admin
from .auth import api_auth
from .auth.permissions import can
from .auth.services import user_from_session_id
from .auth.views import api_bp as auth_api
from .auth.views import bp as auth_bp
from .config import STATIC_DEFAULTS, check, from_environment
from .extensions import BEARER_REQUEST, babel, csrf, db, init_database, limiter, login_manager, migrate
from .home import bp as home_bp
from .hookspecs import hookimpl
from .json_provider import JSONProvider
from .json_provider import loads as json_loads
from .navigation import nav_items
from .tenancy import rls, scoping
from .tenancy import web as tenancy_web

__all__ = ["create_app", "hookimpl"]
__version__ = "0.1.0"


class _Flask(Flask):
    """Flask, its JSON answers encoded by orjson (``core.json_provider``), and its answer to "is
    this hook a coroutine function?" remembered per function: Flask asks ``inspect`` again for
    every hook, view and teardown of every request (ten a request here). A coroutine function is
    still wrapped by ``async_to_sync`` each time, as Flask does."""

    _plain: frozenset = frozenset()
    json_provider_class = JSONProvider

    def ensure_sync(self, func):
        try:
            if func in self._plain:
                return func
        except TypeError:  # an unhashable callable: asked every time
            return super().ensure_sync(func)
        synced = super().ensure_sync(func)
        if synced is func and len(self._plain) < 4096:  # bound methods of passing objects: capped
            self._plain = self._plain | {func}  # a new set: readers in other threads see one or the other
        return synced


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = _Flask(__name__, instance_relative_config=False)
    app.config.update(STATIC_DEFAULTS)
    app.config.update(from_environment())
    if overrides:
        app.config.update(overrides)
    check(app.config)
    security.init_app(app)
    _configure_database(app)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"] + 1024 * 1024
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    # Core's own catalogue; each feature folder's (core/<feature>/translations) is a domain of its
    # own falling back to this one (core.i18n.MODULE_DOMAINS), like a plugin's.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(_CORE_DIR / "translations")

    logging.getLogger("charity_platform").setLevel(logging.INFO)

    init_database(app)  # db bound to the app; SQLite pragmas on its engine
    scoping.install(db.session)
    rls.install(app, db.session)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.configure(app)
    labels.configure(app)
    tenancy_web.forget_after_request(app, "_flask_babel")  # Flask-Babel's locale of this request
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    tenancy_web.forget_after_request(
        app, "_login_user", "_roles_cache", "_role_tables", "_request_facts", "_auth_enforced", BEARER_REQUEST
    )
    csrf.init_app(app)
    # Flask-WTF's signed token of this request's session, and its verdict.
    tenancy_web.forget_after_request(app, "csrf_token", "csrf_valid")
    limiter.init_app(app)

    # ----------------------------------------------------------------- plugins
    host = plugins.PluginHost()
    app.extensions["charity_plugins"] = host
    tenancy_web.forget_after_request(app, "_enabled_plugins", "_plugin_settings")
    host.register_builtin(hooks)
    host.discover(app.config["CHARITY_PLUGINS"], app.config["CHARITY_EXTRA_PLUGINS"])
    if app.config["CHARITY_TRACE_HOOKS"]:
        host.enable_tracing()

    migrate.init_app(app, db, directory=str(_migrations_dir()))

    @migrate.configure
    def _plugin_versions(config):
        locations = [str(_migrations_dir() / "versions"), *plugins.plugin_migration_dirs(host)]
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(locations))
        return config

    # ----------------------------------------------------------------- web + API
    api_setup.configure(app)
    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(platform)
    app.register_blueprint(tenant_admin)
    app.register_blueprint(invitations)
    app.register_blueprint(roles_page)
    api_setup.register_platform_api(auth_api)
    api_setup.register_platform_api(platform_api)
    api_setup.register_tenant_api(members_api, "members")
    api_setup.register_tenant_api(calendar_api, "calendar")
    api_setup.register_tenant_api(roles_api, "admin")
    for feature in CORE_FEATURES:
        importlib.import_module(feature).init_app(app)
    _register_plugin_blueprints(app, host)
    jobs.init_app(app)  # after every feature and plugin: collects their tasks and periodic jobs
    plugins.check_namespaces(host)
    for plugin in host.plugins.values():
        plugins.check_migrations(plugin)
    errors.register(app)
    validation.init_app(app)
    cli.register(app)

    @login_manager.user_loader
    def _load_user(session_id: str):
        return user_from_session_id(session_id)

    # Every request, in this order: authentication (401, then CSRF), the tenant gate and the
    # plugin gate (404), permission (403); the view, and the parsing of its body (422), after them.
    tenancy_web.init_app(
        app,
        authenticate=api_auth.authenticate,
        gates=(plugins.gate_plugin_urls,),
        authorize=api_auth.authorize,
        resolve=api_auth.resolve_tenant,
    )

    @app.context_processor
    def _template_globals():
        return {"current_tenant": g.get("_tenant"), "nav_items": nav_items, "can": can, "host": host}

    if app.config.get("TRUSTED_PROXIES"):
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    host.pm.hook.app_started(app=app)
    # Every model is imported by now (core's features, the plugins): the ORM mappers are
    # configured here, so gunicorn's preloaded master (gunicorn.conf.py) hands them configured
    # to every worker it forks — a new or recycled worker's first request no longer spends
    # ~0.6 s of its core on it (issue 19, bench/request_detail.py).
    configure_mappers()
    return app


_CORE_DIR = Path(__file__).resolve().parent

# Core feature packages: each exposes ``init_app(app)`` (blueprints, APIs, CLI, hooks).
CORE_FEATURES: tuple[str, ...] = (
    "core.audit",
    "core.registry",
    "core.documents",
    "core.calendar",
    "core.notifications",
    "core.requests",
    "core.aid",
    "core.surveys",
    "core.portal",
    "core.grievances",
    "core.supporters",
    "core.planning",
    "core.policies",
    "core.volunteers",
)


def _migrations_dir() -> Path:
    return _CORE_DIR.parent / "migrations"


def _configure_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    # JSON columns read by orjson (several times json's speed; the same values): core.json_provider.
    options.setdefault("json_deserializer", json_loads)
    # A server's pooled connections are tried after they idled, not on every checkout:
    # core.extensions.PingWhenIdle (DATABASE_PING_AFTER_IDLE_SECONDS).
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _register_plugin_blueprints(app: Flask, host) -> None:
    for plugin_id, blueprints in host.call_each("register_blueprints"):
        for blueprint in blueprints:
            host.claim_blueprint(plugin_id, blueprint.name)
            app.register_blueprint(blueprint, url_prefix=f"/t/<tenant>/{plugin_id}")
    for plugin_id, blueprints in host.call_each("register_api_blueprints"):
        for blueprint in blueprints:
            host.claim_blueprint(plugin_id, blueprint.name)
            api_setup.register_tenant_api(blueprint, plugin_id)
    plugins.register_commands(app, host)
