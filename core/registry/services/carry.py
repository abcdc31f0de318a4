"""Registering a household from another feature's record (a request's applicant data): which
values can be carried onto the registration form as the registry would accept them, and which
cannot, with the reason — so nothing the applicant gave is lost without a word.

``carry(values)`` takes the form's values as text (head fields named as the registration
form's, ``housing_tenure``, ``annual_rent``, ``category``, and ``members``: rows with a
``name`` or the four name parts, ``relationship``, ``job``, ``income``, ``resides_with_head``)
and checks each one with the registry's own schema fields; an ID number is also looked up
(one person per ID in an association).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...i18n import translate_messages
from ..models import HOUSING_TENURES, RELATIONSHIPS
from ..schemas import MemberPersonSchema, PersonSchema
from .persons import PERSON_FIELDS, find_by_national_id, households_of

FIELD_LABELS = {
    "first_name": _l("First name"),
    "father_name": _l("Father's name"),
    "grandfather_name": _l("Grandfather's name"),
    "family_name": _l("Family name"),
    "national_id": _l("National ID or iqama number"),
    "id_expiry": _l("ID expiry date"),
    "nationality": _l("Nationality"),
    "birth_date": _l("Birth date"),
    "gender": _l("Gender"),
    "marital_status": _l("Marital status"),
    "phone": _l("Mobile"),
    "email": _l("E-mail"),
    "national_address": _l("National address (short code)"),
    "city": _l("City"),
    "job": _l("Current job"),
    "monthly_income": _l("Total monthly income (SAR)"),
    "housing_tenure": _l("Housing"),
    "annual_rent": _l("Annual rent (SAR)"),
    "relationship": _l("Relationship"),
    "income": _l("Total monthly income (SAR)"),
}
MEMBER_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name", "national_id")


@dataclass(frozen=True)
class NotCarried:
    """A value of the record the registration form could not take, and why (in words)."""

    field: str
    label: str
    value: str
    reason: str
    member: str = ""  # the member's name when the value is a member's


def split_name(full: str) -> dict[str, str]:
    """A name typed in one box → the four parts (first, father, grandfather, family)."""
    parts = (full or "").split()
    if len(parts) >= 4:
        return dict(zip(MEMBER_FIELDS[:3], parts[:3], strict=True)) | {"family_name": " ".join(parts[3:])}
    if len(parts) == 3:
        return {"first_name": parts[0], "father_name": parts[1], "family_name": parts[2]}
    if len(parts) == 2:
        return {"first_name": parts[0], "family_name": parts[1]}
    return {"first_name": parts[0]} if parts else {}


def _reason(error: ValidationError) -> str:
    messages = translate_messages(error.messages)
    if isinstance(messages, dict):
        messages = [m for value in messages.values() for m in (value if isinstance(value, list) else [value])]
    return " ".join(str(m) for m in (messages if isinstance(messages, list) else [messages]))


def _check(schema, name: str, value: Any) -> str | None:
    """The registry's refusal of ``value`` for field ``name`` (None when it accepts it)."""
    try:
        schema.fields[name].deserialize(value, name, {})
    except ValidationError as exc:
        return _reason(exc)
    return None


def _id_taken(number: str) -> str | None:
    """Why an ID number cannot go on a new person: someone of this association has it."""
    try:
        parsed = PersonSchema().fields["national_id"].deserialize(number, "national_id", {})
    except ValidationError:
        return None
    person = find_by_national_id(parsed)
    if person is None:
        return None
    households = households_of(person)
    if households:
        return _(
            "This ID number is already in the file of household #%(id)s (%(name)s): link the request "
            "to that file instead.",
            id=households[0].id,
            name=person.full_name,
        )
    return _("This ID number is already registered in this association (%(name)s).", name=person.full_name)


def _label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def carry(values: dict) -> tuple[dict, list[NotCarried]]:
    """The registration form's values that the registry accepts, and what it does not (why)."""
    head_schema, member_schema = PersonSchema(), MemberPersonSchema()
    carried: dict = {}
    refused: list[NotCarried] = []
    for name, value in values.items():
        if name == "members" or value in (None, ""):
            continue
        text = str(value)
        if name in PERSON_FIELDS:
            problem = _check(head_schema, name, text)
            if problem is None and name == "national_id":
                problem = _id_taken(text)
        elif name == "housing_tenure":
            problem = None if text in HOUSING_TENURES else str(_l("Choose one of the listed values."))
        elif name == "annual_rent":
            problem = _check(head_schema, "monthly_income", text)
        else:
            problem = None
        if problem is None:
            carried[name] = text
        else:
            refused.append(NotCarried(name, _label(name), text, problem))
    members = []
    head_family = carried.get("family_name", "")
    for row in values.get("members") or []:
        member, member_refused = _carry_member(row, member_schema, head_family)
        refused.extend(member_refused)
        if member is not None:
            members.append(member)
    carried["members"] = members
    return carried, refused


def _carry_member(row: dict, schema, head_family: str) -> tuple[dict | None, list[NotCarried]]:
    parts = {k: str(row[k]) for k in MEMBER_FIELDS[:4] if row.get(k)} or split_name(row.get("name", ""))
    shown = " ".join(parts.get(k, "") for k in MEMBER_FIELDS[:4] if parts.get(k)) or str(row.get("name", ""))
    refused: list[NotCarried] = []
    if not parts.get("first_name"):
        return None, [NotCarried("members", _label("first_name"), shown, _("A member needs a name."), shown)]
    if not parts.get("family_name"):
        parts["family_name"] = head_family  # one name typed: the family's name is the head's
    member: dict = {}
    for name, value in parts.items():
        problem = _check(schema, name, value)
        if problem is None:
            member[name] = value
        else:
            refused.append(NotCarried(name, _label(name), value, problem, shown))
    if not member.get("first_name") or not member.get("family_name"):
        return None, [
            *refused,
            NotCarried("members", _label("first_name"), shown, _("A member needs a name."), shown),
        ]
    number = str(row.get("national_id") or "")
    if number:
        problem = _check(schema, "national_id", number) or _id_taken(number)
        if problem is None:
            member["national_id"] = number
        else:
            refused.append(NotCarried("national_id", _label("national_id"), number, problem, shown))
    relationship = str(row.get("relationship") or "")
    if relationship in RELATIONSHIPS:
        member["relationship"] = relationship
    else:
        member["relationship"] = "other"
        refused.append(
            NotCarried(
                "relationship",
                _label("relationship"),
                relationship,
                _("Not one of the registry's relationships: recorded as “other”, correct it if needed."),
                shown,
            )
        )
    if row.get("job"):
        member["job"] = str(row["job"])
    income = row.get("income")
    if income not in (None, ""):
        problem = _check(schema, "monthly_income", str(income))
        if problem is None:
            member["income"] = str(income)
        else:
            refused.append(NotCarried("income", _label("income"), str(income), problem, shown))
    member["resides_with_head"] = bool(row.get("resides_with_head", True))
    return member, refused


__all__ = ["NotCarried", "carry", "split_name"]
