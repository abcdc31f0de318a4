"""What the pages' forms and the API accept and answer, and the fields a victim's application
adds to core's request forms (portal and staff)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.toolkit import AnyDate, Name, Text, Timestamp

from . import rules
from .i18n import _l
from .models import CODE_MAX, NAME_MAX, TEXT_MAX

CHOOSE = _l("Choose one of the listed values.")
CHANNEL_LABELS = {
    "in_person": _l("Interview"),
    "phone": _l("Phone call"),
    "social_media": _l("Social media"),
    "official_letter": _l("Letter"),
    "help_request_service": _l("Help-request service"),
    "volunteer_service": _l("Volunteer service"),
    "portal": _l("The association's website"),
    "mobile_app": _l("Mobile app"),
    "branch_representative": _l("Branch-office representative"),
    "outside_referral": _l("Referral by an outside body"),
}
RELATION_LABELS = {
    "spouse": _l("Spouse"),
    "son": _l("Son"),
    "daughter": _l("Daughter"),
    "father": _l("Father"),
    "mother": _l("Mother"),
    "brother": _l("Brother"),
    "sister": _l("Sister"),
    "other": _l("Other relative"),
}
AREA_LABELS = {
    "psychological": _l("Psychological"),
    "legal": _l("Legal"),
    "financial": _l("Financial"),
    "health": _l("Health"),
    "housing": _l("Housing"),
    "education": _l("Education"),
}
SEVERITY_LABELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High"), "critical": _l("Critical")}
NEED_STATUS_LABELS = {
    "open": _l("Open"),
    "referred": _l("Referred to a partner"),
    "met": _l("Met"),
    "closed": _l("Closed with a reason"),
}
REFERRAL_STATUS_LABELS = {
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "in_service": _l("In service"),
    "completed": _l("Completed"),
}
REFERRER_LABELS = {
    "police": _l("Police"),
    "public_prosecution": _l("Public prosecution"),
    "hospital": _l("Hospital"),
    "association": _l("Another association"),
    "other": _l("Another body"),
}
SESSION_MODE_LABELS = {"office": _l("At the office"), "home": _l("At home"), "remote": _l("Remote")}
AUTHORITY_LABELS = {"police": _l("Police"), "public_prosecution": _l("Public prosecution")}


class Strict(Schema):
    class Meta:
        unknown = RAISE


class IsoDate(AnyDate):
    """A date typed in Hijri or Gregorian (any digits), kept as an ISO string (JSON storage)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()

    def _serialize(self, value, attr, obj, **kwargs):
        return value


def _one_of(labels: dict, **kwargs):
    return fields.String(
        validate=validate.OneOf(tuple(labels), labels=tuple(labels.values()), error=CHOOSE), **kwargs
    )


class IncidentSchema(Strict):
    """The incident and its official report, common to the staff intake and the application."""

    category_code = fields.String(required=True, validate=validate.Length(min=1, max=CODE_MAX))
    incident_date = AnyDate(load_default=None, allow_none=True)
    city = fields.String(load_default="", validate=validate.Length(max=NAME_MAX))
    relation = _one_of(RELATION_LABELS, load_default=None, allow_none=True)
    report_authority = _one_of(AUTHORITY_LABELS, load_default=None, allow_none=True)
    report_reference = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=NAME_MAX)
    )
    no_report_reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=TEXT_MAX))

    @validates_schema
    def _report_or_its_absence(self, data, **kwargs):
        if not data.get("category_code"):
            return  # not a victim's application (yet)
        if rules.report_problem(data.get("report_reference"), data.get("no_report_reason")):
            raise ValidationError(
                _l("Enter the official report's reference, or why there is none."), "report_reference"
            )
        if (data.get("report_reference") or "").strip() and not data.get("report_authority"):
            raise ValidationError(_l("Choose who holds the report."), "report_authority")


class CaseOpenSchema(IncidentSchema):
    """A case registered by staff (interview, phone, letter, branch representative, referral …)."""

    applicant_name = Name(required=True, validate=validate.Length(min=2, max=255))
    applicant_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    channel = _one_of({k: v for k, v in CHANNEL_LABELS.items() if k != "portal"}, required=True)
    branch_office = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=NAME_MAX))
    representative_id = fields.Integer(load_default=None, allow_none=True)
    referrer_kind = _one_of(REFERRER_LABELS, load_default=None, allow_none=True)
    referrer_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=NAME_MAX))

    @validates_schema
    def _outside_referrer(self, data, **kwargs):
        if data.get("channel") != "outside_referral":
            return
        errors = {}
        if not data.get("referrer_kind"):
            errors["referrer_kind"] = [_l("Choose who referred the victim.")]
        if not (data.get("referrer_name") or "").strip():
            errors["referrer_name"] = [_l("Enter the name of the referring body.")]
        if errors:
            raise ValidationError(errors)

    @validates_schema
    def _branch_representative(self, data, **kwargs):
        if data.get("channel") != "branch_representative":
            return
        errors = {}
        if not (data.get("branch_office") or "").strip():
            errors["branch_office"] = [_l("Enter the branch office that received the case.")]
        if not data.get("representative_id"):
            errors["representative_id"] = [_l("Choose the representative who received the case.")]
        if errors:
            raise ValidationError(errors)


