"""``core.prepared.attach``: a row read on the DBAPI cursor becomes the object a query would have
loaded — persistent, clean, in the identity map, its relationships and the columns the row
lacks loading on access. On a schema of its own (not the platform's), in memory."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from core.prepared import Prepared, attach, attribute_keys


class _Base(DeclarativeBase):
    pass


class Shelf(_Base):
    __tablename__ = "shelves"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    notes: Mapped[str | None] = mapped_column(sa.Text)  # not in the read below
    books: Mapped[list[Book]] = relationship(back_populates="shelf", order_by="Book.id")


class Book(_Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    shelf_id: Mapped[int] = mapped_column(sa.ForeignKey("shelves.id"))
    title: Mapped[str]
    shelf: Mapped[Shelf] = relationship(back_populates="books")


_SHELVES = Shelf.__table__
_READ = Prepared(sa.select(_SHELVES.c.id, _SHELVES.c.name).where(_SHELVES.c.id == sa.bindparam("id")))
_KEYS = attribute_keys(Shelf, [_SHELVES.c.id, _SHELVES.c.name])


def _session() -> tuple[Session, list[str]]:
    engine = sa.create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(_SHELVES.insert(), [{"id": 1, "name": "poetry", "notes": "by the window"}])
        conn.execute(Book.__table__.insert(), [{"id": 1, "shelf_id": 1, "title": "ديوان المتنبي"}])
    sent: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return Session(engine), sent


def _attached(session: Session) -> Shelf:
    (row,) = _READ.rows(session.connection(), {"id": 1})
    return attach(session, Shelf, _KEYS, row)


def test_an_attached_row_is_persistent_clean_and_in_the_identity_map():
    session, sent = _session()
    shelf = _attached(session)
    assert sa.inspect(shelf).persistent and not session.dirty and not session.new
    assert session.get(Shelf, 1) is shelf and shelf.name == "poetry"
    assert len(sent) == 1  # the read itself; nothing for the get
    assert _attached(session) is shelf  # the same row again: the object already there


def test_a_column_the_row_lacks_and_a_relationship_load_when_read():
    session, sent = _session()
    shelf = _attached(session)
    assert "notes" not in vars(shelf) and "books" not in vars(shelf)
    assert shelf.notes == "by the window"
    assert [book.title for book in shelf.books] == ["ديوان المتنبي"]
    assert len(sent) == 3  # the read, the missing column, the relationship
    session.flush()
    assert not session.dirty  # loading changed nothing


def test_an_object_already_loaded_keeps_what_it_holds_and_takes_what_it_had_expired():
    session, _sent = _session()
    shelf = session.get(Shelf, 1)
    shelf.name = "changed, not flushed"
    assert _attached(session) is shelf and shelf.name == "changed, not flushed"
    session.expire(shelf, ["name"])
    session.autoflush = False
    assert _attached(session).name == "poetry"
