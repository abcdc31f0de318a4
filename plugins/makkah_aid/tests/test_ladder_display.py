"""Issue 18: every row of the violations ladder, occurrence by occurrence — what the household
page and the applicant's portal show (not only the stored status): the file's state is the
strongest sanction in force, in the right words. Violation 3's second sanction is an indefinite
stop, recorded only when the researcher AND the executive director documented it."""

from __future__ import annotations

import html
from datetime import date

import pytest
from marshmallow import ValidationError

from core.toolkit import db
from core.toolkit import today as tenant_today
from plugins.makkah_aid import rules, services

from .helpers import complete_request


def _documented(staff) -> dict:
    return {"researcher": staff["researcher"].id, "executive_director": staff["executive_director"].id}


def _pages(file, staff, client, login, new_request) -> tuple[str, str]:
    request = complete_request(new_request, file)
    request.applicant_user_id = staff["applicant"].id
    household_id = file.household_id
    db.session.commit()
    login(staff["relations_officer"])
    household = html.unescape(
        client.get(f"/t/first/registry/households/{household_id}?lang=en").get_data(as_text=True)
    )
    client.post("/logout")
    login(staff["applicant"])
    portal = html.unescape(client.get("/t/first/makkah_aid/portal?lang=en").get_data(as_text=True))
    return household, portal


def _in_months(months: int) -> str:
    """The end date as the pages print its Gregorian part (beside the Hijri one)."""
    return rules.add_months(tenant_today(), months).isoformat()


# (code, occurrences recorded, the state words both pages show, core's suspension line)
LADDER_ROWS = [
    ("forged_documents", 1, "Permanent suspension of the family's services", "permanently"),
    ("false_information", 1, "Suspension for 12 months", "until"),
    ("false_information", 2, "Permanent suspension of the family's services", "permanently"),
    ("refused_visit", 1, "Suspension for 2 months", "until"),
    ("refused_visit", 2, "Services stopped with no end date — documented by", "with no end date"),
    ("stalling_information", 1, "Suspension until: ", "until: "),
    ("unreported_contact_change", 1, "Suspension until: ", "until: "),
    ("physical_assault", 1, "Dismissal and permanent deprivation of services", None),
    ("abusive_language", 1, "Suspension until: ", "until: "),
    ("provider_misconduct", 1, "Suspension for 2 months", "until"),
    ("provider_misconduct", 2, "Permanent suspension of the family's services", "permanently"),
    ("hidden_marriage_or_death", 1, "Suspension for 2 months", "until"),
    ("hidden_marriage_or_death", 2, "Permanent suspension of the family's services", "permanently"),
    ("sold_appliances", 1, "Suspension for 12 months", "until"),
    ("sold_appliances", 2, "Permanent suspension of the family's services", "permanently"),
]


@pytest.mark.parametrize(("code", "times", "words", "core_line"), LADDER_ROWS)
def test_each_ladder_row_shows_its_sanction_on_the_household_page_and_the_portal(
    code, times, words, core_line, makkah, household, staff, client, login, new_request
):
    file = household()
    for n in range(times):
        data = {"code": code, "notes": "وثق الفريق ذلك"}
        if rules.sanction_for(services.settings(), code, n + 1).get("documented_by"):
            data["documented_by"] = _documented(staff)
        services.record_violation(file, data, staff["researcher"])
    state = services.displayed_state(file)
    household_page, portal = _pages(file, staff, client, login, new_request)
    panel = household_page.split('id="makkah-sanctions"', 1)[1].split("</section>", 1)[0]
    shown = panel.split('id="file-sanction-state"', 1)[1].split("</p>", 1)[0]
    assert words in shown
    mine = portal.split(f'data-file-state="{file.id}"', 1)[1].split("</section>", 1)[0]
    assert words in mine and f'data-kind="{state["kind"]}"' in mine
    if "months" in words:
        months = int(words.split()[2])
        assert _in_months(months) in shown and _in_months(months) in mine
    if code == "physical_assault":
        assert file.status == "excluded" and "security authorities" in shown
    else:
        assert file.status == "suspended"
        line = household_page.split('id="file-suspension"', 1)[1].split("</div>", 1)[0]
        assert core_line in line


