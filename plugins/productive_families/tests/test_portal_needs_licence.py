"""The producer's portal: the family's training needs (the skill areas staff record, through the
same service and audit) and the licence section — whether the activity needs a licence and from
which body, the procedure leaflet of the producer's own activity only, the incentives."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from core.testing import PDF, AuditEvent, OutboxMessage
from core.toolkit import db
from core.toolkit import today as tenant_today

from .. import services
from ..models_training import TrainingInterest, TrainingNeed
from ..services import documents
from .conftest import PID

PORTAL = f"/t/first/{PID}/portal/"
LEAFLET = f"{PORTAL}licence/leaflet"


def _audited(in_tenant, tenant, action: str) -> list[AuditEvent]:
    with in_tenant(tenant):
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == f"{PID}.{action}").order_by(AuditEvent.id)
        ).all()
        return [(e.user_id, str(e.object_id)) for e in events]


def _keep_leaflet(in_tenant, tenant, activity: str = "food") -> None:
    with in_tenant(tenant):
        documents.store_leaflet(activity, PDF, "دليل الترخيص.pdf")
        db.session.commit()


# --------------------------------------------------------------------------- training needs


def test_the_producer_sets_the_training_needs_on_the_portal_and_it_is_audited(
    client, producer_account, login, enabled, in_tenant
):
    user, producer_id = producer_account
    login(user)
    page = client.get(PORTAL).get_data(as_text=True)
    assert 'id="needs-form"' in page and "التغليف والتعبئة" in page  # the areas in words
    saved = client.post(PORTAL, data={"action": "needs", "areas": ["packaging", "marketing"]})
    assert saved.status_code == 303
    with in_tenant(enabled):
        assert services.needs_of([producer_id])[producer_id] == ["marketing", "packaging"]
    shown = client.get(PORTAL).get_data(as_text=True)
    assert 'id="areas-packaging" value="packaging" checked' in shown
    assert 'id="areas-food_safety" value="food_safety" checked' not in shown
    assert _audited(in_tenant, enabled, "training.needs_changed") == [(user.id, str(producer_id))]
    cleared = client.post(PORTAL, data={"action": "needs"})  # nothing ticked: no need left
    assert cleared.status_code == 303
    with in_tenant(enabled):
        assert services.needs_of([producer_id])[producer_id] == []


def test_an_area_outside_the_association_list_is_refused_by_field_and_nothing_is_written(
    client, producer_account, login, enabled, enable_plugin, in_tenant
):
    enable_plugin(enabled, PID, {"training_skill_areas": ["packaging", "marketing"]})
    user, _producer_id = producer_account
    login(user)
    refused = client.post(PORTAL, data={"action": "needs", "areas": ["packaging", "crafts"]})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="areas-error"' in html
    assert "اختر أحد مجالات المهارات التي تعتمدها الجمعية." in html  # the error in Arabic words
    assert 'id="areas-packaging" value="packaging" checked' in html  # what was ticked is kept
    assert "مهارات حرفية متقدمة" not in html  # the areas offered are this tenant's only
    with in_tenant(enabled):
        assert db.session.scalar(sa.select(sa.func.count(TrainingNeed.id))) == 0
    assert _audited(in_tenant, enabled, "training.needs_changed") == []


def test_staff_see_the_needs_the_producer_set_on_the_portal(
    client, producer_account, manager, login, enabled
):
    user, producer_id = producer_account
    login(user)
    assert client.post(PORTAL, data={"action": "needs", "areas": ["food_safety"]}).status_code == 303
    login(manager)
    page = client.get(f"/t/first/{PID}/producers/{producer_id}").get_data(as_text=True)
    assert "سلامة الغذاء" in page


# --------------------------------------------------------------------------- licence and leaflet


def test_the_producer_reads_the_licence_body_incentives_and_downloads_the_leaflet(
    client, producer_account, login, enabled, in_tenant
):
    user, _producer_id = producer_account  # a food producer: food needs a licence by default
    login(user)
    page = client.get(PORTAL).get_data(as_text=True)
    assert 'id="my-licence"' in page and "منصة بلدي" in page
    assert 'id="no-leaflet"' in page and 'id="leaflet-link"' not in page
    assert 'id="licence-incentives"' in page
    assert client.get(LEAFLET).status_code == 404  # none kept yet
    _keep_leaflet(in_tenant, enabled)
    page = client.get(PORTAL).get_data(as_text=True)
    assert f'href="{LEAFLET}"' in page
    download = client.get(LEAFLET)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Cache-Control"] == "private, no-store"
    assert [uid for uid, _ in _audited(in_tenant, enabled, "leaflet.read")] == [user.id]


def test_an_activity_without_licence_shows_so_and_serves_no_leaflet(
    client, enabled, make_member, producer_factory, login, in_tenant
):
    _keep_leaflet(in_tenant, enabled, "food")  # another activity's leaflet
    user = make_member("sewing@first.example.org", enabled, ["applicant"])
    producer_id = producer_factory(activity="sewing", trade_name="خياطة نورة")
    with in_tenant(enabled):
        services.link_account(services.get_producer(producer_id), {"email": user.email})
        db.session.commit()
    login(user)
    page = client.get(PORTAL).get_data(as_text=True)
    assert 'id="licence-needed"' in page and 'id="leaflet-link"' not in page
    assert client.get(LEAFLET).status_code == 404


def test_another_tenants_leaflet_is_404_and_the_plugin_disabled_takes_the_route_down(
    client,
    producer_account,
    login,
    enabled,
    enable_plugin,
    other_tenant,
    make_member,
    create_household,
    in_tenant,
):
    _keep_leaflet(in_tenant, enabled, "food")
    enable_plugin(other_tenant, PID)
    theirs = make_member("producer@second.example.org", other_tenant, ["applicant"])
    household = create_household(other_tenant)
    with in_tenant(other_tenant):
        producer = services.create_producer(
            {"household_id": household.id, "trade_name": "مطبخ", "activity": "food"}
        )
        services.link_account(producer, {"email": theirs.email})
        db.session.commit()
    login(theirs)
    # Same activity code, other association: it keeps no leaflet, first's is never served.
    assert client.get(f"/t/{other_tenant.slug}/{PID}/portal/licence/leaflet").status_code == 404
    assert client.get(LEAFLET).status_code in (403, 404)  # not a member of the first association
    user, _producer_id = producer_account
    login(user)
    assert client.get(LEAFLET).status_code == 200
    enable_plugin(enabled, PID, enabled=False)
    assert client.get(LEAFLET).status_code == 404
    assert client.get(PORTAL).status_code == 404


# --------------------------------------------------------------------------- suggested programs


def _open_program(in_tenant, tenant, area: str = "packaging", capacity: int = 2, **values) -> int:
    with in_tenant(tenant):
        trainer = services.add_trainer(
            {
                "name": "مركز الأحساء للتدريب",
                "kind": "centre",
                "scope": "local",
                "city": "الهفوف",
                "specialities": [area],
            }
        )
        program = services.create_program(
            {
                "title": "التغليف والتعبئة للمنتجات المنزلية",
                "area": area,
                "trainer_id": trainer.id,
                "starts_on": (tenant_today() + timedelta(days=7)).isoformat(),
                "ends_on": (tenant_today() + timedelta(days=37)).isoformat(),
                "place": "مقر الجمعية بالهفوف",
                "capacity": capacity,
                **values,
            }
        )
        db.session.commit()
        return program.id


def test_the_producer_sees_programs_for_the_needs_asks_to_join_once_and_staff_are_told(
    client, producer_account, manager, login, enabled, in_tenant
):
    user, producer_id = producer_account
    program_id = _open_program(in_tenant, enabled)
    login(user)
    before = client.get(PORTAL).get_data(as_text=True)
    assert "التغليف والتعبئة للمنتجات المنزلية" not in before  # no need ticked: nothing suggested
    assert client.post(PORTAL, data={"action": "needs", "areas": ["packaging"]}).status_code == 303
    page = client.get(PORTAL).get_data(as_text=True)
    suggested = page.split('id="suggested-programs"')[1].split("</ul>")[0]
    assert "التغليف والتعبئة للمنتجات المنزلية" in suggested and "مقر الجمعية بالهفوف" in suggested
    assert 'value="join"' in suggested
    asked = client.post(PORTAL, data={"action": "join", "program_id": str(program_id)})
    assert asked.status_code == 303
    shown = client.get(PORTAL).get_data(as_text=True)
    assert "ستتواصل معك الجمعية" in shown.split('id="suggested-programs"')[1].split("</ul>")[0]
    again = client.post(PORTAL, data={"action": "join", "program_id": str(program_id)})
    assert again.status_code == 422 and 'id="program_id-error"' in again.get_data(as_text=True)
    assert _audited(in_tenant, enabled, "training.asked_to_join") == [(user.id, str(program_id))]
    # staff who enrol are told in their inbox, with the program's page; the producer is first
    # in the enrol list of that page
    with in_tenant(enabled):
        told = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.template == services.INTEREST_TEMPLATE)
        ).all()
    assert {m.user_id for m in told} >= {manager.id} and all(m.channel == "in_app" for m in told)
    assert all(m.link and m.link.endswith(f"/training/programs/{program_id}") for m in told)
    login(manager)
    listed = client.get(f"/t/first/api/v1/{PID}/training/programs/{program_id}/asking-to-join")
    assert listed.status_code == 200 and [p["id"] for p in listed.json] == [producer_id]
    program_page = client.get(f"/t/first/{PID}/training/programs/{program_id}").get_data(as_text=True)
    assert 'id="asking-to-join"' in program_page
    # first in the enrol list, before those needing the area and all producers
    assert program_page.index('label="طلبوا الانضمام عبر البوابة"') < program_page.index(
        'label="جميع الأسر المنتجة"'
    )


def test_asking_to_join_a_program_not_suggested_is_a_field_error_and_nothing_is_written(
    client, producer_account, login, enabled, in_tenant
):
    user, _producer_id = producer_account
    other_area = _open_program(in_tenant, enabled, area="marketing")
    login(user)
    assert client.post(PORTAL, data={"action": "needs", "areas": ["packaging"]}).status_code == 303
    for program_id in (str(other_area), "999999", "abc", ""):
        refused = client.post(PORTAL, data={"action": "join", "program_id": program_id})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422 and 'id="program_id-error"' in html, program_id
    with in_tenant(enabled):
        assert db.session.scalar(sa.select(sa.func.count(TrainingInterest.id))) == 0
    assert _audited(in_tenant, enabled, "training.asked_to_join") == []


def test_the_producer_sees_the_programs_enrolled_in(client, producer_account, login, enabled, in_tenant):
    user, producer_id = producer_account
    program_id = _open_program(in_tenant, enabled)
    with in_tenant(enabled):
        services.enrol(services.get_program(program_id), {"producer_id": producer_id})
        db.session.commit()
    login(user)
    mine = client.get(PORTAL).get_data(as_text=True).split('id="my-programs"')[1].split("</ul>")[0]
    assert "التغليف والتعبئة للمنتجات المنزلية" in mine and "ملتحق" in mine
