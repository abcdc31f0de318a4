"""Automatic tenant scoping: the one mechanism that keeps tenants apart in the ORM.

* Every ORM SELECT/UPDATE/DELETE touching a :class:`TenantMixin` table gets
  ``tenant_id = <current tenant>`` added (``with_loader_criteria`` also reaches
  joins, relationship loads and aliases), so a query that forgets the filter still
  cannot read another tenant's rows.
* With no tenant in context such a query raises :class:`TenantRequired` instead of
  returning every tenant's rows — unless the code entered :func:`unscoped`.
* New tenant-owned objects get the current tenant; writing an object that belongs
  to another tenant raises :class:`CrossTenantWrite`.
"""

from __future__ import annotations

from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from ..extensions import listen_once
from .context import CrossTenantWrite, TenantRequired, current_tenant_id, is_unscoped
from .models import TenantMixin

# statement id → (statement, answer): a statement built once (a module constant, a cached
# relationship load) is looked at once; the statement is kept so its id is never reused.
_TOUCHES: dict[int, tuple[object, bool]] = {}


def _touches_tenant_table(state: ORMExecuteState) -> bool:
    statement = state.statement
    known = _TOUCHES.get(id(statement))
    if known is not None and known[0] is statement:
        return known[1]
    answer = any(issubclass(mapper.class_, TenantMixin) for mapper in state.all_mappers)
    if len(_TOUCHES) > 5000:
        _TOUCHES.clear()
    _TOUCHES[id(statement)] = (statement, answer)
    return answer


def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if is_unscoped() or not _touches_tenant_table(state):
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        if state.is_column_load or state.is_relationship_load:
            # Refreshing an object already in the session, or following its foreign keys
            # (which include tenant_id), cannot reach another tenant's rows.
            return
        raise TenantRequired(
            "query on a tenant table with no tenant in context; "
            "use tenant_context(tenant) or, for platform-level reads, unscoped(reason)"
        )
    state.statement = state.statement.options(
        with_loader_criteria(TenantMixin, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _stamp_new_objects(session: Session, flush_context, instances) -> None:
    if is_unscoped():
        return
    tenant_id = current_tenant_id()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantMixin):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise TenantRequired(f"cannot save {type(obj).__name__} with no tenant in context")
            obj.tenant_id = tenant_id
        elif tenant_id is None or obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant than the one in context")


def install(sessions) -> None:
    """Attach the listeners to the sessions made by ``sessions`` (``db.session``: its
    sessionmaker's own Session class, not every SQLAlchemy session of the process). Idempotent:
    a second app in the same process finds them there and adds none."""
    listen_once(sessions, "do_orm_execute", _scope_statement)
    listen_once(sessions, "before_flush", _stamp_new_objects)
