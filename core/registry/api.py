"""Tenant API of the registry: persons, households, members, files and their events,
data-sharing agreements. Mounted at ``/t/<tenant>/api/v1/…``; another tenant's id → 404."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields
from sqlalchemy.orm import selectinload

from ..api import ApiBlueprint
from ..audit.services import record
from ..calendar import today
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..schema_fields import Timestamp
from ..tenancy.services import get_tenant
from . import services
from .importer import check_interrupted, start_import
from .models import BeneficiaryFile, Household, ImportJob, Member, Person
from .schemas import (
    BeneficiaryFileEventSchema,
    BeneficiaryFileSchema,
    DuplicateSignalSchema,
    FileListArgsSchema,
    HouseholdListItemSchema,
    HouseholdMemberPatchSchema,
    HouseholdMemberSchema,
    HouseholdOutSchema,
    HouseholdSchema,
    HouseholdUpdateSchema,
    PersonOutSchema,
    PersonPatchSchema,
    PersonSchema,
    RenewalSchema,
    SearchArgsSchema,
    SharingAgreementSchema,
    StatusChangeSchema,
)

persons_api = ApiBlueprint(
    "registry_persons_api", __name__, description="Persons of the beneficiary registry"
)
households_api = ApiBlueprint("registry_households_api", __name__, description="Households and their members")
files_api = ApiBlueprint("registry_files_api", __name__, description="Beneficiary files: status and history")
sharing_api = ApiBlueprint("registry_sharing_api", __name__, description="Data-sharing agreements")
imports_api = ApiBlueprint("registry_imports_api", __name__, description="Household imports (CSV, XLSX)")


def _dump_file(file: BeneficiaryFile) -> BeneficiaryFile:
    return file


def _dump_household(household: Household) -> Household:
    db.session.refresh(household)  # load members and file written in this request
    return household


# --------------------------------------------------------------------------- persons


@persons_api.route("")
@persons_api.arguments(SearchArgsSchema, location="query")
@persons_api.response(200, PersonOutSchema(many=True))
@persons_api.paginate()
@persons_api.requires("registry.read")
def list_persons(args, pagination_parameters):
    """Search by ID number (exact; any digits) or by name (any Arabic spelling variant, prefix)."""
    rows, total = services.search_persons(
        args["q"], pagination_parameters.page, pagination_parameters.page_size
    )
    pagination_parameters.item_count = total
    record(
        "registry.person.searched",
        "person",
        None,
        {"results": total, "by": "id" if services.id_query(args["q"]) else "name"},
    )
    ids = [person.id for person in rows]
    db.session.commit()
    # The commit expired the rows: reload them in one query, not one per row.
    db.session.scalars(db.select(Person).where(Person.id.in_(ids))).all()
    return rows


@persons_api.route("", methods=["POST"])
@persons_api.arguments(PersonSchema)
@persons_api.response(201, PersonOutSchema)
@persons_api.requires("registry.write")
def post_person(data):
    """Register a person (ID number checked: 10 digits, 1… citizen, 2… resident, check digit)."""
    person = services.create_person(data)
    db.session.commit()
    return person


@persons_api.route("/<int:person_id>")
@persons_api.response(200, PersonOutSchema)
@persons_api.requires("registry.read")
def get_person(person_id):
    person = get_or_404(Person, person_id)
    record("registry.person.read", "person", person.id)
    db.session.commit()
    return person


@persons_api.route("/<int:person_id>", methods=["PATCH"])
@persons_api.arguments(PersonPatchSchema(partial=True))
@persons_api.response(200, PersonOutSchema)
@persons_api.requires("registry.write")
def patch_person(data, person_id):
    person = services.update_person(get_or_404(Person, person_id), data)
    db.session.commit()
    return person


@persons_api.route("/<int:person_id>/duplicates")
@persons_api.response(200, DuplicateSignalSchema)
@persons_api.requires("registry.read")
def person_duplicates(person_id):
    """How many other associations registered this ID number (nothing else), and the aid
    totals of partners under a data-sharing agreement in force."""
    person = get_or_404(Person, person_id)
    result = services.duplicate_signal(person)
    record(
        "registry.person.duplicates_checked", "person", person.id, {"others": result["other_associations"]}
    )
    db.session.commit()
    return result


# --------------------------------------------------------------------------- households


@households_api.route("")
@households_api.response(200, HouseholdListItemSchema(many=True))
@households_api.paginate()
@households_api.requires("registry.read")
def list_households(pagination_parameters):
    query = (
        db.select(Household)
        .options(selectinload(Household.file), selectinload(Household.members))
        .order_by(Household.id.desc())
    )
    pagination_parameters.item_count = db.session.execute(db.select(db.func.count(Household.id))).scalar_one()
    return list(
        db.session.execute(
            query.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
        )
        .unique()
        .scalars()
    )


@households_api.route("", methods=["POST"])
@households_api.arguments(HouseholdSchema)
@households_api.response(201, HouseholdOutSchema)
@households_api.requires("registry.write")
def post_household(data):
    """Register a household: its head (new, under ``head``, or ``head_person_id``), housing,
    category, members; its beneficiary file starts as ``applicant``."""
    household = services.create_household(data, user=current_user)
    db.session.commit()
    return _dump_household(household)


@households_api.route("/<int:household_id>")
@households_api.response(200, HouseholdOutSchema)
@households_api.requires("registry.read")
def get_household(household_id):
    household = get_or_404(Household, household_id)
    record("registry.file.read", "household", household.id)
    db.session.commit()
    return _dump_household(household)


@households_api.route("/<int:household_id>", methods=["PATCH"])
@households_api.arguments(HouseholdUpdateSchema(partial=True))
@households_api.response(200, HouseholdOutSchema)
@households_api.requires("registry.write")
def patch_household(data, household_id):
    household = services.update_household(get_or_404(Household, household_id), data)
    db.session.commit()
    return _dump_household(household)


@households_api.route("/<int:household_id>/members")
@households_api.response(200, HouseholdMemberSchema(many=True))
@households_api.requires("registry.read")
def list_members(household_id):
    household = get_or_404(Household, household_id)
    record("registry.file.read", "household", household.id, {"part": "members"})
    db.session.commit()
    return household.members


@households_api.route("/<int:household_id>/members", methods=["POST"])
@households_api.arguments(HouseholdMemberSchema)
@households_api.response(201, HouseholdMemberSchema)
@households_api.requires("registry.write")
def post_member(data, household_id):
    member = services.add_member(get_or_404(Household, household_id), data)
    db.session.commit()
    return member


def _member_or_404(household_id: int, member_id: int) -> Member:
    return get_or_404(Member, member_id, household_id=household_id)


@households_api.route("/<int:household_id>/members/<int:member_id>")
@households_api.response(200, HouseholdMemberSchema)
@households_api.requires("registry.read")
def get_member(household_id, member_id):
    member = _member_or_404(household_id, member_id)
    record("registry.file.read", "household", household_id, {"member": member.id})
    db.session.commit()
    return member


@households_api.route("/<int:household_id>/members/<int:member_id>", methods=["PATCH"])
@households_api.arguments(HouseholdMemberPatchSchema(partial=True))
@households_api.response(200, HouseholdMemberSchema)
@households_api.requires("registry.write")
def patch_member(data, household_id, member_id):
    member = services.update_member(_member_or_404(household_id, member_id), data)
    db.session.commit()
    return member


@households_api.route("/<int:household_id>/members/<int:member_id>", methods=["DELETE"])
@households_api.response(204)
@households_api.requires("registry.write")
def delete_member(household_id, member_id):
    services.remove_member(_member_or_404(household_id, member_id))
    db.session.commit()


# --------------------------------------------------------------------------- files


@files_api.route("")
@files_api.arguments(FileListArgsSchema, location="query")
@files_api.response(200, BeneficiaryFileSchema(many=True))
@files_api.paginate()
@files_api.requires("registry.read")
def list_files(args, pagination_parameters):
    """Files, by status; ``renewal_overdue=true`` lists those past their renewal date."""
    query = db.select(BeneficiaryFile)
    if args.get("status"):
        query = query.where(BeneficiaryFile.status == args["status"])
    if args.get("renewal_overdue"):
        query = query.where(BeneficiaryFile.next_renewal_due < today())
    pagination_parameters.item_count = db.session.execute(
        db.select(db.func.count()).select_from(query.subquery())
    ).scalar_one()
    rows = (
        db.session.execute(
            query.order_by(BeneficiaryFile.id.desc())
            .limit(pagination_parameters.page_size)
            .offset(pagination_parameters.first_item)
        )
        .unique()
        .scalars()
    )
    return [_dump_file(f) for f in rows]


@files_api.route("/<int:file_id>")
@files_api.response(200, BeneficiaryFileSchema)
@files_api.requires("registry.read")
def get_file(file_id):
    file = get_or_404(BeneficiaryFile, file_id)
    record("registry.file.read", "file", file.id)
    db.session.commit()
    return _dump_file(file)


@files_api.route("/<int:file_id>/events")
@files_api.response(200, BeneficiaryFileEventSchema(many=True))
@files_api.requires("registry.read")
def get_file_events(file_id):
    """The file's history: who changed what, when and why."""
    file = get_or_404(BeneficiaryFile, file_id)
    record("registry.file.read", "file", file.id, {"part": "events"})
    db.session.commit()
    return services.file_events(file)


