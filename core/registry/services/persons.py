"""Persons: creating and correcting them (one ID number per association), the search by
ID number or name, and the households a person heads or belongs to."""

from __future__ import annotations

from marshmallow import ValidationError

from ...audit.services import record
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...numbers import NumberFormatError, digit_string
from ...tenancy import require_tenant
from .. import ids
from ..models import Household, Member, Person, PersonNameKey
from ..normalize import name_keys, normalize_name, normalized_full_name

PERSON_FIELDS = (
    "first_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "national_id",
    "id_expiry",
    "nationality",
    "birth_date",
    "gender",
    "marital_status",
    "phone",
    "email",
    "national_address",
    "city",
    "job",
    "monthly_income",
)


def find_by_national_id(number: str) -> Person | None:
    return db.session.execute(
        db.select(Person).where(Person.national_id_hash == ids.lookup_hash(number))
    ).scalar_one_or_none()


NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")


def sync_name_keys(person: Person) -> None:
    """Store the person's search keys (``normalize.name_keys``) in place of the old ones."""
    wanted = name_keys(*(getattr(person, part) for part in NAME_PARTS))
    db.session.execute(
        db.delete(PersonNameKey).where(
            PersonNameKey.tenant_id == person.tenant_id, PersonNameKey.person_id == person.id
        )
    )
    db.session.add_all(
        PersonNameKey(person_id=person.id, key=key, sort_name=person.name_normalized) for key in wanted
    )


# Name parts a member may leave out: stored as "" (the columns are NOT NULL), never as NULL.
_OPTIONAL_NAME_PARTS = ("father_name", "grandfather_name")


def apply_person(person: Person, data: dict) -> list[str]:
    """Set the person's fields from ``data`` (and the normalised names); the names of those changed."""
    changed = []
    for key in PERSON_FIELDS:
        if key not in data:
            continue
        value = "" if data[key] is None and key in _OPTIONAL_NAME_PARTS else data[key]
        if getattr(person, key) != value:
            setattr(person, key, value)
            changed.append(key)
    if changed:
        person.name_normalized = normalized_full_name(
            person.first_name, person.father_name, person.grandfather_name, person.family_name
        )
        person.family_normalized = normalize_name(person.family_name)
        if person.id is not None and set(changed) & set(NAME_PARTS):
            sync_name_keys(person)
    return changed


def check_unique_id(number: str | None, exclude_id: int | None = None, field: str = "national_id") -> None:
    """422 on ``field`` when another person of this association has the ID number ``number``."""
    if not number:
        return
    existing = find_by_national_id(number)
    if existing is not None and existing.id != exclude_id:
        raise ValidationError({field: [_l("This ID number is already registered in this association.")]})


def create_person(data: dict, audit: bool = True) -> Person:
    check_unique_id(data.get("national_id"))
    person = Person(monthly_income=0)
    apply_person(person, {k: v for k, v in data.items() if k in PERSON_FIELDS})
    db.session.add(person)
    db.session.flush()
    sync_name_keys(person)
    if audit:
        record("registry.person.created", "person", person.id)
    return person


def update_person(person: Person, data: dict) -> Person:
    if data.get("national_id") and data["national_id"] != person.national_id:
        check_unique_id(data["national_id"], exclude_id=person.id)
    changed = apply_person(person, data)
    if changed:
        db.session.flush()
        record("registry.person.updated", "person", person.id, {"fields": changed})
    return person


MIN_NAME_QUERY = 2


