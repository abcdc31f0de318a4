"""Households: the head, housing, category and members, created with the household's
beneficiary file; the household's monthly income."""

from __future__ import annotations

from marshmallow import ValidationError

from ...audit.services import record
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...lookup import get_in_tenant
from ..models import BeneficiaryFile, Household, Member, Person
from .files import add_file_event
from .lists import household_categories, validate_extra
from .persons import apply_person, check_unique_id, create_person


def _check_category(code: str | None) -> None:
    if code and code not in {c.code for c in household_categories()}:
        raise ValidationError({"category": [_l("Choose one of the listed values.")]})


def _existing_person(person_id: int, field: str) -> Person:
    person = get_in_tenant(Person, person_id)
    if person is None:
        raise ValidationError({field: [_l("No such person in this association.")]})
    return person


def create_household(data: dict, user=None) -> Household:
    """Head (new or registered), housing, category, members, and the beneficiary file."""
    _check_category(data.get("category"))
    extra = validate_extra(data.get("extra") or {})
    if "head" in data:
        try:
            head = create_person(data["head"])
        except ValidationError as exc:
            raise ValidationError({"head": exc.messages}) from None
    else:
        head = _existing_person(data["head_person_id"], "head_person_id")
    if not head.national_id_hash:
        raise ValidationError({"head": [_l("The head of household needs an ID number.")]})
    existing = db.session.execute(db.select(Household.id).where(Household.head_person_id == head.id)).first()
    if existing:
        raise ValidationError({"head": [_l("This person already heads a household in this association.")]})
    household = Household(
        head_person_id=head.id,
        housing_tenure=data["housing_tenure"],
        annual_rent=data.get("annual_rent") or 0 if data["housing_tenure"] == "rented" else 0,
        category=data.get("category") or "family",
    )
    db.session.add(household)
    db.session.flush()
    member_errors: dict = {}
    for index, member in enumerate(data.get("members") or []):
        try:
            add_member(household, member, audit=False)
        except ValidationError as exc:
            member_errors[index] = exc.messages
    if member_errors:
        raise ValidationError({"members": member_errors})
    file = BeneficiaryFile(household_id=household.id, status="applicant", extra=extra)
    db.session.add(file)
    db.session.flush()
    add_file_event(file, "created", None, "applicant", None, user)
    record("registry.household.created", "household", household.id, {"file": file.id})
    return household


def update_household(household: Household, data: dict) -> Household:
    _check_category(data.get("category"))
    changed = []
    if "head_person_id" in data and data["head_person_id"] != household.head_person_id:
        head = _existing_person(data["head_person_id"], "head_person_id")
        household.head_person_id = head.id
        changed.append("head_person_id")
    for key in ("housing_tenure", "annual_rent", "category"):
        if key in data and getattr(household, key) != data[key]:
            setattr(household, key, data[key])
            changed.append(key)
    if household.housing_tenure == "owned":
        household.annual_rent = 0
    elif not household.annual_rent:
        raise ValidationError({"annual_rent": [_l("Enter the annual rent for rented housing.")]})
    if data.get("extra"):
        file = household_file(household)
        file.extra = validate_extra(data["extra"], file.extra)
        changed.append("extra")
    if changed:
        db.session.flush()
        record("registry.household.updated", "household", household.id, {"fields": changed})
    return household


def household_file(household: Household) -> BeneficiaryFile:
    return db.session.execute(
        db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
    ).scalar_one()


def add_member(household: Household, data: dict, audit: bool = True) -> Member:
    if "person" in data:
        try:
            person = create_person(data["person"], audit=audit)
        except ValidationError as exc:
            raise ValidationError({"person": exc.messages}) from None
    else:
        person = _existing_person(data["person_id"], "person_id")
    if person.id == household.head_person_id:
        raise ValidationError({"person_id": [_l("The head of household is not listed as a member.")]})
    duplicate = db.session.execute(
        db.select(Member.id).where(Member.household_id == household.id, Member.person_id == person.id)
    ).first()
    if duplicate:
        raise ValidationError({"person_id": [_l("This person is already a member of the household.")]})
    member = Member(
        household_id=household.id,
        person_id=person.id,
        relationship_=data["relationship_"],
        job=data.get("job") if data.get("job") is not None else person.job,
        income=data.get("income") or person.monthly_income or 0,
        resides_with_head=data.get("resides_with_head", True),
        studying=data.get("studying", False),
    )
    db.session.add(member)
    db.session.flush()
    if audit:
        record("registry.member.added", "household", household.id, {"member": member.id})
    return member


def update_member(member: Member, data: dict) -> Member:
    changed = []
    if "person" in data:
        number = data["person"].get("national_id")
        if number and number != member.person.national_id:
            try:
                check_unique_id(number, exclude_id=member.person_id)
            except ValidationError as exc:
                raise ValidationError({"person": exc.messages}) from None
        changed += [f"person.{k}" for k in apply_person(member.person, data["person"])]
    for key in ("relationship_", "job", "income", "resides_with_head", "studying"):
        if key in data and getattr(member, key) != data[key]:
            setattr(member, key, data[key])
            changed.append(key.rstrip("_"))
    if changed:
        db.session.flush()
        record(
            "registry.member.updated",
            "household",
            member.household_id,
            {"member": member.id, "fields": changed},
        )
    return member


def remove_member(member: Member) -> None:
    record("registry.member.removed", "household", member.household_id, {"member": member.id})
    db.session.delete(member)
    db.session.flush()


def household_income(household: Household) -> int:
    """Monthly income of the head plus members residing with the head (seed 004), halalas."""
    total = household.head.monthly_income or 0
    return total + sum(m.income or 0 for m in household.members if m.resides_with_head)
