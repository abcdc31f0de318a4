"""Uploading, verifying and reading documents. The type is decided by the content."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass

from flask import current_app
from marshmallow import ValidationError

from ..audit.services import record
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..lookup import get_in_tenant
from ..plugins import tenant_hooks
from ..registry.choices import Choice, merge_choices
from ..storage import get_storage, tenant_key
from ..tenancy import require_tenant, utcnow
from ..validation import check_text
from .files import EXTENSIONS, FileRefused, clean_file
from .models import Document


def document_types() -> list[Choice]:
    return merge_choices(tenant_hooks().register_document_types())


def document_type_label(code: str) -> str:
    """A document type in words (the templates' ``document_type`` filter): a receipt reads
    "proof of receipt" wherever it is listed, staff pages and the applicant's alike."""
    return next((str(c.label) for c in document_types() if c.code == code), code)


def _safe_filename(name: str | None, content_type: str) -> str:
    stem = re.sub(r"[^\w.\- ]", "_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .")[:120]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return f"{stem or 'document'}.{EXTENSIONS[content_type]}"


def accept_file(data: bytes) -> tuple[str | None, bytes, list]:
    """(content type, bytes to store, translated reasons it is refused): size, then the content,
    parsed (a PDF must open, an image is decoded and re-encoded; see ``files``)."""
    cap = current_app.config["MAX_UPLOAD_BYTES"]
    if not data:
        return None, data, [_l("Choose a file to upload.")]
    if len(data) > cap:
        return None, data, [_l("The file is larger than %(mb)s MB.", mb=round(cap / 1024 / 1024, 1))]
    try:
        content_type, cleaned = clean_file(data)
    except FileRefused as exc:
        return None, data, [exc.message]
    return content_type, cleaned, []


def check_file(data: bytes) -> tuple[str | None, list]:
    """The content type of an upload, or the translated reasons it is refused."""
    content_type, _cleaned, errors = accept_file(data)
    return content_type, errors


@dataclass(frozen=True)
class StoredFile:
    """A checked file kept in the tenant's storage outside the person/household/request
    documents (a policy document, a provider's contract): its key and what it is."""

    storage_key: str
    filename: str
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> dict:
        return asdict(self)


def store_file(
    data: bytes, filename: str | None, area: str, field: str = "file", kinds: Collection[str] | None = None
) -> StoredFile:
    """Check an upload like a document (content sniffed, parsed, re-encoded) and keep it in the
    tenant's storage under ``area``; raises ``ValidationError({field: [...]})``, nothing stored.
    ``kinds``: the content types accepted here (default: every kind core accepts).
    The caller keeps the returned key (and audits what it records)."""
    tenant = require_tenant()
    content_type, cleaned, errors = accept_file(data)
    if not errors and kinds is not None and content_type not in kinds:
        names = ", ".join(sorted(EXTENSIONS[kind].upper() for kind in kinds if kind in EXTENSIONS))
        errors = [_l("Only these kinds of file are accepted here: %(kinds)s.", kinds=names)]
    if errors:
        raise ValidationError({field: errors})
    key = tenant_key(tenant.id, area)
    get_storage().put(key, cleaned)
    return StoredFile(
        storage_key=key,
        filename=_safe_filename(filename, content_type),
        content_type=content_type,
        size=len(cleaned),
        sha256=hashlib.sha256(cleaned).hexdigest(),
    )


def read_stored(storage_key: str) -> bytes:
    """The bytes of a file kept by :func:`store_file`."""
    return get_storage().get(storage_key)


OWNER_UNKNOWN = {
    "person_id": _l("No such person in this association."),
    "household_id": _l("No such household in this association."),
    "request_id": _l("No such request in this association."),
}


def owner_model(field: str) -> type:
    """The model an owner column of :class:`Document` refers to, read from the column's tenant
    foreign key (``request_id`` → the aid request model), so documents name no feature above them."""
    constraint = next(fk for fk in Document.__table__.foreign_key_constraints if field in fk.column_keys)
    table = constraint.referred_table
    return next(mapper.class_ for mapper in db.Model.registry.mappers if mapper.local_table is table)


def upload(data: bytes, filename: str | None, fields: dict, user=None) -> Document:
    """Validate (owner, type, size, content) and store; raises ValidationError, nothing written.

    The owner is a person, a household or an aid request (``request_id``) of the current tenant.
    """
    tenant = require_tenant()
    errors: dict = {}
    if fields.get("doc_type") not in {c.code for c in document_types()}:
        errors["doc_type"] = [_l("Choose one of the listed values.")]
    person_id, household_id = fields.get("person_id"), fields.get("household_id")
    request_id = fields.get("request_id")
    if not (person_id or household_id or request_id):
        errors["person_id"] = [_l("Attach the document to a person or a household.")]
    for field, value in (
        ("person_id", person_id),
        ("household_id", household_id),
        ("request_id", request_id),
    ):
        if value and get_in_tenant(owner_model(field), value) is None:
            errors[field] = [OWNER_UNKNOWN[field]]
    note_errors = check_text(fields.get("note"))
    if note_errors:
        errors["note"] = note_errors
    content_type, data, file_errors = accept_file(data)
    if file_errors:
        errors["file"] = file_errors
    if errors:
        raise ValidationError(errors)
    key = tenant_key(tenant.id, "documents")
    document = Document(
        person_id=person_id,
        household_id=household_id,
        request_id=request_id,
        doc_type=fields["doc_type"],
        filename=_safe_filename(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        note=fields.get("note"),
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(document)
    db.session.flush()
    get_storage().put(key, data)
    record("documents.uploaded", "document", document.id, {"type": document.doc_type, "size": len(data)})
    return document


def verify(document: Document, user) -> Document:
    if document.verified_at is None:
        document.verified_by_id = user.id
        document.verified_at = utcnow()
        db.session.flush()
        record("documents.verified", "document", document.id)
    return document


def read_content(document: Document, *, audited: bool = True) -> bytes:
    """The stored bytes. Audited as a download, except where the owner chose to publish the file
    (``audited=False``: a product photo on a public page; anonymous views would flood the trail)."""
    if audited:
        record("documents.downloaded", "document", document.id)
    return get_storage().get(document.storage_key)


def documents_of(person_ids=(), household_id: int | None = None) -> list[Document]:
    conditions = []
    if person_ids:
        conditions.append(Document.person_id.in_(list(person_ids)))
    if household_id:
        conditions.append(Document.household_id == household_id)
    if not conditions:
        return []
    return list(
        db.session.execute(
            db.select(Document).where(db.or_(*conditions)).order_by(Document.uploaded_at.desc())
        )
        .unique()
        .scalars()
    )


def documents_of_request(request_id: int) -> list[Document]:
    """The documents attached to one aid request (uploaded on the portal or by staff), oldest first."""
    return list(
        db.session.execute(db.select(Document).where(Document.request_id == request_id).order_by(Document.id))
        .unique()
        .scalars()
    )
