"""Demo data: a platform admin and one user per role in every tenant, then each
enabled plugin's own demo data (``load_demo_data`` hook). Idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask_babel import force_locale

from .auth.models import ROLE_LABELS, TENANT_ROLES
from .auth.services import create_user, find_user, set_roles
from .extensions import db
from .plugins import tenant_hooks
from .tenancy import tenant_context
from .tenancy.services import all_tenants

DEMO_PASSWORD = "demo-pass-2026"
PLATFORM_ADMIN_EMAIL = "admin@platform.example.org"


def demo_email(role: str, slug: str) -> str:
    return f"{role.replace('_', '-')}@{slug}.example.org"


def demo_name(role: str, association: str = "") -> str:
    """A demo user's name: the role in words and the association (``عضو اللجنة (جمعية …)``)."""
    with force_locale("ar"):
        role_name = str(ROLE_LABELS[role])
    return f"{role_name} ({association})" if association else role_name


def _ensure_user(email: str, name: str, platform_admin: bool = False):
    user = find_user(email)
    if user is None:
        user = create_user(
            {"email": email, "password": DEMO_PASSWORD, "name": name, "is_platform_admin": platform_admin}
        )
    return user


def load_demo(tenants_dir: Path | None = None) -> Iterator[str]:
    _ensure_user(PLATFORM_ADMIN_EMAIL, demo_name("platform_admin"), platform_admin=True)
    db.session.commit()
    yield f"platform admin: {PLATFORM_ADMIN_EMAIL} / {DEMO_PASSWORD}"
    for tenant in all_tenants():
        for role in TENANT_ROLES:
            user = _ensure_user(demo_email(role, tenant.slug), demo_name(role, tenant.name_ar))
            set_roles(tenant, user, [role])
        with tenant_context(tenant):
            tenant_hooks().load_demo_data(tenant=tenant)
        db.session.commit()
        yield f"{tenant.slug}: {demo_email('tenant_admin', tenant.slug)} (and officer, researcher, ...) / {DEMO_PASSWORD}"
