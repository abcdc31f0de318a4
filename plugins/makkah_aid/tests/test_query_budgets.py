"""No N+1 in the Makkah plugin: its lists and queues, and the nightly scan, send as many queries
for 100 files as for 10 (``max_queries``; ``QUERY_FIGURES=<file>`` notes each figure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.testing import note_query_figure
from core.toolkit import AidRequest, db, tenant_context
from plugins.makkah_aid import services
from plugins.makkah_aid.models import ExclusionProposal

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


def test_scan_all_proposes_what_scanning_each_file_proposes(makkah, household, staff):
    """The prefetched scan keeps the rules' behaviour: new proposals per file, none twice, none
    a person dismissed, none where a pending one exists, late renewals per round."""
    with tenant_context(makkah):
        moved, workers, dismissed, pending, quiet = (
            household(1, city="الرياض"),
            household(2, workers=3),
            household(3, city="الرياض"),
            household(4, workers=3),
            household(5),
        )
        services.dismiss(
            services.propose(dismissed, "moved_away", evidence={}, source="staff"), staff["committee_member"]
        )
        services.propose(pending, "workers", evidence={}, source="staff")
        services.announce_round(
            {"title": "جولة", "announced_on": datetime.now(UTC).date() - timedelta(days=61)},
            staff["tenant_admin"],
        )
        services.record_renewal(services.rounds()[0], quiet, None, staff["relations_officer"])
        db.session.commit()
        assert services.scan_all() == 6
        made = {
            (p.file_id, p.reason)
            for p in db.session.scalars(
                db.select(ExclusionProposal).where(ExclusionProposal.source == "automatic")
            )
        }
        assert made == {
            (moved.id, "moved_away"),
            (moved.id, "late_renewal"),
            (workers.id, "workers"),
            (workers.id, "late_renewal"),
            (dismissed.id, "late_renewal"),
            (pending.id, "late_renewal"),
        }
        assert services.scan_all() == 0