@files_api.route("/<int:file_id>/status", methods=["POST"])
@files_api.arguments(StatusChangeSchema)
@files_api.response(200, BeneficiaryFileSchema)
@files_api.requires("registry.status")
def post_file_status(data, file_id):
    """Change the status (applicant, active, suspended, excluded, closed) with a reason."""
    file = services.change_status(get_or_404(BeneficiaryFile, file_id), data, user=current_user)
    db.session.commit()
    return _dump_file(file)


@files_api.route("/<int:file_id>/renewals", methods=["POST"])
@files_api.arguments(RenewalSchema)
@files_api.response(200, BeneficiaryFileSchema)
@files_api.requires("registry.write")
def post_file_renewal(data, file_id):
    """Record that the household renewed its data; the next due date follows the tenant's interval."""
    file = services.renew_file(get_or_404(BeneficiaryFile, file_id), data, user=current_user)
    db.session.commit()
    return _dump_file(file)


# --------------------------------------------------------------------------- sharing


class PartnerSchema(Schema):
    partner = fields.String(required=True)


@sharing_api.route("")
@sharing_api.response(200, SharingAgreementSchema(many=True))
@sharing_api.requires("registry.sharing")
def list_agreements():
    return services.agreements_view()


@sharing_api.route("", methods=["POST"])
@sharing_api.arguments(PartnerSchema)
@sharing_api.response(201, SharingAgreementSchema)
@sharing_api.requires("registry.sharing")
def post_agreement(data):
    """Accept sharing aid totals with another association (in force once both accepted)."""
    partner = get_tenant(data["partner"])
    if partner is None:
        raise ValidationError({"partner": [_l("No such association.")]})
    services.accept_agreement(partner)
    db.session.commit()
    return next(a for a in services.agreements_view() if a["partner_slug"] == partner.slug)