def test_a_second_refused_visit_is_an_indefinite_stop_above_the_running_timed_suspension(
    makkah, household, staff, client, login, new_request
):
    """The first refusal's two months are still running: the stop is stronger, and the file
    no longer reads "suspended until <the first sanction's date>"."""
    file = household()
    services.record_violation(file, {"code": "refused_visit"}, staff["researcher"])
    assert file.suspended_until == rules.add_months(tenant_today(), 2)
    second = services.record_violation(
        file,
        {"code": "refused_visit", "notes": "محضر موقع", "documented_by": _documented(staff)},
        staff["researcher"],
    )
    assert second.sanction_kind == "stop" and second.ends_on is None
    assert [d["role"] for d in second.documenters] == ["researcher", "executive_director"]
    assert (file.suspended_until, file.suspension_condition) == (None, rules.INDEFINITE)
    household_page, portal = _pages(file, staff, client, login, new_request)
    for page in (household_page, portal):
        assert "Services stopped with no end date" in page
        assert staff["researcher"].name in page and staff["executive_director"].name in page
        assert _in_months(2) not in page.split('id="file-suspension"', 1)[-1].split("</div>", 1)[0]


@pytest.mark.parametrize("missing", ["researcher", "executive_director"])
def test_the_stop_needs_both_documenters(makkah, household, staff, missing):
    file = household()
    services.record_violation(file, {"code": "refused_visit"}, staff["researcher"])
    documented = _documented(staff)
    del documented[missing]
    with pytest.raises(ValidationError) as refused:
        services.record_violation(
            file, {"code": "refused_visit", "notes": "محضر", "documented_by": documented}, staff["researcher"]
        )
    assert list(refused.value.messages) == [f"documented_by.{missing}"]
    assert len(services.violations_of(file)) == 1


def test_a_documenter_must_hold_the_role(makkah, household, staff):
    file = household()
    services.record_violation(file, {"code": "refused_visit"}, staff["researcher"])
    wrong = {"researcher": staff["researcher"].id, "executive_director": staff["researcher"].id}
    with pytest.raises(ValidationError) as refused:
        services.record_violation(
            file, {"code": "refused_visit", "notes": "محضر", "documented_by": wrong}, staff["researcher"]
        )
    assert "documented_by.executive_director" in refused.value.messages


def test_the_page_records_the_stop_with_both_documenters(makkah, household, staff, client, login):
    file = household()
    services.record_violation(file, {"code": "refused_visit"}, staff["researcher"])
    file_id = file.id
    db.session.commit()
    login(staff["researcher"])
    url = f"/t/first/makkah_aid/files/{file_id}/violations?lang=en"
    page = client.get(url).get_data(as_text=True)
    assert 'name="documented_by.researcher"' in page and 'name="documented_by.executive_director"' in page
    missing = client.post(url, data={"code": "refused_visit", "notes": "محضر"})
    assert missing.status_code == 422
    assert "Choose who documented it as" in html.unescape(missing.get_data(as_text=True))
    done = client.post(
        url,
        data={
            "code": "refused_visit",
            "notes": "محضر",
            "documented_by.researcher": str(staff["researcher"].id),
            "documented_by.executive_director": str(staff["executive_director"].id),
        },
    )
    assert done.status_code == 302


def test_a_stop_is_lifted_by_staff(makkah, household, staff):
    file = household()
    services.record_violation(file, {"code": "refused_visit"}, staff["researcher"])
    stop = services.record_violation(
        file,
        {"code": "refused_visit", "notes": "محضر", "documented_by": _documented(staff)},
        staff["researcher"],
    )
    services.lift(stop, staff["executive_director"], "سمحت الأسرة بالزيارة")
    # The first refusal's two months still run: back to "suspended until".
    assert file.status == "suspended" and file.suspended_until == rules.add_months(tenant_today(), 2)


def test_strength_orders_permanent_stop_timed_condition():
    later = date(2030, 1, 1)
    timed = rules.InForce(1, "timed", later)
    stop = rules.InForce(2, "stop")
    condition = rules.InForce(3, "condition", condition="x")
    permanent = rules.InForce(4, "permanent")
    assert rules.effective_sanction([timed, stop, condition]).id == 2
    assert rules.effective_sanction([timed, condition]).id == 1
    assert rules.effective_sanction([stop, permanent, timed]).id == 4
    assert rules.file_suspension(stop) == {"suspended_until": None, "suspension_condition": "indefinite"}
