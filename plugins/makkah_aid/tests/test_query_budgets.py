"""No N+1 in the Makkah plugin: its lists and queues, and the nightly scan, send as many queries
for 100 files as for 10 (``max_queries``; ``QUERY_FIGURES=<file>`` notes each figure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from core.requests.models import AidRequest
from core.tenancy import tenant_context
from plugins.makkah_aid import services
from tests.fixtures import note_query_figure

ROWS = [10, 100]


@pytest.fixture
def files(makkah, household, staff):
    """``files(n)``: ``n`` active files in a renewal round, each with a violation and a pending
    exclusion proposal, and ``n`` requests in research; the ids of the files."""

    def make(n: int) -> list[int]:
        with tenant_context(makkah):
            made = [household(i + 1) for i in range(n)]
            for file in made:
                services.record_violation(file, {"code": "stalling_information"}, staff["researcher"])
                services.propose(file, "assault", evidence={}, source="staff")
            services.announce_round({"title": "جولة التحديث"}, staff["tenant_admin"])
            long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=5)
            for i, file in enumerate(made):
                db.session.add(
                    AidRequest(
                        state="in_research",
                        channel="phone",
                        applicant_name=f"مقدم {i}",
                        number=f"1447-{i + 1:06d}",
                        submitted_at=long_ago,
                        file_id=file.id,
                    )
                )
            db.session.commit()
            return [f.id for f in made]

    return make


PAGES = {
    "makkah assessments": ("/t/first/makkah_aid/assessments", 12),
    "makkah violations": ("/t/first/makkah_aid/violations", 12),
    "makkah renewal round (due and late lists)": ("/t/first/makkah_aid/rounds", 14),
    "makkah exclusion queue": ("/t/first/makkah_aid/proposals?status=proposed", 12),
    "API makkah rounds": ("/t/first/api/v1/makkah_aid/rounds", 10),
    "API makkah exclusion queue": ("/t/first/api/v1/makkah_aid/proposals", 10),
}


@pytest.mark.parametrize("rows", ROWS)
def test_makkah_lists_keep_their_budget_at_any_size(
    rows, files, staff, token_for, login, client, page_budget
):
    files(rows)
    headers = token_for(staff["tenant_admin"])
    for page, (url, budget) in PAGES.items():
        if "/api/" in url:
            page_budget(page, rows, budget, lambda url=url: client.get(url, headers=headers))
    login(staff["tenant_admin"])
    for page, (url, budget) in PAGES.items():
        if "/api/" not in url:
            page_budget(page, rows, budget, lambda url=url: client.get(url))


@pytest.mark.parametrize("rows", ROWS)
def test_file_violations_page_and_api_keep_their_budget(
    rows, makkah, household, staff, token_for, client, login, page_budget
):
    with tenant_context(makkah):
        file = household(1)
        for _ in range(rows):
            services.record_violation(file, {"code": "unreported_contact_change"}, staff["researcher"])
        db.session.commit()
        file_id = file.id
    headers = token_for(staff["tenant_admin"])
    url = f"/t/first/api/v1/makkah_aid/files/{file_id}/violations"
    page_budget("API makkah file violations", rows, 12, lambda: client.get(url, headers=headers))
    login(staff["tenant_admin"])
    page_budget(
        "makkah file violations",
        rows,
        16,
        lambda: client.get(f"/t/first/makkah_aid/files/{file_id}/violations"),
    )


@pytest.mark.parametrize("rows", ROWS)
def test_nightly_scan_keeps_its_budget_at_any_size(rows, makkah, household, max_queries):
    """The automatic rules over every file: a fixed number of queries, not five to seven per file."""
    with tenant_context(makkah):
        for i in range(rows):
            household(i + 1)
        db.session.commit()
        try:
            with max_queries(12, label=f"scan_all, {rows} files") as captured:
                made = services.scan_all()
        finally:
            note_query_figure("makkah scan_all (no proposal due)", rows, captured.count)
        assert made == 0
