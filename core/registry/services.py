"""Business rules of the registry, as plain functions (no request needed).

Callers validate input with ``core.registry.schemas`` first; these functions check what
needs the database (uniqueness, references, transitions, plugin fields), write through
the session (flush, never commit) and record audit entries in the same transaction.
"""

from __future__ import annotations

import calendar
from datetime import date

from marshmallow import ValidationError

from ..audit.service import record
from ..errors import Conflict
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..lookup import get_in_tenant
from ..plugins import tenant_hooks
from ..tenancy import Tenant, current_tenant, require_tenant, tenant_context, unscoped, utcnow
from . import ids
from .choices import Choice, FileFields, merge_choices
from .models import BeneficiaryFile, FileEvent, Household, Member, Person, SharingAgreement
from .normalize import normalize_name, normalized_full_name

DEFAULT_RENEWAL_MONTHS = 6
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
# Which status may follow which (anything else is refused with 409).
TRANSITIONS: dict[str, frozenset[str]] = {
    "applicant": frozenset({"active", "excluded", "closed"}),
    "active": frozenset({"suspended", "excluded", "closed"}),
    # suspended → suspended: the suspension's end date or condition changes (a file event).
    "suspended": frozenset({"active", "suspended", "excluded", "closed"}),
    "excluded": frozenset({"applicant", "closed"}),
    "closed": frozenset({"applicant"}),
}


# --------------------------------------------------------------------------- open lists


def household_categories() -> list[Choice]:
    return merge_choices(tenant_hooks().register_household_categories())


def exclusion_reasons() -> list[Choice]:
    return merge_choices(tenant_hooks().register_exclusion_reasons())


def file_fields() -> list[FileFields]:
    found: dict[str, FileFields] = {}
    for group in tenant_hooks().register_file_fields():
        for item in group or []:
            found.setdefault(item.namespace, item)
    return list(found.values())


def validate_extra(extra: dict, current: dict | None = None) -> dict:
    """Each namespace loaded by its plugin's schema; unknown namespaces refused."""
    known = {f.namespace: f for f in file_fields()}
    result = dict(current or {})
    errors: dict = {}
    for namespace, value in (extra or {}).items():
        spec = known.get(namespace)
        if spec is None:
            errors[namespace] = [_l("Unknown field group.")]
            continue
        try:
            result[namespace] = spec.schema().dump(spec.schema().load(value or {}))
        except ValidationError as exc:
            errors[namespace] = exc.messages
    if errors:
        raise ValidationError({"extra": errors})
    return result


# --------------------------------------------------------------------------- dates


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_interval_months(tenant: Tenant | None = None) -> int:
    tenant = tenant or require_tenant()
    value = ((tenant.settings or {}).get("registry") or {}).get(
        "renewal_interval_months", DEFAULT_RENEWAL_MONTHS
    )
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_RENEWAL_MONTHS


def is_overdue(file: BeneficiaryFile) -> bool:
    return file.renewal_overdue


# --------------------------------------------------------------------------- persons


def find_by_national_id(number: str) -> Person | None:
    return db.session.execute(
        db.select(Person).where(Person.national_id_hash == ids.lookup_hash(number))
    ).scalar_one_or_none()


# Name parts a member may leave out: stored as "" (the columns are NOT NULL), never as NULL.
_OPTIONAL_NAME_PARTS = ("father_name", "grandfather_name")


def _apply_person(person: Person, data: dict) -> list[str]:
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
    return changed


def _check_unique_id(number: str | None, exclude_id: int | None = None, field: str = "national_id") -> None:
    if not number:
        return
    existing = find_by_national_id(number)
    if existing is not None and existing.id != exclude_id:
        raise ValidationError({field: [_l("This ID number is already registered in this association.")]})


def create_person(data: dict, audit: bool = True) -> Person:
    _check_unique_id(data.get("national_id"))
    person = Person(monthly_income=0)
    _apply_person(person, {k: v for k, v in data.items() if k in PERSON_FIELDS})
    db.session.add(person)
    db.session.flush()
    if audit:
        record("registry.person.created", "person", person.id)
    return person


def update_person(person: Person, data: dict) -> Person:
    if data.get("national_id") and data["national_id"] != person.national_id:
        _check_unique_id(data["national_id"], exclude_id=person.id)
    changed = _apply_person(person, data)
    if changed:
        db.session.flush()
        record("registry.person.updated", "person", person.id, {"fields": changed})
    return person


MIN_NAME_QUERY = 2


