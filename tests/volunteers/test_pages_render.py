"""Every volunteer page in Arabic and English without raw codes or untranslated messages, and
the lists in a fixed number of queries whatever their length."""

from __future__ import annotations

from pathlib import Path

import pytest

import core
from core.extensions import db
from core.tenancy import tenant_context
from core.testing.contract.pages import catalogue_messages, page_problems
from core.volunteers import services
from tests.volunteers.helpers import opportunity_data, volunteer_data, worked


def _fill(tenant, staff, rows: int) -> dict:
    with tenant_context(tenant):
        admin = staff["tenant_admin"]
        mine = services.offer(volunteer_data(), staff["applicant"])
        services.decide(mine, "accepted", admin)
        day = services.create_opportunity(opportunity_data(kind="distribution_day", places=rows + 1), admin)
        worked(staff, mine, day)
        for n in range(rows):
            volunteer = services.register(volunteer_data(name=f"متطوع رقم {n}", kind="organisation",
                                                         organisation_name="نادي الحي"), admin)  # fmt: skip
            opportunity = services.create_opportunity(opportunity_data(title=f"فرصة {n}"), admin)
            services.confirm_hours(worked(staff, volunteer, opportunity), admin)
            services.assign(day, volunteer, admin)
        db.session.commit()
        return {"volunteer": mine.id, "day": day.id}


def test_every_volunteer_page_renders_in_arabic_and_english_without_raw_codes(client, tenant, staff, login):
    ids = _fill(tenant, staff, 2)
    messages = catalogue_messages(
        sorted(Path(core.__file__).parent.glob("**/translations/ar/LC_MESSAGES/*.po"))
    )
    with tenant_context(tenant):
        for number, user in enumerate(staff.values()):  # the factory names users after their role code
            user.name = f"موظف {number}"
        db.session.commit()
    pages = {
        "tenant_admin": [
            "/t/first/volunteers/", "/t/first/volunteers/new", f"/t/first/volunteers/{ids['volunteer']}",
            "/t/first/volunteers/opportunities", "/t/first/volunteers/opportunities/new",
            f"/t/first/volunteers/opportunities/{ids['day']}", "/t/first/volunteers/hours",
            f"/t/first/volunteers/opportunities/{ids['day']}/day-list", "/t/first/volunteers/skills",
        ],
        "applicant": [
            "/t/first/portal/volunteering/", "/t/first/portal/volunteering/offer",
            f"/t/first/portal/volunteering/opportunities/{ids['day']}/day-list",
        ],
    }  # fmt: skip
    for role, paths in pages.items():
        login(staff[role])
        for language in ("ar", "en"):
            client.get(f"/lang/{language}")
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, path
                problems = page_problems(
                    response.get_data(as_text=True), language, messages if language == "ar" else frozenset()
                )
                assert problems == [], (role, language, path, problems)
        client.post("/logout")


@pytest.mark.parametrize("rows", [1, 10])
def test_lists_send_a_fixed_number_of_queries(client, api, tenant, staff, login, max_queries, rows):
    ids = _fill(tenant, staff, rows)
    login(staff["tenant_admin"])
    paths = ["/t/first/volunteers/", "/t/first/volunteers/opportunities", f"/t/first/volunteers/opportunities/{ids['day']}",
             "/t/first/volunteers/hours", "/t/first/api/v1/volunteers/", "/t/first/api/v1/volunteers/opportunities"]  # fmt: skip
    for path in paths:
        client.get(path)  # warm the session and permission caches
        with max_queries(20) as counted:
            assert client.get(path).status_code == 200
        assert counted.count <= 20, path
