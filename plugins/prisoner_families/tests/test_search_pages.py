"""The forms choose persons and households through the registry's search (no JavaScript)."""

from __future__ import annotations

from core.toolkit import db, tenant_context
from plugins.prisoner_families.models import Employment, Placement, Prisoner

from .conftest import PID, make_family, national_id

PAGES = "/t/first/prisoner_families"
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_register_a_prisoner_found_by_a_name_in_another_spelling(client, enabled, staff, login):
    _, person_id = make_family(enabled, 1)
    make_family(enabled, 2)
    login(staff["tenant_admin"])
    page = client.get(PAGES + "/")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and 'name="person_q"' in html
        and '<select class="form-select" id="person_id"' not in html
    )
    # The family name typed with ى for ي still finds "الشمري1".
    html = client.get(PAGES + "/", query_string={"person_q": "الشمرى1"}).get_data(as_text=True)
    assert f'value="{person_id}"' in html and 'type="radio"' in html and 'value="الشمرى1"' in html
    assert "نورة سعد الشمري1" in html and "الشمري2" not in html
    data = {
        "action": "create",
        "person_id": person_id,
        "facility": "سجن القريات",
        "case_type": "private_right",
        "imprisoned_on": "أمس",
    }
    bad = client.post(PAGES + "/?person_q=الشمرى1", data=data)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="form-errors"' in html
    assert f'value="{person_id}" checked' in html and 'value="الشمرى1"' in html  # choice and query kept
    r = client.post(PAGES + "/?person_q=الشمرى1", data={**data, "imprisoned_on": "2025-01-01"})
    assert r.status_code == 303
    with tenant_context(enabled):
        assert db.session.scalars(db.select(Prisoner.person_id)).one() == person_id


def test_search_by_id_number_and_short_queries(client, enabled, staff, login):
    _, person_id = make_family(enabled, 1)
    login(staff["tenant_admin"])
    number = national_id(enabled.id, 3).translate(ARABIC_DIGITS)  # the husband, in Arabic digits
    html = client.get(PAGES + "/", query_string={"person_q": number}).get_data(as_text=True)
    assert f'value="{person_id}"' in html and "فهد عبدالله الشمري1" in html
    short = client.get(PAGES + "/", query_string={"person_q": "ف"})
    assert short.status_code == 200 and 'type="radio"' not in short.get_data(as_text=True)
    assert "invalid-feedback" in short.get_data(as_text=True)
    nothing = client.get(PAGES + "/", query_string={"person_q": "زيد"}).get_data(as_text=True)
    assert 'type="radio"' not in nothing


def test_households_found_through_head_or_member(client, enabled, staff, login, prisoner_factory):
    prisoner_id, _, _ = prisoner_factory(link=False)
    household_id, person_id = make_family(enabled, 7)
    login(staff["tenant_admin"])
    url = f"{PAGES}/prisoners/{prisoner_id}"
    html = client.get(url, query_string={"household_q": "فهد عبدالله الشمري7"}).get_data(as_text=True)
    assert f'name="household_id" id="household_id-{household_id}" value="{household_id}"' in html
    assert "نورة سعد الشمري7" in html  # the head names the household
    r = client.post(url + "?household_q=الشمري7", data={"action": "link", "household_id": household_id})
    assert r.status_code == 303
    html = client.get(url, query_string={"household_q": "الشمري7"}).get_data(as_text=True)
    assert f'value="{household_id}"' not in html  # already linked: no longer offered

    page = client.get(f"{PAGES}/self-reliance", query_string={"household_q": "الشمري7", "person_q": "فهد"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'id="household_id-{household_id}"' in html
    assert f'id="person_id-{person_id}"' in html
    assert 'name="person_q" value="فهد"' in html  # the other search is kept by each search form
    r = client.post(
        f"{PAGES}/self-reliance",
        data={
            "action": "place",
            "household_id": household_id,
            "kind": "exhibition",
            "placed_on": "2025-05-01",
        },
    )
    assert r.status_code == 303
    r = client.post(
        f"{PAGES}/self-reliance",
        data={"action": "employ", "person_id": person_id, "employer": "مصنع", "referred_on": "2025-05-01"},
    )
    assert r.status_code == 303
    with tenant_context(enabled):
        assert db.session.scalars(db.select(Placement.household_id)).one() == household_id
        assert db.session.scalars(db.select(Employment.person_id)).one() == person_id


def test_search_never_shows_nor_accepts_another_tenants_rows(
    client, enabled, other_tenant, enable_plugin, staff, login
):
    enable_plugin(other_tenant, PID)
    other_household, other_person = make_family(other_tenant, 1)
    login(staff["tenant_admin"])
    for path, param in (("/", "person_q"), ("/self-reliance", "household_q"), ("/self-reliance", "person_q")):
        html = client.get(PAGES + path, query_string={param: "الشمري1"}).get_data(as_text=True)
        assert 'type="radio"' not in html, (path, param)
    number = national_id(other_tenant.id, 3)
    assert 'type="radio"' not in client.get(PAGES + "/", query_string={"person_q": number}).get_data(
        as_text=True
    )
    bad = client.post(
        PAGES + "/",
        data={
            "action": "create",
            "person_id": other_person,
            "facility": "سجن",
            "case_type": "public_right",
            "imprisoned_on": "2025-01-01",
        },
    )
    assert bad.status_code in (404, 422)
    assert f'value="{other_person}"' not in bad.get_data(as_text=True)
    placed = client.post(
        f"{PAGES}/self-reliance",
        data={
            "action": "place",
            "household_id": other_household,
            "kind": "exhibition",
            "placed_on": "2025-05-01",
        },
    )
    assert placed.status_code in (404, 422)


def test_search_texts_are_translated(client, enabled, staff, login):
    login(staff["tenant_admin"])
    html = client.get(PAGES + "/").get_data(as_text=True)
    assert "ابحث عن الشخص في السجل" in html and "ابحث أعلاه ثم اختر هنا." in html


def test_the_person_picker_finds_first_and_family_name_together(client, enabled, staff, login):
    _, person_id = make_family(enabled, 1)
    make_family(enabled, 2)
    login(staff["tenant_admin"])
    # First name + family name (the father's and grandfather's names left out), another spelling.
    html = client.get(PAGES + "/", query_string={"person_q": "فهد الشمرى1"}).get_data(as_text=True)
    assert f'value="{person_id}"' in html and "فهد عبدالله الشمري1" in html
    assert "نورة" not in html.split('id="person_id-choices"')[1] and "الشمري2" not in html
