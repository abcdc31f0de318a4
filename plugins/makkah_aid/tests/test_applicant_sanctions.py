"""A sanction on a file still in the ``applicant`` state shows: the file is suspended (no new
aid), the household page says what, since, until and by whom, and the file goes back to
``applicant`` when the sanction ends."""

from __future__ import annotations

from datetime import timedelta

from core.toolkit import BeneficiaryFile, create_household, db
from core.toolkit import today as tenant_today
from plugins.makkah_aid import rules, services

from .helpers import national_id


def _applicant_file():
    household = create_household(
        {
            "head": {
                "first_name": "سلمى",
                "father_name": "علي",
                "grandfather_name": "حسن",
                "family_name": "الزهراني",
                "national_id": national_id(7001),
                "monthly_income": 100_000,
            },
            "housing_tenure": "owned",
            "category": "family",
        }
    )
    return db.session.scalars(
        db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
    ).one()


def test_a_sanction_on_an_applicants_file_suspends_it_and_the_household_page_says_so(
    makkah, client, login, staff
):
    file = _applicant_file()
    assert file.status == "applicant"
    services.record_violation(file, {"code": "false_information"}, staff["researcher"])
    assert (file.status, file.suspended_until) == ("suspended", rules.add_months(tenant_today(), 12))
    household_id = file.household_id
    db.session.commit()
    login(staff["relations_officer"])
    page = client.get(f"/t/first/registry/households/{household_id}?lang=en").get_data(as_text=True)
    suspension = page.split('id="file-suspension"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "Suspended" in suspension and "until" in suspension and "No new approval" in suspension
    panel = page.split('id="makkah-sanctions"', 1)[1].split("</section>", 1)[0]
    assert 'data-kind="timed"' in panel
    assert "false_information" not in panel  # the violation in words, not its code
    assert "Since" in panel and "Until" in panel and "researcher" in panel


def test_an_applicants_file_goes_back_to_applicant_when_the_sanction_ends(makkah, staff):
    file = _applicant_file()
    started = tenant_today() - timedelta(days=70)
    services.record_violation(file, {"code": "refused_visit", "occurred_on": started}, staff["researcher"])
    assert file.status == "suspended"
    services.lift_expired(file)  # two months are over
    assert file.status == "applicant"


def test_an_active_file_goes_back_to_active_when_the_sanction_ends(makkah, household, staff):
    file = household()
    started = tenant_today() - timedelta(days=70)
    services.record_violation(file, {"code": "refused_visit", "occurred_on": started}, staff["researcher"])
    services.lift_expired(file)
    assert file.status == "active"
