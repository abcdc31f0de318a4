"""Who is asking, in which association, with which roles and plugins: one statement.

A tenant request (``/t/<slug>/…``) needs, before its view runs: the tenant of its slug, the
identity (the API token and its user, or the user of the session cookie), the user's roles in
the tenant and the tenant's enabled plugins. Read one by one that is five statements (each
with the ORM's per-statement cost); :func:`read` — behind the tenant resolver of
``core.tenancy.web`` (``core.auth.api_auth.resolve_tenant``) — reads them in one
(:data:`_READ`, compiled once, sent on the session's connection: ``core.prepared.Prepared``) and hands each fact to the code that asks for
it, which then sends nothing:

* the tenant → put in context as before (an unknown or inactive slug → none: 404);
* the token's validity and its user → :func:`core.auth.services.user_from_token`;
* the session cookie's user → :func:`core.auth.services.user_from_session_id` (Flask-Login's
  loader: its session protection and remember cookie are unchanged);
* the roles → the request's role cache (``core.auth.permissions.roles_in``);
* the enabled plugins → the request's enablement cache (``core.plugins``).

Nothing outlives the request: every fact is read from the database by the request itself,
so a revoked or expired token, a deactivated user, a changed or removed membership, a
disabled plugin or a suspended association takes effect on the next request. A change made
*during* the request drops the cache it concerns as before (``forget_roles_cache``,
``forget_enabled_cache``).

**PostgreSQL.** Memberships and plugin enablements are tenant tables behind Row-Level
Security, and the tenant is not known before its row is read. Each process remembers which id
a slug had (:data:`_TENANT_IDS`, a hint only): the statement runs with that tenant set, and its
row must still carry that id for the roles and plugins read to be used. Without a hint, or
when the slug now names another tenant, they are left out (read afterwards as before, the
tenant set), and the hint is updated. SQLite has no such wall: always one statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, session
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..plugins import get_host, remember_enabled
from ..prepared import Prepared, attach, attribute_keys
from ..tenancy import PluginEnablement, Tenant, reading_for, set_current_tenant
from ..tenancy.services import SLUG_RE
from .models import ApiToken, Membership, User, hash_token, token_is_valid
from .permissions import remember_roles

_TENANTS = Tenant.__table__
_USERS = User.__table__
_TOKENS = ApiToken.__table__
_MEMBERSHIPS = Membership.__table__
_ENABLEMENTS = PluginEnablement.__table__


class _CommaList(FunctionElement):
    """The text values of a group joined by commas (plugin ids have none): ``group_concat`` on
    SQLite, ``string_agg`` on PostgreSQL — the separator written in the text, not bound."""

    type = sa.String()
    inherit_cache = True


@compiles(_CommaList)
def _comma_list(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


@compiles(_CommaList, "postgresql")
def _comma_list_postgresql(element, compiler, **kw):
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


_ENABLED = (
    sa.select(_CommaList(_ENABLEMENTS.c.plugin_id))
    .where(_ENABLEMENTS.c.tenant_id == _TENANTS.c.id, _ENABLEMENTS.c.enabled.is_(True))
    .scalar_subquery()
)
# The token of the bearer header (by its hash) or, without one, the session cookie's user id.
_USER_ID = sa.func.coalesce(_TOKENS.c.user_id, sa.bindparam("user_id", type_=sa.Integer))
_READ = Prepared(
    sa.select(
        *_TENANTS.c,
        _TOKENS.c.id,
        _TOKENS.c.expires_at,
        _TOKENS.c.revoked_at,
        *_USERS.c,
        _MEMBERSHIPS.c.tenant_id,
        _MEMBERSHIPS.c.roles,
        _ENABLED,
    )
    .select_from(
        _TENANTS.outerjoin(_TOKENS, _TOKENS.c.token_hash == sa.bindparam("token_hash", type_=sa.String))
        .outerjoin(_USERS, _USERS.c.id == _USER_ID)
        .outerjoin(
            _MEMBERSHIPS,
            sa.and_(_MEMBERSHIPS.c.tenant_id == _TENANTS.c.id, _MEMBERSHIPS.c.user_id == _USERS.c.id),
        )
    )
    .where(_TENANTS.c.slug == sa.bindparam("slug", type_=sa.String))
)
_TENANT_KEYS = attribute_keys(Tenant, _TENANTS.c)
_USER_KEYS = attribute_keys(User, _USERS.c)
_T_END = len(_TENANT_KEYS)
_U_START = _T_END + 3
_U_END = _U_START + len(_USER_KEYS)

# slug → the tenant id it had when this process last read it: on PostgreSQL, the tenant set for
# the statement (checked against the row read). Not an authorisation fact.
_TENANT_IDS: dict[str, int] = {}
_FACTS = "_request_facts"
NOT_READ = object()


@dataclass
class _Facts:
    token_hash: str | None
    session_user_id: int | None
    token_valid: bool
    user: User | None


def read(slug: str, secret: str | None) -> Tenant | None:
    """The active tenant of ``slug`` (None: unknown or suspended), read with the request's
    identity — the bearer token ``secret``, or without one the session cookie's user — and that
    user's roles and the tenant's enabled plugins (see the module's docstring)."""
    if re.fullmatch(SLUG_RE, slug) is None:
        return None  # never a tenant's slug (nor sent: PostgreSQL refuses a NUL in text)
    token_hash = hash_token(secret) if secret else None
    user_id = None if secret is not None else _session_user_id()
    sess = db.session()
    dialect = sess.get_bind().dialect.name
    hint = _TENANT_IDS.get(slug) if dialect == "postgresql" else None
    with reading_for(hint):
        found = _READ.rows(sess.connection(), {"slug": slug, "token_hash": token_hash, "user_id": user_id})
        row = found[0] if found else None
        tenant = attach(sess, Tenant, _TENANT_KEYS, row[:_T_END]) if row is not None else None
        if tenant is None or not tenant.is_active:
            _TENANT_IDS.pop(slug, None)
            return None
        set_current_tenant(tenant)  # nothing sent on PostgreSQL when the hint was right
    trusted = dialect != "postgresql" or hint == tenant.id
    _TENANT_IDS[slug] = tenant.id
    user = attach(sess, User, _USER_KEYS, row[_U_START:_U_END]) if row[_U_START] is not None else None
    token_id, expires_at, revoked_at = row[_T_END:_U_START]
    valid = token_id is not None and user is not None and token_is_valid(revoked_at, expires_at, user)
    setattr(g, _FACTS, _Facts(token_hash, user_id, valid, user))
    if trusted:
        membership_tenant, roles, enabled = row[_U_END:]
        if user is not None:
            remember_roles(user, tenant, roles if membership_tenant is not None else None)
        host = get_host()
        remember_enabled(tenant.id, frozenset(p for p in (enabled or "").split(",") if p in host.plugins))
    return tenant


def token_user(token_hash: str):
    """The user of a valid token of this hash as read with the tenant (None: not valid), or
    ``NOT_READ`` when this request did not read it (no tenant in the URL)."""
    facts = g.pop(_FACTS, None)
    if facts is None or facts.token_hash != token_hash or token_hash is None:
        return NOT_READ
    return facts.user if facts.token_valid else None


def session_user(user_id: int):
    """The user row of this id as read with the tenant (None: no such user; the caller checks
    the rest), or ``NOT_READ``."""
    facts = g.pop(_FACTS, None)
    if facts is None or facts.session_user_id is None or facts.session_user_id != user_id:
        return NOT_READ
    return facts.user


def _session_user_id() -> int | None:
    user_id, _sep, _version = str(session.get("_user_id") or "").partition(":")
    return int(user_id) if user_id.isascii() and user_id.isdigit() and int(user_id) < 2**31 else None
