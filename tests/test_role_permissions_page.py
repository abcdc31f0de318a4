"""The tenant admin's page of the roles' permissions (``/t/<tenant>/admin/roles``): the actions by
feature and plugin in words, each with its roles, defaults and changes marked; a change is asked
first, then saved and audited; a refused one is shown on its permission and nothing is written."""

from __future__ import annotations

import pytest

from core.audit.models import AuditEvent
from core.extensions import db
from core.tenancy import Tenant, tenant_context

PAGE = "/t/first/admin/roles/"


@pytest.fixture
def admin_client(client, staff, login):
    login(staff["tenant_admin"])
    client.get("/t/first/?lang=ar")  # the session's language: Arabic
    return client


def _stored(tenant) -> dict:
    db.session.expire_all()
    return db.session.get(Tenant, tenant.id).role_permissions


def _audited(tenant) -> int:
    with tenant_context(tenant):
        return db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "tenant.role_permissions.changed")
        )


def test_the_page_shows_each_feature_its_permissions_and_the_roles_in_words(admin_client):
    page = admin_client.get(PAGE).get_data(as_text=True)
    for words in ("صلاحيات الأدوار", "سجل التدقيق", "ملفات المستفيدين", "الموظف المالي", "الباحث الاجتماعي"):
        assert words in page
    assert "تحددها المنصة" in page  # the admin's own actions are fixed
    assert 'id="perm-tenant-users-manage"' in page
    # Reached from the menu and from the users' page's side of the admin nav.
    assert 'href="/t/first/admin/roles/"' in admin_client.get("/t/first/admin/users").get_data(as_text=True)


def test_only_who_manages_users_and_roles_opens_it(client, staff, login):
    login(staff["researcher"])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"permission": "audit.read", "roles": ["researcher"]}).status_code == 403


def test_a_change_is_asked_first_and_nothing_is_written_until_confirmed(admin_client, tenant):
    form = {"permission": "audit.read", "roles": ["tenant_admin", "auditor", "finance_officer"]}
    asked = admin_client.post(PAGE, data=form)
    assert asked.status_code == 200
    text = asked.get_data(as_text=True)
    assert 'id="confirmation"' in text
    assert "يملكها حتى الآن: مدير الجمعية، مدقق" in text
    assert "يملكها بعد التغيير: مدير الجمعية، الموظف المالي، مدقق" in text
    assert _stored(tenant) == {} and _audited(tenant) == 0

    done = admin_client.post(PAGE, data={**form, "confirmed": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#perm-audit-read")
    assert _stored(tenant) == {"audit.read": {"grant": ["finance_officer"], "withdraw": []}}
    assert _audited(tenant) == 1
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "مُنحت هنا" in page and "معدّلة في هذه الجمعية" in page


def test_back_to_the_default_clears_the_associations_change(admin_client, tenant):
    form = {"permission": "audit.read", "roles": ["tenant_admin"], "confirmed": "yes"}
    assert admin_client.post(PAGE, data=form).status_code == 302
    assert _stored(tenant) == {"audit.read": {"grant": [], "withdraw": ["auditor"]}}
    assert "سُحبت هنا" in admin_client.get(PAGE).get_data(as_text=True)
    assert (
        admin_client.post(
            PAGE, data={"permission": "audit.read", "reset": "1", "confirmed": "yes"}
        ).status_code
        == 302
    )
    assert _stored(tenant) == {}
    assert _audited(tenant) == 2


def test_the_applicants_rights_stay_as_they_are_when_a_staff_role_changes(admin_client, tenant):
    """The form lists the staff roles only; the applicant's holding is kept, not taken away."""
    form = {"permission": "catalog.view", "roles": ["tenant_admin", "researcher"], "confirmed": "yes"}
    assert admin_client.post(PAGE, data=form).status_code == 302
    withdrawn = _stored(tenant)["catalog.view"]["withdraw"]
    assert "applicant" not in withdrawn and "auditor" in withdrawn


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"permission": "tenant.users.manage", "roles": ["researcher"]}, "تحددهم المنصة"),
        ({"permission": "requests.decide"}, "يجب أن يبقى دور واحد على الأقل"),
        ({"permission": "audit.read", "roles": ["tenant_admin", "treasurer"]}, "دور غير معروف: treasurer"),
    ],
)
def test_a_refused_change_is_shown_on_its_permission_and_nothing_is_written(
    admin_client, tenant, form, message
):
    for confirmed in ({}, {"confirmed": "yes"}):
        response = admin_client.post(PAGE, data={**form, **confirmed})
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert message in text
        assert f'id="perm-{form["permission"].replace(".", "-")}-error"' in text
    assert _stored(tenant) == {} and _audited(tenant) == 0


def test_an_unknown_permission_is_a_422_on_the_page(admin_client, tenant):
    response = admin_client.post(PAGE, data={"permission": "no.such", "roles": ["researcher"]})
    assert response.status_code == 422
    assert "لا توجد هذه الصلاحية" in response.get_data(as_text=True)
    assert _stored(tenant) == {}


def test_a_refused_change_shows_the_roles_as_posted(admin_client):
    response = admin_client.post(PAGE, data={"permission": "requests.decide"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="perm-requests-decide-committee_member" checked' not in text
    assert 'id="perm-requests-decide-committee_member"' in text
