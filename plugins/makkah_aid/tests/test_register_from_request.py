"""Registering a household from an application carries every field and dependent the applicant
gave, says which it could not carry and why, and the need-gap assessment then counts the
members' income."""

from __future__ import annotations

from html.parser import HTMLParser

from core.toolkit import AidRequest, BeneficiaryFile, Household, db, tenant_context
from plugins.makkah_aid import services

from .helpers import NEEDS_B, SAR, complete_request, national_id

FOUR_PART = "هند سالم مبارك العتيبي"


class _Form(HTMLParser):
    """The values a browser would post: text inputs, checked boxes, selected options."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit",):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = "on"
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _form(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.values


def _application_request(new_request, **overrides):
    request = complete_request(
        new_request,
        birth_date="1988-04-02",
        national_address_code="MKKA1234",
        current_job="معلمة",
        category="family",
        dependents_count=2,
        dependents=[
            {"name": "ريم", "relationship": "daughter", "job": "", "monthly_income": "0"},
            {
                "name": "فيصل سالم مبارك العتيبي",
                "relationship": "son",
                "job": "موظف",
                "monthly_income": "1500",
            },
        ],
        **overrides,
    )
    request.applicant_name = FOUR_PART
    request.applicant_city = "مكة المكرمة"
    return request


def test_registering_from_an_application_carries_every_field_and_dependent(
    makkah, client, login, staff, new_request
):
    request = _application_request(new_request)
    request_id = request.id
    db.session.commit()
    login(staff["relations_officer"])
    url = f"/t/first/registry/households/new?for_request={request_id}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="not-carried"' not in html
    values = _form(html)
    assert values["first_name"] == "هند" and values["family_name"] == "العتيبي"
    assert values["national_id"] == national_id(4242)
    assert values["nationality"] == "سعودية" and values["birth_date"] == "1988-04-02"
    assert values["job"] == "معلمة" and values["monthly_income"] == "2000"
    assert values["national_address"] == "MKKA1234" and values["city"] == "مكة المكرمة"
    assert values["housing_tenure"] == "rented" and values["annual_rent"] == "15000"
    assert values["id_expiry"]
    assert (values["member-0-first_name"], values["member-0-family_name"]) == ("ريم", "العتيبي")
    assert values["member-0-relationship"] == "daughter"
    assert (values["member-1-first_name"], values["member-1-father_name"]) == ("فيصل", "سالم")
    assert values["member-1-income"] == "1500" and values["member-1-job"] == "موظف"
    values["gender"] = "female"
    created = client.post(url, data=values)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    with tenant_context(makkah):
        request = db.session.get(AidRequest, request_id)
        file = db.session.get(BeneficiaryFile, request.file_id)
        household = db.session.get(Household, file.household_id)
        head = household.head
        assert head.national_id == national_id(4242) and str(head.birth_date) == "1988-04-02"
        assert head.job == "معلمة" and head.monthly_income == 2000 * SAR
        assert head.national_address == "MKKA1234" and head.nationality == "سعودية"
        assert household.annual_rent == 15000 * SAR
        members = {m.person.first_name: m for m in household.members}
        assert set(members) == {"ريم", "فيصل"}
        assert members["فيصل"].income == 1500 * SAR and members["فيصل"].relationship_ == "son"
        # The need-gap assessment now counts the members' income: (2,000 + 1,500) × 12.
        assessment = services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
        assert assessment.income_total == 42_000 * SAR


def test_registering_from_an_application_says_what_it_could_not_carry_and_why(
    makkah, client, login, staff, new_request, household
):
    existing = household()  # its head has national_id(1001)
    request = _application_request(new_request)
    data = dict(request.extra["makkah_aid"])
    data["dependents"] = [
        *data["dependents"],
        {"name": "مها", "relationship": "niece", "monthly_income_halalas": 0},
    ]
    data["id_number"] = national_id(1001)  # already the head of another file
    request.extra = {**request.extra, "makkah_aid": data}
    other = _application_request(new_request)
    other_data = dict(other.extra["makkah_aid"])
    other_data["id_number"] = "1000000001"  # a wrong check digit
    other.extra = {**other.extra, "makkah_aid": other_data}
    ids = request.id, other.id
    db.session.commit()
    login(staff["relations_officer"])
    text = client.get(f"/t/first/registry/households/new?for_request={ids[0]}&lang=en").get_data(as_text=True)
    report = text.split('id="not-carried"', 1)[1].split("</div>", 1)[0]
    taken = report.split('data-not-carried="national_id"', 1)[1].split("</li>", 1)[0]
    assert f"household #{existing.id}" in taken and "link the request to that file instead" in taken
    assert 'data-not-carried="relationship"' in report and "مها" in report and "niece" in report
    values = _form(text)
    assert values["national_id"] == ""  # not carried: typed by the officer
    assert values["member-2-relationship"] == "other"
    second = client.get(f"/t/first/registry/households/new?for_request={ids[1]}&lang=en").get_data(
        as_text=True
    )
    report = second.split('id="not-carried"', 1)[1].split("</div>", 1)[0]
    assert "1000000001" in report and "valid" in report
    assert _form(second)["national_id"] == ""
