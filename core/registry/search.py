"""The registry's person search: exact ID number, or the person's name parts in order.

Two statements per search, each built once at import and compiled once by SQLAlchemy (its
cache key never changes, only the bound values do), sent through the session's connection as
plain SQL — the ORM's per-statement work (compilation keys, loader options, the scoping hook)
is paid only by the second statement, which reads the page's persons by primary key:

1. the matches' page *and* their count in one statement (``count(*) OVER ()``), from the
   index alone;
2. the page's ``Person`` rows by primary key (scoped to the tenant like every ORM query).

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
from ..tenancy import current_tenant_id, require_tenant
from . import ids
from .models import Person, PersonNameKey
from .normalize import normalize_name

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


_STATEMENTS = _statements()
_BY_IDS = sa.select(Person).where(Person.id.in_(sa.bindparam("ids", expanding=True)))
_BY_ID_NUMBER = sa.select(Person).where(Person.national_id_hash == sa.bindparam("hash"))


def search_persons(q: str, page: int = 1, per_page: int = 20) -> tuple[list[Person], SearchTotal]:
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
        found = list(db.session.execute(_BY_ID_NUMBER, {"hash": ids.lookup_hash(number)}).scalars())
        return found[offset : offset + per_page], SearchTotal(len(found))
    if not q:
        return _everyone(offset, per_page)
    prefix = normalize_name(q)
    if len(prefix.replace(" ", "")) < MIN_NAME_QUERY:
        # One letter matches nearly everyone (every "ال…" family name): a scan, not a lookup.
        raise ValidationError({"q": [_l("Type at least two letters of the name, or the ID number.")]})
    kind = "keys" if " " in prefix else "one_word"
    limit = min(per_page, COUNT_CAP - offset)  # pages end with the first COUNT_CAP matches
    params = {
        "tenant": _tenant_id(),
        "low": prefix,
        "high": prefix + "\U0010ffff",
        "cap": COUNT_CAP + 1,
        "limit": max(limit, 0),
        "offset": offset,
    }
    session = db.session()
    if session.autoflush:
        session.flush()  # what the ORM's own queries would do first (no-op with nothing pending)
    connection = session.connection()
    rows = connection.execute(_STATEMENTS[kind], params).all() if limit > 0 else []
    if rows:
        total = rows[0].total
    else:  # a page past the end: the count alone
        total = connection.execute(_STATEMENTS[f"{kind}_count"], params).scalar_one()
    return _load([row.id for row in rows]), SearchTotal(total)


def _load(person_ids: list[int]) -> list[Person]:
    """The persons of a page, in the page's order, in one statement."""
    if not person_ids:
        return []
    by_id = {person.id: person for person in db.session.execute(_BY_IDS, {"ids": person_ids}).scalars()}
    return [by_id[pid] for pid in person_ids if pid in by_id]


def _everyone(offset: int, per_page: int) -> tuple[list[Person], SearchTotal]:
    capped = sa.select(Person.id).where(Person.tenant_id == _tenant_id()).limit(COUNT_CAP + 1).subquery()
    total = db.session.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one()
    rows = db.session.execute(
        sa.select(Person).order_by(Person.name_normalized, Person.id).limit(per_page).offset(offset)
    ).scalars()
    return list(rows), SearchTotal(total)


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
