"""Settings read from the environment, with safe defaults for development.

Every setting can be overridden by the mapping passed to ``create_app``; tests
use that to point at their own database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. the dev secret key in production)."""


DEV_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'charity.sqlite3'}"
DEV_PUBLIC_URL = "http://127.0.0.1:5000"  # where `make run` serves


def _sqlite_default() -> str:
    (ROOT / "instance").mkdir(exist_ok=True)
    return DEV_DATABASE_URL


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_production(env: dict[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return "production" in (env.get("FLASK_ENV", ""), env.get("CHARITY_ENV", ""))


def _seconds_or_none(name: str, value: str) -> float | None:
    """A number of seconds (0 or more), or None for an empty value."""
    if not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ConfigError(f"{name} must be a number of seconds (0 or more), or empty; got {value!r}")
    return seconds


def from_environment(env: dict[str, str] | None = None) -> dict:
    env = dict(os.environ if env is None else env)
    if env.get("TENANT_HOSTS"):
        # One host → tenant source: the tenant's own ``hosts`` (manifest or platform admin).
        raise ConfigError(
            "TENANT_HOSTS is no longer read: list each association's host names under `hosts` in "
            "its manifest (tenants/<slug>.toml, then `flask tenants apply`) or in the platform "
            "admin's association form, and unset TENANT_HOSTS"
        )
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
        # The platform's own address: links in the SMS and e-mail a background job sends (a
        # tenant with its own host name gets that host instead; core.tenancy.page_url).
        "PUBLIC_URL": env.get("PUBLIC_URL") or DEV_PUBLIC_URL,
        "STORAGE_DIR": env.get("STORAGE_DIR", str(ROOT / "instance" / "storage")),
        "REDIS_URL": env.get("REDIS_URL") or None,
        # A pooled connection to the database server that sat idle longer than this is tried
        # (one round trip) before a request gets it; busier ones are not (core.extensions.PingWhenIdle).
        # 0: tried on every checkout; empty: never.
        "DATABASE_PING_AFTER_IDLE_SECONDS": _seconds_or_none(
            "DATABASE_PING_AFTER_IDLE_SECONDS", env.get("DATABASE_PING_AFTER_IDLE_SECONDS", "10")
        ),
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
        # Failed logins (form and API together), per account and per client address:
        # back-off after N failures, lockout after M (core/auth/throttle.py).
        "LOGIN_BACKOFF_AFTER": int(env.get("LOGIN_BACKOFF_AFTER", "5")),
        "LOGIN_LOCKOUT_AFTER": int(env.get("LOGIN_LOCKOUT_AFTER", "10")),
        "LOGIN_IP_BACKOFF_AFTER": int(env.get("LOGIN_IP_BACKOFF_AFTER", "20")),
        "LOGIN_IP_LOCKOUT_AFTER": int(env.get("LOGIN_IP_LOCKOUT_AFTER", "50")),
        "LOGIN_LOCKOUT_MINUTES": int(env.get("LOGIN_LOCKOUT_MINUTES", "15")),
        "LOGIN_FAILURE_WINDOW_MINUTES": int(env.get("LOGIN_FAILURE_WINDOW_MINUTES", "15")),
        "LOGIN_MAX_BACKOFF_SECONDS": int(env.get("LOGIN_MAX_BACKOFF_SECONDS", "300")),
        "MAX_UPLOAD_BYTES": int(env.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        # Uploaded images larger than this (width × height) are refused before decoding.
        "MAX_IMAGE_PIXELS": int(env.get("MAX_IMAGE_PIXELS", str(40_000_000))),
        "INVITATION_TTL_HOURS": int(env.get("INVITATION_TTL_HOURS", "72")),
        # How long a password-reset link works (it works once).
        "PASSWORD_RESET_TTL_MINUTES": int(env.get("PASSWORD_RESET_TTL_MINUTES", "60")),
        # National ID encryption (Fernet keys, comma separated; the first encrypts, all decrypt,
        # so a key rotates by prepending a new one) and the keyed hash for exact lookup.
        # Unset: development defaults derived from SECRET_KEY, refused in production.
        "ID_ENCRYPTION_KEYS": [k.strip() for k in env.get("ID_ENCRYPTION_KEYS", "").split(",") if k.strip()],
        "ID_HMAC_KEY": env.get("ID_HMAC_KEY") or None,
        # PostgreSQL Row-Level Security signs the tenant of each transaction with this key
        # (comma separated: the first signs, all are accepted — rotation). The audit chain is
        # an HMAC under AUDIT_HMAC_KEY. Both live outside the database; unset: development
        # defaults derived from SECRET_KEY, refused in production.
        "RLS_KEY": env.get("RLS_KEY") or None,
        "AUDIT_HMAC_KEY": env.get("AUDIT_HMAC_KEY") or None,
        # Where the periodic run (`flask audit checkpoint`) keeps signed heads of the audit chains.
        "AUDIT_CHECKPOINT_DIR": env.get("AUDIT_CHECKPOINT_DIR") or None,
        # Imports with more rows than this run as a background job.
        "IMPORT_INLINE_MAX_ROWS": int(env.get("IMPORT_INLINE_MAX_ROWS", "500")),
        # Outgoing e-mail for notifications (a tenant may set its own under settings["smtp"]).
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") not in ("", "0", "false"),
        "MAIL_FROM": env.get("MAIL_FROM") or None,
    }


def _unset(value) -> bool:
    return not value


@dataclass(frozen=True)
class ProductionRule:
    """A setting that must not keep its development default when ``PRODUCTION`` is on.

    ``development_value`` is what the setting holds in development (tests start a production app
    with it and expect the refusal)."""

    setting: str
    is_development_default: Callable[[object], bool]
    reason: str
    development_value: object = None


def _short_key(value) -> bool:
    """Unset, or a first key (comma separated: the first signs) shorter than 32 characters."""
    return len(str(value or "").split(",")[0].strip()) < 32


# One line per development default a production app refuses to start with.
PRODUCTION_RULES: tuple[ProductionRule, ...] = (
    ProductionRule(
        "SECRET_KEY",
        lambda value: value in (None, "", DEV_SECRET_KEY),
        "must be set to a private value (it signs sessions and CSRF tokens)",
        DEV_SECRET_KEY,
    ),
    ProductionRule(
        "ID_ENCRYPTION_KEYS",
        _unset,
        "must be set (unset, national IDs are encrypted with a key derived from SECRET_KEY)",
        [],
    ),
    ProductionRule(
        "ID_HMAC_KEY",
        _unset,
        "must be set (unset, the ID lookup hash is keyed with a key derived from SECRET_KEY)",
    ),
    ProductionRule(
        "SQLALCHEMY_DATABASE_URI",
        lambda value: value == DEV_DATABASE_URL,
        "must be set with DATABASE_URL (not the development SQLite file in instance/)",
        DEV_DATABASE_URL,
    ),
    ProductionRule(
        "RLS_KEY",
        _short_key,
        "must be set, 32+ characters (unset, the Row-Level Security tenant is signed with a key derived "
        "from SECRET_KEY)",
    ),
    ProductionRule(
        "AUDIT_HMAC_KEY",
        _short_key,
        "must be set, 32+ characters (unset, the audit chain is keyed with a key derived from SECRET_KEY)",
    ),
    ProductionRule(
        "PUBLIC_URL",
        lambda value: not str(value or "").startswith("https://"),
        "must be set to the platform's https:// address (links in the messages background jobs send "
        "start with it)",
        DEV_PUBLIC_URL,
    ),
    ProductionRule("DEBUG", bool, "must be off (the debugger runs code sent by the browser)", True),
)


def production_problems(config: dict) -> list[str]:
    """What keeps ``config`` from serving in production (nothing when it is not production)."""
    if not config.get("PRODUCTION"):
        return []
    return [
        f"{rule.setting} {rule.reason}"
        for rule in PRODUCTION_RULES
        if rule.is_development_default(config.get(rule.setting))
    ]


def check(config: dict) -> None:
    """Refuse to start in production (FLASK_ENV/CHARITY_ENV=production) with any development default."""
    problems = production_problems(config)
    if problems:
        raise ConfigError(
            "refusing to start with development settings in production (FLASK_ENV/CHARITY_ENV=production): "
            + "; ".join(problems)
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
}
