"""The receipt as a PDF (core.pdf): Arabic shaped, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from core.extensions import db
from core.pdf import pdf_available
from core.tenancy import tenant_context

from .helpers import gift, supporter

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or not pdf_available(),
    reason="PDF libraries are installed by `make install`",
)
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_the_receipt_pdf_is_arabic_with_its_number_and_amount(client, tenant, staff, login, tmp_path):
    with tenant_context(tenant):
        donation = gift(staff["tenant_admin"], supporter(staff["tenant_admin"]), 150_050)
        db.session.commit()
        donation_id = donation.id
    login(staff["tenant_admin"])
    response = client.get(f"/t/first/supporters/donations/{donation_id}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "R1447-000001" in response.headers["Content-Disposition"]
    path = tmp_path / "receipt.pdf"
    path.write_bytes(response.data)
    text = BIDI_MARKS.sub("", subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                             text=True).stdout)  # fmt: skip
    assert "إيصال تبرع" in text and "R1447-000001" in text and "1,500.50" in text
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text)  # letters, not unshaped presentation forms