class CheckSchema(Strict):
    """Step 2: the person matched in the registry (by ID number or id) and the ID's validity."""

    national_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    person_id = fields.Integer(load_default=None, allow_none=True)


class ClarifySchema(Strict):
    """Step 3: the procedure was clear, or the applicant is referred to the social-research officer."""

    outcome = fields.String(
        required=True,
        validate=validate.OneOf(
            ("clear", "refer"),
            labels=(_l("Clear to the applicant"), _l("Refer to the officer")),
            error=CHOOSE,
        ),
    )
    officer_id = fields.Integer(load_default=None, allow_none=True)


class AnswerSchema(Strict):
    note = Text(required=True, validate=validate.Length(min=2, max=TEXT_MAX))


class DeclareSchema(Strict):
    signed_by = Name(load_default=None, allow_none=True, validate=validate.Length(max=255))


class NoteSchema(Strict):
    note = Text(load_default="", validate=validate.Length(max=TEXT_MAX))


class CategorySchema(Strict):
    code = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z][a-z0-9_]{1,39}$", error=_l("Latin lower-case letters, digits and _.")
        ),
    )
    name_ar = Name(required=True, validate=validate.Length(min=2, max=NAME_MAX))
    name_en = fields.String(load_default="", validate=validate.Length(max=NAME_MAX))


class StepOutSchema(Schema):
    step = fields.Integer()
    kind = fields.String()
    by_id = fields.Integer(allow_none=True)
    at = Timestamp()
    data = fields.Dict()


class CaseOutSchema(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    request_number = fields.String(allow_none=True)
    request_state = fields.String()
    person_id = fields.Integer(allow_none=True)
    relation = fields.String(allow_none=True)
    category_code = fields.String()
    incident_date = fields.Date(allow_none=True)
    city = fields.String()
    report_authority = fields.String(allow_none=True)
    report_reference = fields.String(allow_none=True)
    no_report_reason = fields.String(allow_none=True)
    channel = fields.String()
    branch_office = fields.String(allow_none=True)
    representative_id = fields.Integer(allow_none=True)
    referrer_kind = fields.String(allow_none=True)
    referrer_name = fields.String(allow_none=True)
    step = fields.Integer()
    submitted_on = fields.Date(allow_none=True)
    expected_answer_date = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    created_at = Timestamp()


class CaseDetailOutSchema(CaseOutSchema):
    timeline = fields.List(fields.Nested(StepOutSchema))


class CategoryOutSchema(Schema):
    code = fields.String()
    name_ar = fields.String()
    name_en = fields.String()
    active = fields.Boolean()


def application_schema(categories: list[tuple[str, str]]) -> type[Schema]:
    """The victim's fields on core's request forms (``request.extra["crime_victims"]``), with the
    tenant's crime categories as the choices."""
    codes = tuple(code for code, _label in categories)
    labels = tuple(label for _code, label in categories)
    return type(
        "ApplicationSchema",
        (IncidentSchema,),
        {
            # Optional here (a draft, core's other requests); required to submit on the portal
            # (``validate_request_submission``).
            "category_code": fields.String(
                load_default=None,
                allow_none=True,
                validate=validate.OneOf(codes, labels=labels, error=CHOOSE),
                metadata={"label": _l("Crime category"), "mandatory": True},
            ),
            "incident_date": IsoDate(
                load_default=None, allow_none=True, metadata={"label": _l("Incident date")}
            ),
            "city": fields.String(
                load_default="",
                validate=validate.Length(max=NAME_MAX),
                metadata={"label": _l("City of the incident")},
            ),
            "relation": _one_of(
                RELATION_LABELS,
                load_default=None,
                allow_none=True,
                metadata={
                    "label": _l("Your relation to the victim"),
                    "help": _l("Leave empty when you are the victim."),
                },
            ),
            "report_authority": _one_of(
                AUTHORITY_LABELS, load_default=None, allow_none=True, metadata={"label": _l("Report held by")}
            ),
            "report_reference": fields.String(
                load_default=None,
                allow_none=True,
                validate=validate.Length(max=NAME_MAX),
                metadata={"label": _l("Official report reference")},
            ),
            "no_report_reason": Text(
                load_default=None,
                allow_none=True,
                validate=validate.Length(max=TEXT_MAX),
                metadata={"label": _l("Why there is no official report")},
            ),
        },
    )


class NeedOutSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    area = fields.String()
    severity = fields.String()
    note = fields.String()
    owner_id = fields.Integer(allow_none=True)
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    aid_request_id = fields.Integer(allow_none=True)
    closed_reason = fields.String(allow_none=True)


class PartnerOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    services = fields.List(fields.String())
    contact_name = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    agreement_reference = fields.String(allow_none=True)
    agreement_until = fields.Date(allow_none=True)
    agreement_filename = fields.Function(
        lambda partner: (partner.agreement_file or {}).get("filename"),
        allow_none=True,
        metadata={
            "type": "string",
            "nullable": True,
            "description": "The name of the signed agreement file, if one was uploaded.",
        },
    )


class ReferralOutSchema(Schema):
    id = fields.Integer()
    need_id = fields.Integer()
    partner_id = fields.Integer()
    sent_on = fields.Date()
    status = fields.String()
    outcome = fields.String()
    follow_up_on = fields.Date(allow_none=True)
