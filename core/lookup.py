"""The one tenant-safe lookup: ``get_or_404(Model, id, **filters)``.

Lives beside ``core/errors`` rather than in it because it needs the database session and
the tenancy context, which ``core/errors`` (imported by every layer, tenancy included) must
not. Tenancy itself is the ORM's job (``TenantSafeSession`` and the scoping listeners):
another tenant's id is simply not found, and so is an id that cannot be a key at all (not
an integer, a boolean, or out of the 64-bit range) — a 404, never a 422 or 500. The 404 is
:class:`core.errors.NotFound`: the standard translated error for the API, the error page for
HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from .errors import NotFound
from .extensions import db
from .tenancy.context import is_unscoped, require_tenant
from .tenancy.models import TenantMixin

T = TypeVar("T")

_KEY_RANGE = range(-(2**63), 2**63)


def _is_key(object_id: Any) -> bool:
    return isinstance(object_id, int) and not isinstance(object_id, bool) and object_id in _KEY_RANGE


def get_in_tenant(model: type[T], object_id: Any, *, options: Sequence[Any] = ()) -> T | None:
    """``session.get`` for the tenant in context, which must be set for a tenant model
    (``None`` when the id is another tenant's or not a key: the session checks objects it
    serves from its identity map too). ``options``: loader options of the statement
    (``joinedload(Model.children)``)."""
    if issubclass(model, TenantMixin) and not is_unscoped():
        require_tenant()
    if not _is_key(object_id):
        return None
    return db.session.get(model, object_id, options=options)


def get_or_404(model: type[T], object_id: Any, **filters: Any) -> T:
    """The row of ``model`` with this id in the current tenant, whose attributes equal
    ``filters`` (``get_or_404(Member, member_id, household_id=household.id)``,
    ``get_or_404(AidRequest, request_id, applicant_user_id=current_user.id)``);
    :class:`NotFound` otherwise."""
    found = get_in_tenant(model, object_id)
    if found is None or any(getattr(found, name) != value for name, value in filters.items()):
        raise NotFound()
    return found