@sharing_api.route("/<partner>", methods=["DELETE"])
@sharing_api.response(204)
@sharing_api.requires("registry.sharing")
def delete_agreement(partner):
    tenant = get_tenant(partner) or abort(404)
    services.revoke_agreement(tenant)
    db.session.commit()


# --------------------------------------------------------------------------- imports


class ImportJobSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    status = fields.String(metadata={"enum": ["pending", "running", "done", "failed", "interrupted"]})
    # Why it failed or stopped: invalid_input, worker_lost (a Celery worker died), server_stopped
    # (the web process running it stopped), error.
    reason = fields.String(allow_none=True)
    only_good_rows = fields.Boolean()
    total_rows = fields.Integer()
    validated_rows = fields.Integer()
    processed_rows = fields.Integer()
    progress = fields.Integer()
    households_created = fields.Integer()
    errors = fields.List(fields.Dict())
    created_at = Timestamp()
    finished_at = Timestamp(allow_none=True)


class ImportFormSchema(Schema):
    only_good_rows = fields.Boolean(load_default=False)


class ImportFileSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


@imports_api.route("", methods=["POST"])
@imports_api.arguments(ImportFormSchema, location="form")
@imports_api.arguments(ImportFileSchema, location="files")
@imports_api.response(201, ImportJobSchema)
@imports_api.requires("registry.import")
def post_import(form, files):
    """Upload a CSV/XLSX of households. Small files are checked and imported at once; big
    ones run in the background — poll ``GET /imports/<id>`` for progress and errors."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError({"file": [_l("Choose a file to upload.")]})
    job = start_import(upload.filename, upload.read(), form["only_good_rows"], user=current_user)
    db.session.commit()
    return job


@imports_api.route("/<int:job_id>")
@imports_api.response(200, ImportJobSchema)
@imports_api.requires("registry.import")
def get_import(job_id):
    """Progress (validation is the first half, writing the second) and errors; a job whose
    runner stopped reporting is answered ``interrupted`` (in-process) or ``failed`` with the
    reason ``worker_lost`` (Celery worker). Nothing of such an import was written."""
    job = get_or_404(ImportJob, job_id)
    if job.status in ("pending", "running") and check_interrupted(job):
        db.session.commit()
    return job
