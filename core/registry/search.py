"""The registry's person search: exact ID number, or the person's name parts in order.

Two statements per search, each built once at import, compiled once per dialect
(:class:`core.prepared.Prepared`) and sent as SQL text on the DBAPI cursor of the session's connection — no
ORM statement and no per-call SQLAlchemy work (cache keys, compiled-cache lookups, result
metadata, loader options, the scoping hook, identity map):

1. the matches' page *and* their count in one statement (``count(*) OVER ()``), from the
   index alone;
2. the page's rows of ``registry_persons`` by primary key, the tenant bound like in the first.

The page comes back as :class:`PersonRow` objects: the person's columns as read, plus
``Person``'s own ``full_name`` and ``national_id`` — what every page, the API and the pickers
read from a result. They are not ORM entities: a caller that changes a person loads it
(``db.session.get(Person, row.id)``).

The count is **bounded**: each index range yields at most ``COUNT_CAP + 1`` matches, so the
cost of a search does not grow with the association. Past the cap the answer says "more than
1,000" (:class:`SearchTotal` ``.more``) and its pages come from those first matches, sorted by
name; typing more of the name narrows it. The tenant is a bound value of every statement
(and Row-Level Security's, on PostgreSQL, through the session's transaction).
"""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import ValidationError

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..numbers import NumberFormatError, digit_string
from ..prepared import Prepared
from ..tenancy import current_tenant_id, require_tenant
from . import ids
from .models import Person, PersonNameKey
from .normalize import normalize_name, spelled

MIN_NAME_QUERY = 2
COUNT_CAP = 1000


class SearchTotal(int):
    """How many persons matched, at most :data:`COUNT_CAP`; ``more`` when there are more."""

    more: bool

    def __new__(cls, value: int, more: bool = False) -> SearchTotal:
        total = super().__new__(cls, min(value, COUNT_CAP))
        total.more = more or value > COUNT_CAP
        return total


def _statements() -> dict[str, sa.Select]:
    persons = Person.__table__
    keys = PersonNameKey.__table__
    tenant, low, high = sa.bindparam("tenant"), sa.bindparam("low"), sa.bindparam("high")
    cap = sa.bindparam("cap")
    # One word: the start of the first name (so of the full name) or of the family name — two
    # index range scans, each cut at the cap in its index's order, united.
    by_name = (
        sa.select(persons.c.id, persons.c.name_normalized)
        .where(
            persons.c.tenant_id == tenant, persons.c.name_normalized >= low, persons.c.name_normalized < high
        )
        .order_by(persons.c.name_normalized)
        .limit(cap)
        .subquery()
    )
    by_family = (
        sa.select(persons.c.id, persons.c.name_normalized)
        .where(
            persons.c.tenant_id == tenant,
            persons.c.family_normalized >= low,
            persons.c.family_normalized < high,
        )
        .order_by(persons.c.family_normalized)
        .limit(cap)
        .subquery()
    )
    one_word = sa.union(sa.select(by_name.c.id, by_name.c.name_normalized), sa.select(by_family)).subquery()
    # Several words: one covering range scan of the name keys; a person matched by several of
    # their keys counts once.
    by_keys = (
        sa.select(keys.c.person_id.label("id"), keys.c.sort_name.label("name_normalized"))
        .where(keys.c.tenant_id == tenant, keys.c.key >= low, keys.c.key < high)
        .distinct()
        .limit(cap)
        .subquery()
    )

    def page_of(matches) -> sa.Select:
        return (
            sa.select(matches.c.id, sa.func.count().over().label("total"))
            .order_by(matches.c.name_normalized, matches.c.id)
            .limit(sa.bindparam("limit"))
            .offset(sa.bindparam("offset"))
        )

    def count_of(matches) -> sa.Select:
        return sa.select(sa.func.count()).select_from(matches)

    return {
        "one_word": page_of(one_word),
        "one_word_count": count_of(one_word),
        "keys": page_of(by_keys),
        "keys_count": count_of(by_keys),
    }


_STATEMENTS = {kind: Prepared(statement) for kind, statement in _statements().items()}
_PERSONS = Person.__table__
_BY_ID_NUMBER = Prepared(
    sa.select(*_PERSONS.c).where(
        _PERSONS.c.tenant_id == sa.bindparam("tenant"), _PERSONS.c.national_id_hash == sa.bindparam("hash")
    )
)
_BY_IDS: dict[int, Prepared] = {}  # by the number of ids (a page has at most per_page)


def _by_ids(count: int) -> Prepared:
    prepared = _BY_IDS.get(count)
    if prepared is None:
        marks = [sa.bindparam(f"id{n}") for n in range(count)]
        prepared = _BY_IDS[count] = Prepared(
            sa.select(*_PERSONS.c).where(
                _PERSONS.c.tenant_id == sa.bindparam("tenant"), _PERSONS.c.id.in_(marks)
            )
        )
    return prepared


_EVERYONE = (
    sa.select(*_PERSONS.c)
    .where(_PERSONS.c.tenant_id == sa.bindparam("tenant"))
    .order_by(_PERSONS.c.name_normalized, _PERSONS.c.id)
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)
_EVERYONE_COUNT = sa.select(sa.func.count()).select_from(
    sa.select(_PERSONS.c.id)
    .where(_PERSONS.c.tenant_id == sa.bindparam("tenant"))
    .limit(COUNT_CAP + 1)
    .subquery()
)


def _column(index: int, name: str) -> property:
    def read(row: PersonRow):
        value = row._values[index]
        process = row._processors[index]
        return value if process is None or value is None else process(value)

    read.__name__ = name
    return property(read)


