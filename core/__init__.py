"""The charity platform core: ``create_app`` builds a Flask app with every installed plugin."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, g, request

from .hookspecs import hookimpl

__all__ = ["create_app", "hookimpl"]
__version__ = "0.1.0"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    from . import api as api_setup
    from . import cli, errors, hooks, i18n, jobs, plugins, security, validation
    from .admin.api import members_api, platform_api
    from .admin.views import invitations, platform, tenant_admin
    from .auth import api_auth
    from .auth.services import user_from_session_id
    from .auth.views import api_bp as auth_api
    from .auth.views import bp as auth_bp
    from .config import STATIC_DEFAULTS, check, from_environment
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .home import bp as home_bp
    from .tenancy import rls, scoping
    from .tenancy.context import set_current_tenant
    from .tenancy.services import get_tenant, tenant_for_host

    app = Flask(__name__, instance_relative_config=False)
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
    # One catalogue per core feature folder (core/<feature>/translations), merged by Flask-Babel.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(p) for p in [_CORE_DIR / "translations", *sorted(_CORE_DIR.glob("*/translations"))]
    )

    logging.getLogger("charity_platform").setLevel(logging.INFO)

    db.init_app(app)
    scoping.install()
    rls.install()
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.configure(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    limiter.init_app(app)

    # ----------------------------------------------------------------- plugins
    host = plugins.PluginHost()
    app.extensions["charity_plugins"] = host
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
    api_setup.register_platform_api(auth_api)
    api_setup.register_platform_api(platform_api)
    api_setup.register_tenant_api(members_api, "members")
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

    @app.url_value_preprocessor
    def _resolve_tenant(endpoint, values):
        if values and "tenant" in values:
            tenant = get_tenant(values.pop("tenant"))
            if tenant is None:
                g._unknown_tenant = True  # 404, once the request is authenticated (_before)
            else:
                set_current_tenant(tenant)

    @app.url_defaults
    def _tenant_in_urls(endpoint, values):
        tenant = g.get("_tenant")
        if (
            tenant is not None
            and "tenant" not in values
            and app.url_map.is_endpoint_expecting(endpoint, "tenant")
        ):
            values["tenant"] = tenant.slug

    @app.before_request
    def _before():
        # Authentication first (401, then CSRF), then the gates (404), then permission (403);
        # the view, and the parsing of its body (422), only after all of them.
        api_auth.authenticate()
        if g.get("_unknown_tenant"):
            from flask import abort

            abort(404)
        if g.get("_tenant") is None and app.config["TENANT_HOSTS"].get(request.host):
            tenant = get_tenant(app.config["TENANT_HOSTS"][request.host])
            if tenant is not None:
                set_current_tenant(tenant)
        elif g.get("_tenant") is None and request.endpoint == "home.index":
            tenant = tenant_for_host(request.host)
            if tenant is not None:
                from flask import redirect, url_for

                return redirect(url_for("home.tenant_home", tenant=tenant.slug))
        plugins.gate_plugin_urls()
        api_auth.authorize()
        return None

    @app.teardown_request
    def _forget_request_state(exc):
        # Per-request caches live on g; an app context reused across requests (tests)
        # must not carry them over.
        for key in (
            "_tenant",
            "_tenant_id",
            "_enabled_plugins",
            "_roles_cache",
            "_login_user",
            "_tenancy_unscoped",
            "_unknown_tenant",
            "csrf_token",  # Flask-WTF's signed token of this request's session
            "csrf_valid",
            "_flask_babel",  # Flask-Babel's locale of this request
        ):
            g.pop(key, None)

    @app.context_processor
    def _template_globals():
        from .auth.permissions import can
        from .navigation import nav_items

        return {"current_tenant": g.get("_tenant"), "nav_items": nav_items, "can": can, "host": host}

    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    host.pm.hook.app_started(app=app)
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
    "core.portal",
)


def _migrations_dir() -> Path:
    return _CORE_DIR.parent / "migrations"


def _configure_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _register_plugin_blueprints(app: Flask, host) -> None:
    from . import api as api_setup

    for plugin_id, blueprints in host.call_each("register_blueprints"):
        for blueprint in blueprints:
            host.claim_blueprint(plugin_id, blueprint.name)
            app.register_blueprint(blueprint, url_prefix=f"/t/<tenant>/{plugin_id}")
    for plugin_id, blueprints in host.call_each("register_api_blueprints"):
        for blueprint in blueprints:
            host.claim_blueprint(plugin_id, blueprint.name)
            api_setup.register_tenant_api(blueprint, plugin_id)
    for _plugin_id, commands in host.call_each("register_commands"):
        for command in commands:
            app.cli.add_command(command)
