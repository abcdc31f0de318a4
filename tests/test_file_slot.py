"""core.documents.kept.FileSlot: the one helper behind the stored-file upload and download views
(a partner's agreement, a training contract, a leaflet, a policy's file). Checked here on a dummy
row: the permission (403), a missing or bad file (422 on the field, nothing stored, nothing
audited), the accepted kinds, the download's headers and audit entries; and, through the policies'
routes that use it, another tenant's row is a 404."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from marshmallow import ValidationError

from core.audit.models import AuditEvent
from core.errors import Forbidden, NotFound
from core.extensions import db
from core.policies import services as policies
from core.tenancy import tenant_context
from core.testing import PDF, PNG
from core.toolkit import FileSlot

SLOT = FileSlot(
    area="test_slot",
    stored_action="test.file.stored",
    read_action="test.file.read",
    entity="test_row",
    attribute="paper",
    field="paper",
    permission="policies.manage",
    required="Choose the paper.",
    missing="No paper is kept.",
    stored_details=("sha256", "size", "replaced"),
    read_details=("sha256",),
)


@dataclass
class Row:
    """A dummy row: an id and the attribute the slot keeps its file in."""

    id: int = 7
    paper: dict = field(default_factory=dict)


def _trail() -> list[tuple[str, str, dict]]:
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))
    return [(e.action, e.object_type, e.details) for e in events if e.action.startswith("test.")]


def _stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file() and "test_slot" in p.parts]


def test_an_upload_is_kept_on_the_row_and_audited_with_its_hash(in_first, staff, app):
    before = len(_stored_files(app))
    row = Row()
    SLOT.store(row, PDF, "عقد.pdf", staff["tenant_admin"], {"kind": "x"})
    assert row.paper["filename"] == "عقد.pdf" and row.paper["content_type"] == "application/pdf"
    SLOT.store(row, PNG, "scan.png", staff["tenant_admin"])
    (first, first_type, first_details), (_, _, second) = _trail()
    assert (first, first_type) == ("test.file.stored", "test_row")
    assert first_details == {
        "kind": "x",
        "sha256": first_details["sha256"],
        "size": len(PDF),
        "replaced": False,
    }
    assert second["replaced"] is True and len(_stored_files(app)) == before + 2


def test_a_missing_or_bad_file_is_a_field_error_and_nothing_is_written(in_first, staff, app):
    before = _stored_files(app)
    row = Row()
    with pytest.raises(ValidationError) as empty:
        SLOT.store(row, None, None, staff["tenant_admin"])
    assert empty.value.messages == {"paper": ["Choose the paper."]}
    with pytest.raises(ValidationError) as bad:
        SLOT.store(row, b"not a pdf at all", "a.pdf", staff["tenant_admin"])
    assert list(bad.value.messages) == ["paper"]
    assert row.paper == {} and _trail() == [] and _stored_files(app) == before


def test_a_kind_the_slot_does_not_accept_is_refused_on_its_field(in_first, staff, app):
    before = _stored_files(app)
    pdf_only = FileSlot(
        area="test_slot", stored_action="test.a", read_action="test.b", kinds={"application/pdf"}
    )
    with pytest.raises(ValidationError) as refused:
        pdf_only.store(Row(), PNG, "scan.png", staff["tenant_admin"])
    assert list(refused.value.messages) == ["file"] and "PDF" in str(refused.value.messages["file"][0])
    assert _stored_files(app) == before
    row = Row(paper={})
    kept = FileSlot(area="test_slot", stored_action="test.a", read_action="test.b", attribute="paper")
    kept.store(row, PDF, "a.pdf", staff["tenant_admin"])
    assert row.paper["content_type"] == "application/pdf"


def test_without_the_permission_neither_upload_nor_download(in_first, staff, app):
    before = _stored_files(app)
    row = Row()
    with pytest.raises(Forbidden):
        SLOT.store(row, PDF, "a.pdf", staff["executive_director"])
    assert row.paper == {} and _stored_files(app) == before
    SLOT.store(row, PDF, "a.pdf", staff["tenant_admin"])
    with pytest.raises(Forbidden):
        SLOT.download(row, staff["executive_director"])
    assert [action for action, _, _ in _trail()] == ["test.file.stored"]


def test_a_row_without_a_file_is_a_404(in_first, staff):
    with pytest.raises(NotFound) as none:
        SLOT.download(Row(), staff["tenant_admin"])
    assert str(none.value) == "No paper is kept." and _trail() == []


def test_the_download_answers_with_the_platform_headers_and_is_audited(in_first, staff):
    row = Row()
    SLOT.store(row, PDF, "اتفاقية الشراكة.pdf", staff["tenant_admin"])
    response = SLOT.download(row, staff["tenant_admin"], {"kind": "x"})
    assert response.get_data().startswith(b"%PDF") and response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    stored, read = _trail()
    assert read == ("test.file.read", "test_row", {"kind": "x", "sha256": stored[2]["sha256"]})


def test_the_request_upload_is_read_from_the_slots_field(app):
    with app.test_request_context("/", method="POST", data={"paper": (io.BytesIO(PDF), "a.pdf")}):
        assert SLOT.sent() == (PDF, "a.pdf")
    with app.test_request_context("/", method="POST", data={}):
        assert SLOT.sent() == (None, None)


def test_another_tenants_row_is_a_404_through_a_route_using_the_slot(
    client, token_for, staff, other_tenant, create_user_, tenant
):
    other_admin = create_user_(roles={other_tenant: ["tenant_admin"]})
    with tenant_context(other_tenant):
        theirs = policies.add_policy(
            {"title": "لائحة", "kind": "other", "version": "1", "in_force_from": policies.today()},
            other_admin,
            PDF,
            "a.pdf",
        )
        db.session.commit()
        theirs_id = theirs.id
    headers = token_for(staff["tenant_admin"])
    assert client.get(f"/t/first/api/v1/policies/{theirs_id}/file", headers=headers).status_code == 404
    with tenant_context(other_tenant):
        downloads = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "policy.downloaded"))
        assert list(downloads) == []
