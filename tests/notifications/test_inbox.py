"""The staff inbox: what needs each member of staff arrives as an in-app message (never an
e-mail), listed newest first with an unread count in the menu, opened and marked read, per
user and per association."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.extensions import db
from core.notifications.models import OutboxMessage
from core.notifications.services import inbox_page, mark_read, notify, unread_count
from core.tenancy import tenant_context


def _inbox_of(user):
    return db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
    ).all()


def test_a_request_reaching_the_committee_lands_in_each_committee_members_inbox_only(
    new_request, advance, staff, in_first
):
    request = advance(new_request(linked=True), "in_committee")
    messages = _inbox_of(staff["committee_member"])
    assert [m.template for m in messages] == ["staff_request_in_committee"]
    assert messages[0].channel == "in_app"  # no e-mail for every request
    assert f"\u2066{request.number}\u2069" in messages[0].subject  # isolated: never reversed in Arabic
    assert _inbox_of(staff["finance_officer"]) == []
    assert [m.template for m in _inbox_of(staff["researcher"])] == ["staff_request_submitted"]


def test_an_approved_request_tells_the_finance_officer_with_the_amount(new_request, advance, staff, in_first):
    request = advance(new_request(linked=True), "approved")
    (message,) = _inbox_of(staff["finance_officer"])
    assert message.template == "staff_request_approved"
    assert request.number in message.body


def test_inbox_lists_messages_with_unread_count_in_the_menu_and_marks_them_read(
    new_request, advance, staff, login, tenant
):
    with tenant_context(tenant):
        advance(new_request(linked=True), "in_committee")
        db.session.commit()
    client = login(staff["committee_member"])
    home = client.get("/t/first/").get_data(as_text=True)
    assert re.search(r'id="inbox-unread"[^>]*>1<', home)
    page = client.get("/t/first/inbox/").get_data(as_text=True)
    message_id = int(re.search(r'id="message-(\d+)" data-read="no"', page).group(1))
    opened = client.post(f"/t/first/inbox/{message_id}/open", data={"csrf_token": _csrf(page)})
    assert opened.status_code == 302
    assert re.match(r"/t/first/requests/\d+$", opened.headers["Location"])
    page = client.get("/t/first/inbox/").get_data(as_text=True)
    assert f'id="message-{message_id}" data-read="yes"' in page
    assert 'id="inbox-unread"' not in page


def test_mark_all_read_clears_only_this_users_messages_in_this_association(
    app_ctx, staff, tenant, other_tenant, make_member
):
    user = staff["researcher"]
    with tenant_context(tenant):
        for n in range(3):
            notify("member_invited", {"link": f"/x/{n}"}, user=user, only=("in_app",))
        notify("member_invited", {"link": "/y"}, user=staff["committee_member"], only=("in_app",))
        db.session.commit()
    make_member("researcher-two@first.example.org", other_tenant, ["researcher"])
    with tenant_context(other_tenant):
        notify("member_invited", {"link": "/z"}, user=user, only=("in_app",))
        db.session.commit()
        assert unread_count(user) == 1
    with tenant_context(tenant):
        assert unread_count(user) == 3
        assert inbox_page(user)[1] == 3
        assert mark_read(user) == 3
        db.session.commit()
        assert unread_count(user) == 0
        assert unread_count(staff["committee_member"]) == 1
    with tenant_context(other_tenant):
        assert unread_count(user) == 1


def test_another_users_message_cannot_be_opened(staff, login, tenant):
    with tenant_context(tenant):
        (message,) = notify(
            "member_invited", {"link": "/x"}, user=staff["committee_member"], only=("in_app",)
        )
        db.session.commit()
        message_id = message.id
    client = login(staff["researcher"])
    page = client.get("/t/first/inbox/").get_data(as_text=True)
    assert (
        client.post(f"/t/first/inbox/{message_id}/open", data={"csrf_token": _csrf(page)}).status_code == 404
    )
    with tenant_context(tenant):
        assert db.session.get(OutboxMessage, message_id).read_at is None


def test_applicants_have_no_staff_inbox(tenant, make_member, login):
    applicant = make_member("applicant@example.org", tenant, ["applicant"])
    assert login(applicant).get("/t/first/inbox/").status_code == 403


@pytest.mark.parametrize("rows", [1, 60])
def test_inbox_keeps_its_query_budget(rows, staff, tenant, login, max_queries):
    with tenant_context(tenant):
        for n in range(rows):
            notify("member_invited", {"link": f"/x/{n}"}, user=staff["researcher"], only=("in_app",))
        db.session.commit()
    client = login(staff["researcher"])
    with max_queries(10):
        page = client.get("/t/first/inbox/")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('data-read="no"') == min(rows, 50)


def test_a_long_inbox_links_a_window_of_pages_keeping_the_unread_filter(staff, tenant, login):
    with tenant_context(tenant):
        for n in range(50 * 9 + 1):  # ten pages
            notify(
                "staff_request_submitted",
                {"number": str(n), "name": "x", "date": "d"},
                user=staff["researcher"],
                only=("in_app",),
            )
        db.session.commit()
    client = login(staff["researcher"])
    html = client.get("/t/first/inbox/?unread=1&page=%D9%A5").get_data(as_text=True)  # page ٥
    links = re.findall(r'class="page-link" href="([^"]+)"', html)
    pages = [int(re.search(r"page=(\d+)", link)[1]) for link in links]
    assert pages == [1, 2, 3, 4, 5, 6, 7, 8, 10] and all("unread=1" in link for link in links)
    assert 'aria-current="page">5<' in html
    assert client.get("/t/first/inbox/?page=abc").status_code == 200  # a bad page number: the first


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_staff_inbox_shows_each_message_in_the_readers_language(staff, tenant, login):
    with tenant_context(tenant):  # queued in Arabic (the association's language)
        notify(
            "staff_request_submitted",
            {"number": "1447-000007", "name": "نورة", "date": date(2026, 11, 30)},
            user=staff["researcher"],
            locale="ar",
            only=("in_app",),
        )
        db.session.commit()
    client = login(staff["researcher"])
    arabic = client.get("/t/first/inbox/?lang=ar").get_data(as_text=True)
    english = client.get("/t/first/inbox/?lang=en").get_data(as_text=True)
    assert 'lang="ar" dir="auto">طلب جديد' in arabic
    assert 'lang="en" dir="auto">New request' in english and "طلب جديد" not in english
    # the date is written again in the reader's language, in the association's calendar
    assert "1448-06-20 هـ (2026-11-30 م)" in arabic
    assert "1448-06-20 AH (2026-11-30 AD)" in english and "هـ" not in english
