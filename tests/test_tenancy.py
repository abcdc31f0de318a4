"""Tenants are kept apart by one mechanism, even when code forgets a filter."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from core.auth.models import Membership
from core.extensions import db
from core.tenancy import CrossTenantWrite, PluginEnablement, TenantRequired, tenant_context, unscoped


def test_query_on_tenant_table_without_tenant_raises(app_ctx, tenant, create_user_):
    create_user_(roles={tenant: ["researcher"]})
    with pytest.raises(TenantRequired):
        db.session.execute(db.select(Membership)).scalars().all()


def test_query_that_forgets_the_filter_sees_only_current_tenant(app_ctx, tenant, other_tenant, create_user_):
    create_user_(roles={tenant: ["researcher"]})
    create_user_(roles={other_tenant: ["researcher"], tenant: ["applicant"]})
    with tenant_context(other_tenant):
        rows = db.session.execute(db.select(Membership)).scalars().all()  # no tenant filter written
    assert [m.tenant_id for m in rows] == [other_tenant.id]
    with tenant_context(tenant):
        assert db.session.execute(db.select(db.func.count(Membership.id))).scalar_one() == 2


def test_get_by_primary_key_of_another_tenant_finds_nothing(app_ctx, tenant, other_tenant, create_user_):
    user = create_user_(roles={tenant: ["researcher"]})
    with tenant_context(tenant):
        membership_id = db.session.execute(
            db.select(Membership.id).where(Membership.user_id == user.id)
        ).scalar_one()
    for obj in [o for o in db.session if isinstance(o, Membership)]:
        db.session.expunge(obj)  # make get() go to the database, not the identity map
    with tenant_context(other_tenant):
        assert db.session.get(Membership, membership_id) is None


def test_bulk_update_and_delete_are_scoped(app_ctx, tenant, other_tenant, create_user_):
    create_user_(roles={tenant: ["researcher"], other_tenant: ["researcher"]})
    with tenant_context(tenant):
        db.session.execute(db.update(Membership).values(roles=["auditor"]))
        db.session.execute(db.delete(PluginEnablement))
        db.session.commit()
    with tenant_context(other_tenant):
        assert db.session.execute(db.select(Membership.roles)).scalar_one() == ["researcher"]


def test_new_rows_get_the_current_tenant_and_cannot_be_written_into_another(app_ctx, tenant, other_tenant):
    with tenant_context(tenant):
        row = PluginEnablement(plugin_id="dummy")
        db.session.add(row)
        db.session.flush()
        assert row.tenant_id == tenant.id
    with tenant_context(other_tenant):
        row.enabled = False
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()


def test_saving_a_tenant_row_without_tenant_raises(app_ctx):
    db.session.add(PluginEnablement(plugin_id="dummy"))
    with pytest.raises(TenantRequired):
        db.session.flush()
    db.session.rollback()


def test_unscoped_reads_every_tenant_on_purpose(app_ctx, tenant, other_tenant, create_user_):
    create_user_(roles={tenant: ["researcher"], other_tenant: ["auditor"]})
    with unscoped("test: count memberships of every tenant"):
        assert db.session.execute(db.select(db.func.count(Membership.id))).scalar_one() == 2


def test_composite_foreign_key_refuses_a_row_pointing_into_another_tenant(app_ctx, tenant, other_tenant):
    # (tenant_id, id) is unique on every tenant table; the database refuses duplicates of the plugin row.
    with tenant_context(tenant):
        db.session.add(PluginEnablement(plugin_id="dummy"))
        db.session.add(PluginEnablement(plugin_id="dummy"))
        with pytest.raises(IntegrityError):
            db.session.flush()
    db.session.rollback()


def test_unknown_tenant_in_url_answers_404(client, create_user_, token_for):
    assert client.get("/t/nowhere/").status_code == 404
    assert client.get("/t/nowhere/api/v1/members/", headers=token_for(create_user_())).status_code == 404
    # Authentication comes first: without credentials the API answers 401 (tests/test_api_auth.py).
    assert client.get("/t/nowhere/api/v1/members/").status_code == 401


def test_another_tenants_member_answers_404(client, tenant, other_tenant, create_user_, token_for):
    admin = create_user_(roles={tenant: ["tenant_admin"]})
    stranger = create_user_(roles={other_tenant: ["researcher"]})
    with client.application.app_context(), tenant_context(other_tenant):
        membership_id = db.session.execute(
            db.select(Membership.id).where(Membership.user_id == stranger.id)
        ).scalar_one()
    headers = token_for(admin)
    response = client.put(
        f"/t/first/api/v1/members/{membership_id}", json={"roles": ["auditor"]}, headers=headers
    )
    assert response.status_code == 404
    assert response.json["code"] == 404
    assert client.delete(f"/t/first/api/v1/members/{membership_id}", headers=headers).status_code == 404


def test_host_name_maps_to_tenant(client, create_tenant):
    create_tenant("hosted", hosts=["hosted.example.org"])
    response = client.get("/", base_url="http://hosted.example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/t/hosted/")


def test_get_of_an_object_already_in_the_session_still_respects_the_tenant(
    app_ctx, tenant, other_tenant, create_user_
):
    user = create_user_(roles={tenant: ["researcher"]})
    with tenant_context(tenant):
        membership = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id)
        ).scalar_one()
        assert db.session.get(Membership, membership.id) is membership
    with tenant_context(other_tenant):
        assert db.session.get(Membership, membership.id) is None  # in the identity map, yet not served