def search_persons(q: str, page: int = 1, per_page: int = 20) -> tuple[list[Person], int]:
    """Exact ID number, or name prefix (full four-part name, or family name).

    Names are compared in their normalised form (``normalize.py``), stored in indexed
    columns led by ``tenant_id``. The match is a half-open range ``[q, q + U+10FFFF)``
    rather than ``LIKE 'q%'``: the same B-tree range scan on SQLite (whose LIKE ignores
    ordinary indexes) and on PostgreSQL (whose LIKE needs ``text_pattern_ops``). A name
    query therefore matches from the start of the four-part name ("محمد عبدالله") or of
    the family name ("الغامدي"), in any spelling variant.
    """
    query = db.select(Person)
    q = (q or "").strip()
    number = _id_query(q)
    if number is not None:
        query = query.where(Person.national_id_hash == ids.lookup_hash(number))
    elif q:
        prefix = normalize_name(q)
        if len(prefix.replace(" ", "")) < MIN_NAME_QUERY:
            # One letter matches nearly everyone (every "ال…" family name): a scan, not a lookup.
            raise ValidationError({"q": [_l("Type at least two letters of the name, or the ID number.")]})
        upper = prefix + "\U0010ffff"
        tenant_id = require_tenant().id
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
        # (``Person.id IN (matches) ORDER BY … LIMIT`` let SQLite walk the tenant's whole name
        # index, and joining every match let PostgreSQL seq-scan the table for a common family
        # name: O(tenant) both — bench/registry_search.py.)
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
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(Person.name_normalized, Person.id).limit(per_page).offset((page - 1) * per_page)
    ).scalars()
    return list(rows), total


def _id_query(q: str) -> str | None:
    from ..numbers import NumberFormatError, digit_string

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


# --------------------------------------------------------------------------- duplicates & sharing


def duplicate_signal(person: Person) -> dict:
    """How many other associations hold this ID number — and nothing else about them —
    plus, for partners under a data-sharing agreement in force, their aid totals."""
    tenant = require_tenant()
    if not person.national_id_hash:
        return {"other_associations": 0, "shared": []}
    with unscoped("duplicate signal: count other associations holding this ID number"):
        holders = set(
            db.session.execute(
                db.select(Person.tenant_id).where(
                    Person.national_id_hash == person.national_id_hash, Person.tenant_id != tenant.id
                )
            ).scalars()
        )
    shared = []
    for partner in partners_in_force(tenant):
        if partner.id not in holders:
            continue
        with tenant_context(partner):
            theirs = db.session.execute(
                db.select(Person).where(Person.national_id_hash == person.national_id_hash)
            ).scalar_one_or_none()
            total = aid_total(theirs) if theirs is not None else 0
        shared.append(
            {
                "association": partner.slug,
                "name_ar": partner.name_ar,
                "name_en": partner.name_en,
                "aid_total": total,
            }
        )
    return {"other_associations": len(holders), "shared": shared}


def aid_total(person: Person) -> int:
    return sum(int(v or 0) for v in tenant_hooks().person_aid_total(person=person))


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def agreement_with(partner: Tenant) -> SharingAgreement | None:
    tenant = require_tenant()
    low, high = _pair(tenant.id, partner.id)
    return db.session.execute(
        db.select(SharingAgreement).where(
            SharingAgreement.tenant_a_id == low, SharingAgreement.tenant_b_id == high
        )
    ).scalar_one_or_none()


def accept_agreement(partner: Tenant) -> SharingAgreement:
    """Record this tenant's acceptance of sharing aid totals with ``partner``."""
    tenant = require_tenant()
    if partner.id == tenant.id:
        raise ValidationError({"partner": [_l("Choose another association.")]})
    agreement = agreement_with(partner)
    if agreement is None:
        low, high = _pair(tenant.id, partner.id)
        agreement = SharingAgreement(tenant_a_id=low, tenant_b_id=high)
        db.session.add(agreement)
    if agreement.tenant_a_id == tenant.id:
        agreement.accepted_by_a_at = agreement.accepted_by_a_at or utcnow()
    else:
        agreement.accepted_by_b_at = agreement.accepted_by_b_at or utcnow()
    db.session.flush()
    record("registry.sharing.accepted", "sharing_agreement", agreement.id, {"partner": partner.slug})
    return agreement


def revoke_agreement(partner: Tenant) -> None:
    agreement = agreement_with(partner)
    if agreement is not None:
        record("registry.sharing.revoked", "sharing_agreement", agreement.id, {"partner": partner.slug})
        db.session.delete(agreement)
        db.session.flush()


