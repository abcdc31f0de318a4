"""A search page is read-only rows of the persons found (issue 19): the same people, names and
ID numbers as ``Person``, in at most two statements, without loading ORM entities."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.registry.models import Person
from core.registry.search import PersonRow, search_persons
from core.tenancy import tenant_context


def test_a_search_page_gives_the_persons_columns_full_name_and_id_number(tenant, create_person):
    person = create_person(tenant, first_name="سلمى", family_name="القحطاني")
    with tenant_context(tenant):
        stored = db.session.get(Person, person.id)
        for typed in ("سلمى", "القحطاني", "سلمى القحطاني", stored.national_id):
            found, total = search_persons(typed)
            assert total == 1 and found == [stored], typed
            row = found[0]
            assert isinstance(row, PersonRow)
            assert row.full_name == stored.full_name and row.national_id == stored.national_id
            assert {c.key: getattr(row, c.key) for c in Person.__table__.c} == {
                c.key: getattr(stored, c.key) for c in Person.__table__.c
            }


def test_search_loads_no_orm_entity_and_sends_at_most_two_statements(tenant, create_person, max_queries):
    person = create_person(tenant, first_name="هند", family_name="العتيبي")
    with tenant_context(tenant):
        national_id = db.session.get(Person, person.id).national_id
        db.session.expunge_all()
        with max_queries(2):
            found, _ = search_persons("هند العتيبي")
        with max_queries(1):
            by_id, _ = search_persons(national_id)
        assert [p.id for p in found] == [p.id for p in by_id] == [person.id]
        assert not list(db.session.identity_map.values())  # nothing hydrated, nothing to expire


def test_a_search_result_cannot_be_changed_by_mistake(tenant, create_person):
    create_person(tenant, first_name="ريم", family_name="الحربي")
    with tenant_context(tenant):
        row = search_persons("ريم")[0][0]
        with pytest.raises(AttributeError, match="read-only"):
            row.city = "جدة"


def test_search_finds_only_the_associations_own_persons(tenant, other_tenant, create_person):
    create_person(other_tenant, first_name="لمى", family_name="الشهري")
    with tenant_context(tenant):
        assert search_persons("لمى") == ([], 0)
