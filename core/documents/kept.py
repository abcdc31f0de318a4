"""One file kept on a row outside the documents table (a partner's signed agreement, a training
contract, a procedure leaflet, a policy document): the upload and the download every such view
wrote out again, in one place.

A :class:`FileSlot` names what differs — the storage area, the row's attribute holding the
:class:`~core.documents.services.StoredFile` dict, the form/API field, the permission, the audit
actions and what they record, the accepted kinds — and gives the handlers' bodies:

- ``slot.sent()`` — the upload of the request's multipart field, ``(bytes, name)`` or ``(None, None)``;
- ``slot.keep(data, name, actor)`` — permission (403), a missing file (422 on the field), the
  content checked and stored (422 on the field, nothing written);
- ``slot.attach(row, stored, actor, details)`` — the row keeps it; audited (``replaced`` says
  whether it had one);
- ``slot.store(row, data, name, actor, details)`` — ``keep`` then ``attach``;
- ``slot.read(row, actor, details)`` — permission, none kept (404), the bytes, audited;
- ``slot.download(row, actor, details, **options)`` — ``read``, the audit entry committed, the
  answer through :func:`core.downloads.download_response` (same headers as every download).

Looking the row up in the tenant (another tenant's id: 404) stays the caller's: it is how the
row is named in the URL. Audit details hold codes, ids and the file's hash, never its content.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Response, request

from ..audit.services import record
from ..auth.permissions import can
from ..downloads import download_response
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..i18n import lazy_gettext as _l
from .services import StoredFile, read_stored, store_file

NOT_KEPT = _l("No file is kept here.")
NOT_ALLOWED = _l("Your role cannot take this step.")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass(frozen=True)
class FileSlot:
    """Where a row keeps one stored file, and how its upload and download are checked and audited."""

    area: str  # the tenant's storage area (``store_file``)
    stored_action: str  # audit action of an upload
    read_action: str  # audit action of a download
    entity: str | None = None  # audit object type (None: the row's class name)
    attribute: str = "file"  # the row's attribute holding the StoredFile dict
    field: str = "file"  # the multipart field, and the field its errors are reported on
    permission: str | None = None  # checked on upload and download (403); None: the route's own
    required: Any = None  # the error when no file is sent (None: ``store_file``'s own)
    missing: Any = NOT_KEPT  # the 404 text when the row keeps no file
    kinds: Collection[str] | None = None  # accepted content types (None: every kind core accepts)
    stored_details: tuple[str, ...] = ("sha256", "replaced")  # of "sha256", "size", "replaced"
    read_details: tuple[str, ...] = ()  # of "sha256"
    default_name: str = "download"

    # ----------------------------------------------------------------------------- checks

    def allow(self, actor: Any) -> None:
        if self.permission and not can(actor, self.permission):
            raise Forbidden(NOT_ALLOWED)

    def kept(self, row: Any) -> dict:
        """The StoredFile dict the row keeps (empty when none)."""
        return getattr(row, self.attribute, None) or {}

    # ----------------------------------------------------------------------------- upload

    def sent(self) -> tuple[bytes | None, str | None]:
        """The request's upload in :attr:`field`: its bytes and name, or ``(None, None)``."""
        upload = request.files.get(self.field)
        return (upload.read(), upload.filename) if upload else (None, None)

    def keep(self, data: bytes | None, filename: str | None, actor: Any = None) -> StoredFile:
        """Check and store an upload (not yet on a row); a refusal raises, nothing stored."""
        self.allow(actor)
        if not data and self.required is not None:
            raise Invalid({self.field: [self.required]})
        return store_file(data or b"", filename, self.area, self.field, kinds=self.kinds)

    def attach(self, row: Any, stored: StoredFile, actor: Any = None, details: dict | None = None) -> Any:
        """The row keeps ``stored`` (replacing what it kept); flushed and audited."""
        replaced = bool(self.kept(row).get("storage_key"))
        setattr(row, self.attribute, stored.as_dict())
        if sa.inspect(row, raiseerr=False) is not None and row not in db.session:
            db.session.add(row)  # a row made with its file (not a plain object)
        db.session.flush()
        facts = {"sha256": stored.sha256, "size": stored.size, "replaced": replaced}
        entry = dict(details or {}) | {key: facts[key] for key in self.stored_details}
        record(self.stored_action, self._entity(row), row.id, entry, user=_user(actor))
        return row

    def store(
        self,
        row: Any,
        data: bytes | None,
        filename: str | None,
        actor: Any = None,
        details: dict | None = None,
    ) -> Any:
        """:meth:`keep` then :meth:`attach`."""
        return self.attach(row, self.keep(data, filename, actor), actor, details)

    # ----------------------------------------------------------------------------- download

    def read(self, row: Any, actor: Any = None, details: dict | None = None) -> tuple[bytes, str, str]:
        """The kept file's bytes, name and type (audited); none kept: 404."""
        self.allow(actor)
        stored = self.kept(row)
        if not stored.get("storage_key"):
            raise NotFound(self.missing)
        data = read_stored(stored["storage_key"])
        entry = dict(details or {}) | {key: stored.get(key) for key in self.read_details}
        record(self.read_action, self._entity(row), row.id, entry, user=_user(actor))
        return (
            data,
            stored.get("filename") or self.default_name,
            stored.get("content_type") or "application/octet-stream",
        )

    def download(self, row: Any, actor: Any = None, details: dict | None = None, **options: Any) -> Response:
        """The whole download handler after the row's lookup: :meth:`read`, the audit entry
        committed, the file answered by ``download_response`` (``options``: its
        ``disposition``/``private``)."""
        data, filename, content_type = self.read(row, actor, details)
        db.session.commit()  # the download's audit entry
        return download_response(data, filename, content_type, **options)

    def _entity(self, row: Any) -> str:
        return self.entity or type(row).__name__
