"""Severe actions ask first and say what they did: the violation form preselects nothing, a
violation that brings a permanent sanction and an exclusion are confirmed on a page naming the file
and the consequence, and the success message names what was recorded."""

from __future__ import annotations

import re

from core.toolkit import BeneficiaryFile, db, tenant_context
from plugins.makkah_aid import services
from plugins.makkah_aid.models import ExclusionProposal, Violation

URL = "/t/first/makkah_aid"


def _violations(tenant, file_id: int) -> list[Violation]:
    with tenant_context(tenant):
        return list(db.session.scalars(db.select(Violation).where(Violation.file_id == file_id)))


def test_the_violation_form_preselects_no_violation(makkah, household, staff, login, client):
    file = household()
    login(staff["researcher"])
    page = client.get(f"{URL}/files/{file.id}/violations").get_data(as_text=True)
    form = page[page.index('id="violation-form"') :]
    select = form[form.index("<select") : form.index("</select>")]
    assert re.search(r'<option value="" selected>', select)
    assert select.count("selected") == 1 and "required" in select[: select.index(">")]


def test_a_violation_without_a_choice_is_refused_by_field(makkah, household, staff, login, client):
    file = household()
    login(staff["researcher"])
    response = client.post(f"{URL}/files/{file.id}/violations", data={"code": "", "notes": "x"})
    assert response.status_code == 422
    assert 'id="code-error"' in response.get_data(as_text=True)
    assert _violations(makkah, file.id) == []


def test_a_permanent_sanction_asks_first_naming_the_file_and_the_sanction(
    makkah, household, staff, login, client
):
    file = household()
    login(staff["researcher"])
    posted = {"code": "forged_documents", "notes": "مستند مزور"}
    asked = client.post(f"{URL}/files/{file.id}/violations", data=posted)
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'id="confirmation"' in page and f"{file.id}" in page
    assert "نهائي" in page  # the permanent sanction, in words
    assert _violations(makkah, file.id) == []

    done = client.post(f"{URL}/files/{file.id}/violations", data={**posted, "confirmed": "yes"})
    assert done.status_code == 302
    [violation] = _violations(makkah, file.id)
    assert violation.sanction_kind == "permanent"
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"تم تسجيل المخالفة على الملف {file.id}" in flashed


def test_a_timed_sanction_is_recorded_at_once_and_the_message_names_it(
    makkah, household, staff, login, client
):
    file = household()
    login(staff["researcher"])
    response = client.post(f"{URL}/files/{file.id}/violations?lang=en", data={"code": "refused_visit"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert f"Violation recorded on file {file.id}" in page and "Saved." not in page


def test_confirming_an_exclusion_asks_first_naming_the_file_and_the_reason(
    makkah, household, staff, login, client
):
    file = household()
    with tenant_context(makkah):
        proposal = services.propose(
            db.session.get(BeneficiaryFile, file.id),
            "refused_job",
            evidence={"days_late": 40, "service_area": ["مكة المكرمة", "جدة"]},
            actor=staff["researcher"],
        )
        db.session.commit()
        proposal_id = proposal.id
    login(staff["committee_member"])
    listing = client.get(f"{URL}/proposals").get_data(as_text=True)
    assert "['" not in listing and "<li>جدة</li>" in listing  # evidence lists as lists
    asked = client.post(f"{URL}/proposals", data={"action": "confirm", "proposal_id": proposal_id})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'id="confirmation"' in page and str(file.id) in page
    with tenant_context(makkah):
        assert db.session.get(ExclusionProposal, proposal_id).status == "proposed"
    done = client.post(
        f"{URL}/proposals", data={"action": "confirm", "proposal_id": proposal_id, "confirmed": "yes"}
    )
    assert done.status_code == 302
    with tenant_context(makkah):
        assert db.session.get(ExclusionProposal, proposal_id).status == "confirmed"