class PersonRow:
    """A person of a search page as read: the columns of ``registry_persons`` as attributes, and
    ``Person``'s ``full_name`` and ``national_id`` (the same code). Read-only, not in the session.
    A value is converted by its column's type when read (a page shows a few of them)."""

    __slots__ = ("_values", "_processors")
    full_name = Person.__dict__["full_name"]
    national_id = property(Person.__dict__["national_id"].fget)

    def __init__(self, values: tuple, processors: tuple = ()) -> None:
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_processors", processors or (None,) * len(values))

    def __setattr__(self, name, value):
        raise AttributeError(f"a search result is read-only; load Person {self.id} to change it")

    def __eq__(self, other) -> bool:
        return isinstance(other, PersonRow | Person) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("person", self.id))

    def __repr__(self) -> str:
        return f"<PersonRow {self.id}>"


for _index, _col in enumerate(_PERSONS.c):
    setattr(PersonRow, _col.key, _column(_index, _col.key))


def _rows(prepared: Prepared, connection, params: dict) -> list[PersonRow]:
    found, processors = prepared.raw(connection, params)
    return [PersonRow(values, processors) for values in found]


def _connection():
    """The session's connection, after what the ORM's own queries would do first: flush pending
    changes (a person added in this transaction is found) and begin the transaction (on
    PostgreSQL its tenant for Row-Level Security)."""
    session = db.session()
    if session.autoflush:
        session.flush()  # no-op with nothing pending
    return session.connection()


def search_persons(q: str, page: int = 1, per_page: int = 20) -> tuple[list[PersonRow], SearchTotal]:
    """Exact ID number (any digit script), or the person's name parts in order.

    One word is the start of the first or the family name. Several: "أحمد الزهراني" (first +
    family), "أحمد محمد الزهراني" (first + father + family), the full four-part name, the
    family name alone, "محمد الزهراني" (father + family), each with its last word possibly half
    typed and in any spelling variant (``normalize.py``). Each person's ordered name-part
    choices are stored normalised in ``registry_person_name_keys``
    (``services.persons.sync_name_keys``) and matched as a half-open range
    ``[q, q + U+10FFFF)`` on its ``(tenant_id, key, person_id)`` index rather than
    ``LIKE 'q%'``: the same B-tree range scan on SQLite (whose LIKE ignores ordinary indexes)
    and on PostgreSQL (whose LIKE needs ``text_pattern_ops``). No query: every person, by name.
    """
    q = (q or "").strip()
    offset = (max(page, 1) - 1) * per_page
    number = id_query(q)
    if number is not None:
        # At most one person: the hash is unique in the association.
        params = {"tenant": _tenant_id(), "hash": ids.lookup_hash(number)}
        found = _rows(_BY_ID_NUMBER, _connection(), params)
        return found[offset : offset + per_page], SearchTotal(len(found))
    if not q:
        return _everyone(offset, per_page)
    prefix = normalize_name(q)
    if len(prefix.replace(" ", "")) < MIN_NAME_QUERY:
        # One letter matches nearly everyone (every "ال…" family name): a scan, not a lookup.
        raise ValidationError({"q": [_l("Type at least two letters of the name, or the ID number.")]})
    # Several words typed are name parts, even when «عبد X» joins them into one word ("عبد اب":
    # the first name «عبد» and the grandfather's «اب» are only found together in the keys).
    kind = "keys" if " " in prefix or " " in spelled(q) else "one_word"
    limit = min(per_page, COUNT_CAP - offset)  # pages end with the first COUNT_CAP matches
    params = {
        "tenant": _tenant_id(),
        "low": prefix,
        "high": prefix + "\U0010ffff",
        "cap": COUNT_CAP + 1,
        "limit": max(limit, 0),
        "offset": offset,
    }
    connection = _connection()
    rows = _STATEMENTS[kind].rows(connection, params) if limit > 0 else []
    if rows:
        total = rows[0][1]
    else:  # a page past the end: the count alone
        total = _STATEMENTS[f"{kind}_count"].rows(connection, params)[0][0]
    return _load(connection, params["tenant"], [row[0] for row in rows]), SearchTotal(total)


def _load(connection, tenant_id: int, person_ids: list[int]) -> list[PersonRow]:
    """The persons of a page, in the page's order, in one statement."""
    if not person_ids:
        return []
    params = {"tenant": tenant_id, **{f"id{n}": pid for n, pid in enumerate(person_ids)}}
    by_id = {
        person.id: person for person in map(PersonRow, _by_ids(len(person_ids)).rows(connection, params))
    }
    return [by_id[pid] for pid in person_ids if pid in by_id]


def _everyone(offset: int, per_page: int) -> tuple[list[PersonRow], SearchTotal]:
    connection, params = _connection(), {"tenant": _tenant_id(), "limit": per_page, "offset": offset}
    total = connection.execute(_EVERYONE_COUNT, params).scalar_one()
    return [PersonRow(tuple(row)) for row in connection.execute(_EVERYONE, params)], SearchTotal(total)


def _tenant_id() -> int:
    """The tenant in context's id as kept beside it (no refresh of an expired tenant)."""
    tenant_id = current_tenant_id()
    return require_tenant().id if tenant_id is None else tenant_id


def id_query(q: str) -> str | None:
    """``q`` as a ten-digit ID number (any digit script), or None when it is not one."""
    try:
        return digit_string(q, length=10) if q else None
    except NumberFormatError:
        return None
