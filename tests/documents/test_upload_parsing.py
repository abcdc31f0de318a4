"""Uploads are parsed, not only sniffed: a PDF must open with a PDF parser, an image is decoded
and re-encoded before storage (metadata and smuggled payloads gone), and a decompression
bomb is refused from its header."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from core.documents import Document
from core.extensions import db
from tests.files import PDF, make_image, make_pdf


def _upload(client, household_id, data, name="scan.pdf"):
    return client.post(
        "/documents",
        data={"file": (io.BytesIO(data), name), "doc_type": "id_copy", "household_id": str(household_id)},
        content_type="multipart/form-data",
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _stored(app, tenant, in_tenant) -> bytes:
    with in_tenant(tenant):
        document = db.session.execute(db.select(Document)).scalar_one()
        return (Path(app.config["STORAGE_DIR"]) / document.storage_key).read_bytes()


def _count(tenant, in_tenant) -> int:
    with in_tenant(tenant):
        return db.session.execute(db.select(db.func.count(Document.id))).scalar_one()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (PDF[: len(PDF) // 2], "تالف"),
        (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "تالف"),
        (b"%PDF-1.4\n" + b"0" * 64, "تالف"),
        (make_pdf(password="secret"), "كلمة مرور"),
    ],
    ids=["truncated", "no-objects", "header-only", "encrypted"],
)
def test_a_pdf_that_does_not_open_is_refused_with_a_field_error(
    api, officer, create_household, tenant, in_tenant, data, reason
):
    household = create_household(tenant)
    response = _upload(api(officer), household.id, data)
    assert response.status_code == 422
    assert reason in " ".join(response.json["errors"]["file"])
    assert _count(tenant, in_tenant) == 0


def test_a_real_pdf_is_stored_as_sent(app, api, officer, create_household, tenant, in_tenant, make_file):
    household = create_household(tenant)
    pdf = make_file("pdf", pages=2)
    assert _upload(api(officer), household.id, pdf).status_code == 201
    assert _stored(app, tenant, in_tenant) == pdf


@pytest.mark.parametrize(("kind", "fmt"), [("jpg", "JPEG"), ("png", "PNG"), ("webp", "WEBP")])
def test_images_are_re_encoded_in_their_format_without_metadata(
    app, api, officer, create_household, tenant, in_tenant, kind, fmt
):
    household = create_household(tenant)
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x8825] = {2: (21.0, 25.0, 0.0)}  # GPSInfo: a latitude
    photo = make_image(fmt, size=(16, 12), exif=exif.tobytes())
    assert b"secret description" in photo
    response = _upload(api(officer), household.id, photo, name=f"photo.{kind}")
    assert response.status_code == 201, response.json
    stored = _stored(app, tenant, in_tenant)
    assert b"secret description" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == fmt and image.size == (16, 12)
        assert not image.getexif()
    assert response.json["size"] == len(stored)


def test_a_jpeg_with_an_appended_html_and_zip_payload_is_neutralised(
    app, api, officer, create_household, tenant, in_tenant
):
    household = create_household(tenant)
    payload = b"<html><script>alert(document.cookie)</script></html>PK\x03\x04" + b"\x00" * 26
    polyglot = make_image("JPEG") + payload
    assert _upload(api(officer), household.id, polyglot, name="photo.jpg").status_code == 201
    stored = _stored(app, tenant, in_tenant)
    assert b"<script>" not in stored and b"PK\x03\x04" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"


def test_a_pdf_header_hidden_in_a_png_chunk_is_dropped(
    app, api, officer, create_household, tenant, in_tenant
):
    household = create_household(tenant)
    png = make_image("PNG")
    hidden = _png_chunk(b"tEXt", b"Comment\x00" + PDF)
    polyglot = png[:33] + hidden + png[33:]  # after the 8-byte signature and the IHDR chunk
    with Image.open(io.BytesIO(polyglot)) as image:
        image.load()  # still a valid PNG carrying a whole PDF
    assert _upload(api(officer), household.id, polyglot, name="scan.png").status_code == 201
    stored = _stored(app, tenant, in_tenant)
    assert b"%PDF" not in stored and stored.startswith(b"\x89PNG")


def test_an_image_header_claiming_a_huge_size_is_refused_before_decoding(
    api, officer, create_household, tenant, in_tenant
):
    household = create_household(tenant)
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)  # 3.6 gigapixels, RGB
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )
    response = _upload(api(officer), household.id, bomb, name="bomb.png")
    assert response.status_code == 422
    assert "كبيرة جدًا" in " ".join(response.json["errors"]["file"])
    assert _count(tenant, in_tenant) == 0


def test_the_pixel_limit_comes_from_config(app, api, officer, create_household, tenant):
    household = create_household(tenant)
    limit = app.config["MAX_IMAGE_PIXELS"]
    app.config["MAX_IMAGE_PIXELS"] = 100
    try:
        response = _upload(api(officer), household.id, make_image("PNG", size=(20, 20)), name="a.png")
    finally:
        app.config["MAX_IMAGE_PIXELS"] = limit
    assert response.status_code == 422 and "file" in response.json["errors"]


def test_a_truncated_image_is_refused(api, officer, create_household, tenant, in_tenant):
    household = create_household(tenant)
    jpeg = make_image("JPEG", size=(64, 64))
    response = _upload(api(officer), household.id, jpeg[: len(jpeg) // 2], name="cut.jpg")
    assert response.status_code == 422 and "file" in response.json["errors"]
    assert _count(tenant, in_tenant) == 0