def agreements_view(tenant: Tenant | None = None) -> list[dict]:
    tenant = tenant or require_tenant()
    rows = db.session.execute(
        db.select(SharingAgreement).where(
            db.or_(SharingAgreement.tenant_a_id == tenant.id, SharingAgreement.tenant_b_id == tenant.id)
        )
    ).scalars()
    out = []
    for row in rows:
        ours_is_a = row.tenant_a_id == tenant.id
        partner = db.session.get(Tenant, row.tenant_b_id if ours_is_a else row.tenant_a_id)
        out.append(
            {
                "id": row.id,
                "partner_slug": partner.slug,
                "partner_name": partner.name_ar,
                "accepted_by_us": (row.accepted_by_a_at if ours_is_a else row.accepted_by_b_at) is not None,
                "accepted_by_partner": (row.accepted_by_b_at if ours_is_a else row.accepted_by_a_at)
                is not None,
                "in_force": row.in_force,
            }
        )
    return out


def partners_in_force(tenant: Tenant) -> list[Tenant]:
    return [
        db.session.execute(db.select(Tenant).where(Tenant.slug == row["partner_slug"])).scalar_one()
        for row in agreements_view(tenant)
        if row["in_force"]
    ]


# --------------------------------------------------------------------------- households


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
    _event(file, "created", None, "applicant", None, user)
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
                _check_unique_id(number, exclude_id=member.person_id)
            except ValidationError as exc:
                raise ValidationError({"person": exc.messages}) from None
        changed += [f"person.{k}" for k in _apply_person(member.person, data["person"])]
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


# --------------------------------------------------------------------------- files


def _event(file, kind, old, new, reason, user, details=None) -> FileEvent:
    event = FileEvent(
        file_id=file.id,
        kind=kind,
        from_status=old,
        to_status=new,
        reason=reason,
        details=details or {},
        user_id=getattr(user, "id", None),
    )
    db.session.add(event)
    return event


def change_status(file: BeneficiaryFile, data: dict, user=None) -> BeneficiaryFile:
    """Move a file to another status, with the reason; plugins may refuse and are told."""
    old, new = file.status, data["status"]
    if new not in TRANSITIONS.get(old, ()):
        raise Conflict(
            _l("A file cannot go from %(old)s to %(new)s.", old=status_label(old), new=status_label(new)),
            {"status": [_l("This change of status is not allowed.")]},
        )
    if new == "excluded" and data.get("exclusion_reason") not in {c.code for c in exclusion_reasons()}:
        raise ValidationError({"exclusion_reason": [_l("Choose one of the listed values.")]})
    refusals = [
        m
        for msgs in tenant_hooks().validate_file_status_change(
            file=file, old=old, new=new, reason=data, user=user
        )
        for m in (msgs or [])
    ]
    if refusals:
        raise Conflict(refusals[0], {"status": refusals})
    file.status = new
    file.status_reason = data["reason"]
    file.status_changed_at = utcnow()
    file.suspended_until = data.get("suspended_until") if new == "suspended" else None
    file.suspension_condition = data.get("suspension_condition") if new == "suspended" else None
    file.exclusion_reason = data.get("exclusion_reason") if new == "excluded" else None
    if new == "active" and file.next_renewal_due is None:
        file.last_renewal_date = file.last_renewal_date or date.today()
        file.next_renewal_due = add_months(file.last_renewal_date, renewal_interval_months())
    details = {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in data.items()
        if k in ("suspended_until", "suspension_condition", "exclusion_reason") and v
    }
    _event(file, "status", old, new, data["reason"], user, details)
    db.session.flush()
    tenant_hooks().file_status_changed(file=file, old=old, new=new, reason=data, user=user)
    record("registry.file.status_changed", "file", file.id, {"from": old, "to": new, **details})
    return file


def renew_file(file: BeneficiaryFile, data: dict, user=None) -> BeneficiaryFile:
    """The household renewed its data: next due date = renewal + the tenant's interval."""
    renewed_on = data.get("renewed_on") or date.today()
    file.last_renewal_date = renewed_on
    file.next_renewal_due = add_months(renewed_on, renewal_interval_months())
    _event(
        file,
        "renewed",
        file.status,
        file.status,
        data.get("note"),
        user,
        {"renewed_on": renewed_on.isoformat(), "next_due": file.next_renewal_due.isoformat()},
    )
    db.session.flush()
    record("registry.file.renewed", "file", file.id, {"next_due": file.next_renewal_due.isoformat()})
    return file


def file_events(file: BeneficiaryFile) -> list[FileEvent]:
    return list(
        db.session.execute(
            db.select(FileEvent)
            .where(FileEvent.file_id == file.id)
            .order_by(FileEvent.at.desc(), FileEvent.id.desc())
        ).scalars()
    )


STATUS_LABELS = {
    "applicant": _l("Applicant"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "excluded": _l("Excluded"),
    "closed": _l("Closed"),
}


def status_label(code: str | None) -> str:
    return str(STATUS_LABELS.get(code or "", code or ""))


def current_tenant_slug() -> str | None:
    tenant = current_tenant()
    return tenant.slug if tenant else None
