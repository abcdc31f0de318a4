"""Settings read from the environment, with safe defaults for development.

Every setting can be overridden by the mapping passed to ``create_app``; tests
use that to point at their own database.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. the dev secret key in production)."""


def _sqlite_default() -> str:
    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'charity.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_production(env: dict[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return "production" in (env.get("FLASK_ENV", ""), env.get("CHARITY_ENV", ""))


def from_environment(env: dict[str, str] | None = None) -> dict:
    env = dict(os.environ if env is None else env)
    plugins = env.get("CHARITY_PLUGINS")
    return {
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "PRODUCTION": is_production(env),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or _sqlite_default()),
        # Migrations run as the owner of the tables; the app connects as a role that does not own
        # them, so PostgreSQL's Row-Level Security applies to it. Empty: the app's own URL.
        "DATABASE_OWNER_URL": normalise_database_url(env["DATABASE_OWNER_URL"])
        if env.get("DATABASE_OWNER_URL")
        else None,
        "STORAGE_DIR": env.get("STORAGE_DIR", str(ROOT / "instance" / "storage")),
        "REDIS_URL": env.get("REDIS_URL") or None,
        # Reverse proxies in front of the app (gunicorn behind nginx = 1): the client address
        # (rate limits, logs) and scheme are then read from their X-Forwarded-For/-Proto.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # Background jobs: "celery" (default when REDIS_URL is set) or "inprocess" (threads).
        "JOBS_RUNNER": env.get("JOBS_RUNNER") or None,
        # None = every installed plugin; otherwise the ids listed (comma separated).
        "CHARITY_PLUGINS": [p.strip() for p in plugins.split(",") if p.strip()] if plugins else None,
        "CHARITY_TRACE_HOOKS": env.get("CHARITY_TRACE_HOOKS", "") not in ("", "0", "false"),
        # Extra plugin modules to register (dotted paths); used by tests and local development.
        "CHARITY_EXTRA_PLUGINS": [p for p in env.get("CHARITY_EXTRA_PLUGINS", "").split(",") if p],
        "TENANTS_DIR": env.get("TENANTS_DIR", str(ROOT / "tenants")),
        "API_TOKEN_TTL_HOURS": int(env.get("API_TOKEN_TTL_HOURS", "24")),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "MAX_UPLOAD_BYTES": int(env.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        # National ID encryption (Fernet keys, comma separated; the first encrypts, all decrypt,
        # so a key rotates by prepending a new one) and the keyed hash for exact lookup.
        # Unset: development defaults derived from SECRET_KEY, refused in production.
        "ID_ENCRYPTION_KEYS": [k.strip() for k in env.get("ID_ENCRYPTION_KEYS", "").split(",") if k.strip()],
        "ID_HMAC_KEY": env.get("ID_HMAC_KEY") or None,
        # Imports with more rows than this run as a background job.
        "IMPORT_INLINE_MAX_ROWS": int(env.get("IMPORT_INLINE_MAX_ROWS", "500")),
        # Tenant host-name map: "assoc.example.org=makkah,other.example=aoun"
        # Outgoing e-mail for notifications (a tenant may set its own under settings["smtp"]).
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") not in ("", "0", "false"),
        "MAIL_FROM": env.get("MAIL_FROM") or None,
        "TENANT_HOSTS": dict(
            pair.split("=", 1) for pair in env.get("TENANT_HOSTS", "").split(",") if "=" in pair
        ),
    }


def check(config: dict) -> None:
    """Refuse settings that must never reach production."""
    if config.get("PRODUCTION") and config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise ConfigError("SECRET_KEY must be set to a private value when FLASK_ENV/CHARITY_ENV=production")
    if config.get("PRODUCTION") and not (config.get("ID_ENCRYPTION_KEYS") and config.get("ID_HMAC_KEY")):
        raise ConfigError(
            "ID_ENCRYPTION_KEYS and ID_HMAC_KEY must be set when FLASK_ENV/CHARITY_ENV=production"
        )


STATIC_DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "BABEL_DEFAULT_LOCALE": "ar",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Riyadh",
    "LANGUAGES": ("ar", "en"),
    "API_TITLE": "Charity Platform API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "RATELIMIT_HEADERS_ENABLED": True,
    "JSON_SORT_KEYS": False,
}
