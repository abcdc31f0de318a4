"""Tenant API for documents: upload (multipart), list, read, verify, download."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, fields, validate

from ..api import ApiBlueprint
from ..downloads import download_response
from ..extensions import db
from ..lookup import get_or_404
from ..schema_fields import Timestamp
from ..validation import Text
from . import services
from .models import Document

documents_api = ApiBlueprint("documents_api", __name__, description="Documents of persons and households")


class DocumentSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer(allow_none=True)
    household_id = fields.Integer(allow_none=True)
    request_id = fields.Integer(allow_none=True)
    doc_type = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    note = fields.String(allow_none=True)
    uploaded_by_id = fields.Integer(allow_none=True)
    uploaded_at = Timestamp()
    verified_by_id = fields.Integer(allow_none=True)
    verified_at = Timestamp(allow_none=True)


class UploadFormSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    doc_type = fields.String(required=True)
    person_id = fields.Integer(load_default=None)
    household_id = fields.Integer(load_default=None)
    request_id = fields.Integer(load_default=None)
    note = Text(load_default=None, validate=validate.Length(max=255))


class UploadFileSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"})


class DocumentListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    person_id = fields.Integer()
    household_id = fields.Integer()
    request_id = fields.Integer()


@documents_api.route("")
@documents_api.arguments(DocumentListArgs, location="query")
@documents_api.response(200, DocumentSchema(many=True))
@documents_api.requires("registry.read")
def list_documents(args):
    query = db.select(Document).order_by(Document.id.desc())
    if args.get("person_id"):
        query = query.where(Document.person_id == args["person_id"])
    if args.get("household_id"):
        query = query.where(Document.household_id == args["household_id"])
    if args.get("request_id"):
        query = query.where(Document.request_id == args["request_id"])
    return list(db.session.execute(query.limit(500)).unique().scalars())


@documents_api.route("", methods=["POST"])
@documents_api.arguments(UploadFormSchema, location="form")
@documents_api.arguments(UploadFileSchema, location="files")
@documents_api.response(201, DocumentSchema)
@documents_api.requires("registry.write")
def post_document(form, files):
    """Upload a document (multipart: ``file``, ``doc_type``, ``person_id`` or ``household_id``).
    PDF, JPEG, PNG or WebP only, decided by the content; size capped by MAX_UPLOAD_BYTES."""
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    document = services.upload(data, upload.filename if upload else None, form, user=current_user)
    db.session.commit()
    return document


@documents_api.route("/<int:document_id>")
@documents_api.response(200, DocumentSchema)
@documents_api.requires("registry.read")
def get_document(document_id):
    return get_or_404(Document, document_id)


@documents_api.route("/<int:document_id>/verify", methods=["POST"])
@documents_api.response(200, DocumentSchema)
@documents_api.requires("registry.verify_documents")
def verify_document(document_id):
    """Mark the document verified against the original (researcher)."""
    document = services.verify(get_or_404(Document, document_id), current_user)
    db.session.commit()
    return document


@documents_api.route("/<int:document_id>/content")
@documents_api.response(200, description="The file itself")
@documents_api.requires("registry.read")
def download_document(document_id):
    """The file, through this authorised route only; every download is audited."""
    return send_document(get_or_404(Document, document_id))


def send_document(document: Document) -> Response:
    try:
        data = services.read_content(document)
    except FileNotFoundError:
        abort(404)
    db.session.commit()
    return download_response(data, document.filename, document.content_type)
