"""Issue 12, item 1: each association's portal has its own landing page for visitors, and the
log-in page reached from it names the association and leads to "create an account" and
"forgot your password"."""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.requests.models import CatalogItem
from core.tenancy import tenant_context


@pytest.fixture
def offered(tenant, other_tenant):
    """Two items in the first association (one inactive), one in the second."""
    with tenant_context(tenant):
        db.session.add_all(
            [
                CatalogItem(
                    code="rent_help",
                    name_ar="مساعدة الإيجار",
                    name_en="Rent help",
                    kind="cash",
                    unit="family",
                    default_value_halalas=150000,
                ),
                CatalogItem(
                    code="old_baskets",
                    name_ar="سلال متوقفة",
                    name_en="Stopped baskets",
                    kind="in_kind",
                    unit="family",
                    active=False,
                ),
            ]
        )
        db.session.commit()
    with tenant_context(other_tenant):
        db.session.add(
            CatalogItem(
                code="secret", name_ar="برنامج الجمعية الأخرى", name_en="Other's program", kind="cash"
            )
        )
        db.session.commit()
    tenant.service_area = ["مكة المكرمة"]
    db.session.commit()
    return tenant


def test_a_visitor_sees_the_association_landing_page_not_the_login(client, offered):
    response = client.get("/t/first/portal/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="association-name"' in page and "جمعية first" in page
    # the ways in
    assert 'href="/t/first/portal/register"' in page
    assert 'href="/t/first/login"' in page
    assert 'href="/t/first/password/forgot"' in page
    # what it offers, in plain words; an inactive program is not offered
    assert "مساعدة الإيجار" in page and "مساعدة نقدية للأسرة" in page and "1,500.00" in page
    assert "سلال متوقفة" not in page
    # the policies in force: who is served, the declaration an applicant signs
    assert 'id="policies"' in page and "مكة المكرمة" in page and "أقر" in page
    assert 'id="complaints"' in page


def test_the_landing_page_shows_nothing_of_another_association(client, offered):
    page = client.get("/t/first/portal/").get_data(as_text=True)
    assert "برنامج الجمعية الأخرى" not in page and "جمعية second" not in page
    other = client.get("/t/second/portal/").get_data(as_text=True)
    assert "برنامج الجمعية الأخرى" in other and "مساعدة الإيجار" not in other


def test_the_association_home_sends_a_visitor_to_its_landing_page(client, tenant):
    response = client.get("/t/first/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/t/first/portal/")


def test_an_unknown_association_has_no_landing_page(client, tenant):
    assert client.get("/t/nowhere/portal/").status_code == 404


def test_a_logged_in_applicant_gets_their_portal_home_and_staff_the_staff_home(
    client, tenant, create_user_, login
):
    applicant = create_user_("applicant@example.org", roles={tenant: ["applicant"]})
    login(applicant)
    home = client.get("/t/first/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/t/first/portal/")
    portal = client.get("/t/first/portal/").get_data(as_text=True)
    assert 'id="my-requests"' in portal and 'id="landing"' not in portal
    client.post("/logout")
    researcher = create_user_("researcher@example.org", roles={tenant: ["researcher"]})
    login(researcher)
    staff_home = client.get("/t/first/")
    assert staff_home.status_code == 200 and 'id="landing"' not in staff_home.get_data(as_text=True)


def test_the_login_page_of_a_portal_names_the_association_and_leads_to_register_and_reset(client, tenant):
    page = client.get("/t/first/login").get_data(as_text=True)
    assert 'id="login-association"' in page and "جمعية first" in page
    assert 'id="create-account"' in page and 'href="/t/first/portal/register"' in page
    assert 'id="forgot-password"' in page and 'href="/t/first/password/forgot"' in page
    platform = client.get("/login").get_data(as_text=True)
    assert 'id="forgot-password"' in platform and 'id="create-account"' not in platform


def test_a_portal_page_that_needs_a_login_asks_on_the_association_login_page(client, tenant):
    response = client.get("/t/first/portal/apply")
    assert response.status_code == 302 and "/t/first/login?next=" in response.headers["Location"]


def test_the_landing_page_in_english_is_english_and_left_to_right(client, offered):
    page = client.get("/t/first/portal/?lang=en").get_data(as_text=True)
    assert 'dir="ltr"' in page and 'lang="en"' in page
    assert "What we offer" in page and "Rent help" in page and "Cash aid for the family" in page
    assert "Create an account" in page and "Forgot your password?" in page
    assert "مساعدة الإيجار" not in page and "ما نقدّمه" not in page


def test_the_landing_page_shows_the_complaint_route_to_the_grievance_portal(client, tenant):
    page = client.get("/t/first/portal/").get_data(as_text=True)
    assert 'id="complaint-link"' in page and 'href="/t/first/portal/grievances/new"' in page


def test_the_association_logo_is_shown_when_it_has_one(client, tenant):
    assert 'id="association-logo"' not in client.get("/t/first/portal/").get_data(as_text=True)
    tenant.logo = "/static/logos/first.png"
    db.session.commit()
    page = client.get("/t/first/portal/").get_data(as_text=True)
    assert re.search(r'<img[^>]*id="association-logo"[^>]*src="/static/logos/first.png"', page, re.S)
