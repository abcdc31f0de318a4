"""Users, memberships and roles, login, API tokens and the one permission check."""

from .models import PLATFORM_ADMIN, TENANT_ROLES, ApiToken, Membership, User, hash_token
from .permissions import Permission, can, check, declared_permissions, is_member, require, roles_in

__all__ = [
    "PLATFORM_ADMIN",
    "TENANT_ROLES",
    "ApiToken",
    "Membership",
    "Permission",
    "User",
    "can",
    "check",
    "declared_permissions",
    "hash_token",
    "is_member",
    "require",
    "roles_in",
]