def search_persons(q: str, page: int = 1, per_page: int = 20) -> tuple[list[Person], int]:
    """Exact ID number (any digit script), or the person's name parts in order.

    One word is the start of the first or the family name (:func:`_search_one_word`). Several:
    "أحمد الزهراني" (first + family), "أحمد محمد الزهراني" (first + father + family), the
    full four-part name, the family name alone, "محمد الزهراني" (father + family), each with
    its last word possibly half typed and in any spelling variant (``normalize.py``). Each
    person's ordered name-part choices are stored normalised in ``registry_person_name_keys``
    (:func:`sync_name_keys`) and matched as a half-open range ``[q, q + U+10FFFF)`` on its
    ``(tenant_id, key, person_id)`` index rather than ``LIKE 'q%'``: the same B-tree range
    scan on SQLite (whose LIKE ignores ordinary indexes) and on PostgreSQL (whose LIKE needs
    ``text_pattern_ops``).
    """
    query = db.select(Person)
    q = (q or "").strip()
    number = id_query(q)
    if number is not None:
        query = query.where(Person.national_id_hash == ids.lookup_hash(number))
    elif q:
        prefix = normalize_name(q)
        if len(prefix.replace(" ", "")) < MIN_NAME_QUERY:
            # One letter matches nearly everyone (every "ال…" family name): a scan, not a lookup.
            raise ValidationError({"q": [_l("Type at least two letters of the name, or the ID number.")]})
        upper = prefix + "\U0010ffff"
        tenant_id = require_tenant().id
        if " " not in prefix:
            return _search_one_word(query, tenant_id, prefix, upper, page, per_page)
        # One index range scan (covering: it yields the ids and sort names); a person matched
        # by several of their keys counts once.
        matched = (
            db.select(PersonNameKey.person_id, PersonNameKey.sort_name)
            .where(
                PersonNameKey.tenant_id == tenant_id, PersonNameKey.key >= prefix, PersonNameKey.key < upper
            )
            .distinct()
            .subquery()
        )
        total = db.session.execute(db.select(db.func.count()).select_from(matched)).scalar_one()
        # The page is cut from the matches alone (the sort name is in the index), then only
        # the page's rows are read by primary key. (``Person.id IN (matches) ORDER BY … LIMIT``
        # let SQLite walk the tenant's whole name index: bench/registry_search.py.)
        page_ids = (
            db.select(matched.c.person_id)
            .order_by(matched.c.sort_name, matched.c.person_id)
            .limit(per_page)
            .offset((page - 1) * per_page)
            .subquery()
        )
        rows = db.session.execute(
            query.join(page_ids, Person.id == page_ids.c.person_id).order_by(
                Person.name_normalized, Person.id
            )
        ).scalars()
        return list(rows), total
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(Person.name_normalized, Person.id).limit(per_page).offset((page - 1) * per_page)
    ).scalars()
    return list(rows), total


def _search_one_word(query, tenant_id: int, prefix: str, upper: str, page: int, per_page: int):
    """One word: the start of the first name (so of the full name) or of the family name.

    Served by the two ``registry_persons`` indexes, one row per person: a common first name
    ("محمد") is a prefix of four of each person's keys, and counting and ordering those
    costs several times more (bench/registry_search.py)."""
    # Two index range scans, one per (tenant_id, …) index, united: the planner cannot
    # fall back to reading the tenant's whole index as it may with an OR + ORDER BY.
    by_name = db.select(Person.id, Person.name_normalized).where(
        Person.tenant_id == tenant_id, Person.name_normalized >= prefix, Person.name_normalized < upper
    )
    by_family = db.select(Person.id, Person.name_normalized).where(
        Person.tenant_id == tenant_id,
        Person.family_normalized >= prefix,
        Person.family_normalized < upper,
    )
    matches = db.union(by_name, by_family).subquery()
    total = db.session.execute(db.select(db.func.count()).select_from(matches)).scalar_one()
    # The page is cut from the matches alone, then only its rows are read by primary key.
    page_ids = (
        db.select(matches.c.id)
        .order_by(matches.c.name_normalized, matches.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    rows = db.session.execute(
        query.join(page_ids, Person.id == page_ids.c.id).order_by(Person.name_normalized, Person.id)
    ).scalars()
    return list(rows), total


def id_query(q: str) -> str | None:
    """``q`` as a ten-digit ID number (any digit script), or None when it is not one."""
    try:
        return digit_string(q, length=10) if q else None
    except NumberFormatError:
        return None


def households_of(person: Person) -> list[Household]:
    """Households where the person is head or member (in this tenant)."""
    return households_of_many([person])[person.id]


def households_of_many(persons: list[Person]) -> dict[int, list[Household]]:
    """``{person id: households where head or member}`` for a page of persons, in two queries."""
    ids = [person.id for person in persons]
    found: dict[int, list[Household]] = {pid: [] for pid in ids}
    if not ids:
        return found
    links = db.session.execute(
        db.union(
            db.select(Household.head_person_id.label("person_id"), Household.id.label("household_id")).where(
                Household.head_person_id.in_(ids)
            ),
            db.select(Member.person_id, Member.household_id).where(Member.person_id.in_(ids)),
        )
    ).all()
    households = {
        h.id: h
        for h in db.session.execute(
            db.select(Household).where(Household.id.in_({link.household_id for link in links}))
        )
        .unique()
        .scalars()
    }
    for link in sorted(links, key=lambda link: link.household_id):
        if households[link.household_id] not in found[link.person_id]:
            found[link.person_id].append(households[link.household_id])
    return found
