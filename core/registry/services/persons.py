"""Persons: creating and correcting them (one ID number per association) and the households a
person heads or belongs to. The search by ID number or name lives in ``core.registry.search``."""

from __future__ import annotations

from marshmallow import ValidationError

from ...audit.services import record
from ...extensions import db
from ...i18n import lazy_gettext as _l
from .. import ids
from ..models import Household, Member, Person, PersonNameKey
from ..normalize import name_keys, normalize_name, normalized_full_name
from ..search import MIN_NAME_QUERY, SearchTotal, id_query, search_persons  # noqa: F401 (re-exported)

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
    if wanted:  # rows, not objects: a key is never loaded, nor kept in the session
        db.session.execute(
            db.insert(PersonNameKey.__table__),
            [
                {
                    "tenant_id": person.tenant_id,
                    "person_id": person.id,
                    "key": key,
                    "sort_name": person.name_normalized,
                }
                for key in wanted
            ],
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
