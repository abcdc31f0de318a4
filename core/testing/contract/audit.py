"""Audited writes: what a block wrote into a plugin's tables, and whether the plugin's own audit
entry followed each write before its transaction committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.audit.models import AuditEvent


@dataclass
class WriteLog:
    """What a block wrote into the tables of one plugin, and whether each write was audited.

    Within each transaction, the rows written into tables named ``<plugin_id>_…`` (ORM flushes and
    statements alike) must be followed, before the commit, by an audit entry of the plugin
    (action ``<plugin_id>.…``); entries of others (core's, recorded by a core service the plugin
    called) in between do not count. A write followed by nothing, or only by someone else's
    entries, was not audited by the plugin: :attr:`problems` names it. Transactions rolled back
    are forgotten (nothing they wrote stays).
    """

    plugin_id: str
    written: set[str] = field(default_factory=set)  # tables that got rows
    problems: list[str] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)  # "table op" since the last entry

    def _table(self, name: str) -> bool:
        return name.startswith(self.plugin_id + "_")

    def wrote(self, table: str, op: str) -> None:
        if self._table(table):
            self._pending.append(f"{op} {table}")

    def audited(self, action: str) -> None:
        if action.startswith(self.plugin_id + "."):
            self.written.update(entry.split(" ", 1)[1] for entry in self._pending)
            self._pending.clear()

    def committed(self) -> None:
        if self._pending:
            self.problems.append(
                f"{', '.join(sorted(set(self._pending)))}: committed with no {self.plugin_id}.… audit entry after it"
            )
        self._pending.clear()

    def rolled_back(self) -> None:
        self._pending.clear()


@contextmanager
def recording_writes(plugin_id: str) -> Iterator[WriteLog]:
    """``with recording_writes("makkah_aid") as log: ...`` then ``log.problems`` (see ``WriteLog``)."""
    log = WriteLog(plugin_id)

    def before_flush(session, _context, _instances):
        # Rows flushed together with an audit entry were written before it was recorded.
        entries = [obj for obj in session.new if isinstance(obj, AuditEvent)]
        for op, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in objects:
                table = getattr(obj, "__table__", None)
                if isinstance(obj, AuditEvent) or table is None:
                    continue
                if op != "update" or session.is_modified(obj, include_collections=False):
                    log.wrote(table.name, op)
        for entry in entries:
            log.audited(entry.action)

    def do_orm_execute(state):
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if table is not None and getattr(table, "name", None):
                log.wrote(
                    table.name, "insert" if state.is_insert else "update" if state.is_update else "delete"
                )

    def after_commit(_session):
        log.committed()

    def after_soft_rollback(_session, _previous_transaction):
        log.rolled_back()

    listeners = [
        ("before_flush", before_flush),
        ("do_orm_execute", do_orm_execute),
        ("after_commit", after_commit),
        ("after_soft_rollback", after_soft_rollback),
    ]
    for name, function in listeners:
        event.listen(Session, name, function)
    try:
        yield log
    finally:
        for name, function in listeners:
            event.remove(Session, name, function)
