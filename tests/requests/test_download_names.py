"""Downloads keep their Arabic, Persian and mixed names (RFC 6266 ``filename*``) on every route:
the staff page, the API and the portal — and through a real server, which is where a raw
non-Latin-1 header used to fail."""

from __future__ import annotations

import http.client
import io
import threading
from email.message import Message

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.http import parse_options_header
from werkzeug.serving import make_server

from core.documents.models import Document
from core.downloads import ascii_fallback, content_disposition
from core.extensions import db
from core.tenancy import tenant_context
from tests.files import PDF
from tests.requests.test_documents_and_proof import _client_for, _portal_request

NAMES = ["تقرير الزيارة ٢.pdf", "گزارش.pdf", "report تقرير 2024.pdf", "résumé.pdf", "plain.pdf"]


def _filename(header: str) -> str:
    """The name a client reads from the header, by two independent parsers (they must agree):
    werkzeug's (which prefers ``filename*``) and the standard library's RFC 2231 decoder given
    the ``filename*`` parameter alone (it would otherwise prefer the ASCII fallback)."""
    kind, options = parse_options_header(header)
    assert kind == "attachment"
    extended = [p.strip() for p in header.split(";") if p.strip().startswith("filename*=")]
    message = Message()
    message["Content-Disposition"] = "attachment; " + (
        extended[0] if extended else header.split(";", 1)[1].strip()
    )
    assert options["filename"] == message.get_filename()
    return options["filename"]


def _ascii_part(header: str) -> str:
    header.encode("latin-1")  # what a server must be able to put on the wire
    return parse_options_header(header.split("; filename*=")[0])[1]["filename"]


@pytest.mark.parametrize("name", NAMES)
def test_content_disposition_round_trips_with_an_ascii_fallback(name):
    header = content_disposition(name)
    assert header.isascii()
    assert _filename(header) == name
    fallback = _ascii_part(header)
    assert fallback.isascii() and fallback.endswith(".pdf")


@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf")), min_size=1, max_size=40)
    .map(str.strip)  # stored names are trimmed (documents.services._safe_filename)
    .filter(bool)
)
def test_any_printable_name_survives_the_header(stem):
    name = f"{stem}.pdf"
    header = content_disposition(name)
    assert header.isascii()
    assert _filename(header) == name
    assert ascii_fallback(name).isascii()


def test_control_characters_never_reach_the_header():
    header = content_disposition("a\r\nSet-Cookie: x=1\x00.pdf")
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    assert _filename(header) == "aSet-Cookie: x=1.pdf"


def _upload_on_portal(app, tenant, applicant, name: str) -> tuple[int, int]:
    rid = _portal_request(tenant, applicant)
    portal = _client_for(app, applicant)
    sent = portal.post(
        f"/t/first/portal/requests/{rid}/documents",
        data={"doc_type": "id_copy", "file": (io.BytesIO(PDF), name)},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with tenant_context(tenant):
        document = db.session.scalars(db.select(Document).where(Document.request_id == rid)).one()
        assert document.filename == name
        return rid, document.id


@pytest.mark.parametrize("name", NAMES)
def test_a_named_document_downloads_on_the_staff_page_the_api_and_the_portal(
    app, tenant, staff, make_member, token_for, name
):
    applicant = make_member("fahad@example.org", tenant, ["applicant"])
    rid, doc_id = _upload_on_portal(app, tenant, applicant, name)
    researcher = staff["researcher"]
    routes = [
        (_client_for(app, researcher), f"/t/first/documents/{doc_id}/download", {}),
        (app.test_client(), f"/t/first/api/v1/documents/{doc_id}/content", token_for(researcher)),
        (_client_for(app, applicant), f"/t/first/portal/requests/{rid}/documents/{doc_id}", {}),
    ]
    for client, url, headers in routes:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert response.data == PDF
        assert _filename(response.headers["Content-Disposition"]) == name, url


@pytest.fixture
def real_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_an_arabic_name_downloads_through_a_real_server(
    app, tenant, staff, make_member, token_for, real_server
):
    name = "تقرير الزيارة ٢.pdf"
    applicant = make_member("fahad@example.org", tenant, ["applicant"])
    rid, doc_id = _upload_on_portal(app, tenant, applicant, name)
    staff_cookie = _client_for(app, staff["researcher"]).get_cookie("session")
    applicant_cookie = _client_for(app, applicant).get_cookie("session")
    routes = [
        (f"/t/first/api/v1/documents/{doc_id}/content", token_for(staff["researcher"])),
        (f"/t/first/documents/{doc_id}/download", {"Cookie": f"session={staff_cookie.value}"}),
        (
            f"/t/first/portal/requests/{rid}/documents/{doc_id}",
            {"Cookie": f"session={applicant_cookie.value}"},
        ),
    ]
    for path, headers in routes:
        connection = http.client.HTTPConnection("127.0.0.1", real_server, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200, (path, body[:300])
        assert body == PDF
        assert _filename(response.getheader("Content-Disposition")) == name
