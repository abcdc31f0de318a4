"""Search by any of a person's four name parts in order (first + family, first + father +
family, …), in any spelling variant, on the registry page, the API and the file picker."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect as sa_inspect

from core.extensions import db
from core.registry import normalize
from core.registry.models import Person, PersonNameKey
from core.registry.normalize import name_forms, name_keys, normalize_name, normalized_full_name
from core.registry.schemas import PersonSchema
from core.registry.services import create_person, search_persons, update_person
from core.requests.services.beneficiary_file import file_candidates
from core.tenancy import tenant_context
from core.testing.factories import person_payload

PARTS = ("first_name", "father_name", "grandfather_name", "family_name")
NAME = {"first_name": "أحمد", "father_name": "محمد", "grandfather_name": "علي", "family_name": "الزهراني"}
OTHER = {"first_name": "أحمد", "father_name": "سعد", "grandfather_name": "خالد", "family_name": "الغامدي"}
# Letters and the spellings people type for them (hamza forms, taa marbuta, alef maqsura).
VARIANTS = {"ا": "اأإآ", "ه": "هة", "ي": "يى", "و": "وؤ"}
LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهوي"


def ordered_subsets(parts):
    for size in range(1, len(parts) + 1):
        yield from itertools.combinations(parts, size)


@pytest.mark.parametrize(
    "typed",
    [
        "أحمد الزهراني",  # first + family
        "احمد الزهرانى",  # the same, another spelling
        "أحمد محمد الزهراني",  # first + father + family
        "أحمد علي الزهراني",  # first + grandfather + family
        "محمد الزهراني",  # father + family
        "أحمد محمد علي الزهراني",  # the full name
        "أَحْمَد الزَّهْرانِي",  # diacritics
        "أحمد الزهر",  # the last word half typed
        "الزهراني",  # the family name alone
    ],
)
def test_name_parts_in_order_find_the_person_on_the_api_and_the_registry_page(
    typed, api, officer, create_person, tenant, client, login
):
    person = create_person(tenant, **NAME)
    create_person(tenant, **OTHER)
    response = api(officer).get("/persons", query_string={"q": typed})
    assert response.status_code == 200
    assert [p["id"] for p in response.json] == [person.id]
    login(officer)
    page = client.get(f"/t/{tenant.slug}/registry/", query_string={"q": typed})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "الزهراني" in html and "الغامدي" not in html


def test_parts_out_of_order_or_absent_find_nobody(api, officer, create_person, tenant):
    create_person(tenant, **NAME)
    for typed in ("الزهراني أحمد", "أحمد سعد الزهراني", "خالد الزهراني"):
        response = api(officer).get("/persons", query_string={"q": typed})
        assert response.status_code == 200 and response.json == [], typed


def test_the_request_file_picker_finds_first_and_family_name(create_household, tenant, in_tenant):
    household = create_household(tenant)
    with in_tenant(tenant):
        head = household.head
        rows, total = file_candidates(f"{head.first_name} {head.family_name}")
    by_person = {person.id: files for person, files in rows}
    assert total == len(rows) and by_person[head.id][0][0].id == household.id


def test_renaming_a_person_replaces_their_search_keys(create_person, tenant, in_tenant):
    person = create_person(tenant, **NAME)
    with in_tenant(tenant):
        update_person(person, {"family_name": "القحطاني"})
        db.session.flush()
        keys = set(
            db.session.scalars(db.select(PersonNameKey.key).where(PersonNameKey.person_id == person.id))
        )
        assert keys == set(name_keys(*(NAME[p] for p in PARTS[:3]), "القحطاني"))
        assert search_persons("أحمد القحطاني")[1] == 1
        assert search_persons("أحمد الزهراني")[1] == 0
        db.session.rollback()


def test_a_table_keyed_by_its_own_columns_has_no_id_and_says_so():
    # Not a silent None: count(PersonNameKey.id) would count nothing without an error.
    with pytest.raises(AttributeError, match=r"PersonNameKey has no id: .*\(tenant_id, person_id, key\)"):
        _ = PersonNameKey.id
    assert not hasattr(PersonNameKey(key="x"), "id")
    assert "id" not in sa_inspect(PersonNameKey).attrs


def test_a_persons_keys_are_keyed_by_person_and_key_and_go_with_the_person(create_person, tenant, in_tenant):
    """Migration core_0028: no ``id``; the primary key ``(tenant_id, person_id, key)`` holds a
    person's keys. Renamed there and back in one session, the person keeps one row per key;
    deleted, the person takes the keys along (the cascade)."""
    table = PersonNameKey.__table__
    assert [c.name for c in table.primary_key.columns] == ["tenant_id", "person_id", "key"]
    assert "id" not in table.c
    person = create_person(tenant, **NAME)
    with in_tenant(tenant):
        for first in ("سعد", NAME["first_name"]):
            update_person(person, {"first_name": first})
            db.session.flush()
        keys = db.session.scalars(
            db.select(PersonNameKey.key).where(PersonNameKey.person_id == person.id)
        ).all()
        assert sorted(keys) == sorted(name_keys(*(NAME[p] for p in PARTS)))
        db.session.execute(db.delete(Person).where(Person.id == person.id))
        left = db.select(db.func.count(PersonNameKey.key)).where(PersonNameKey.person_id == person.id)
        assert db.session.execute(left).scalar_one() == 0
        db.session.rollback()


word = st.text(alphabet=LETTERS, min_size=2, max_size=8)


@given(parts=st.tuples(word, word, word, word), data=st.data())
def test_every_ordered_subset_of_the_parts_is_a_prefix_of_a_key(parts, data):
    keys = name_keys(*parts)
    chosen = data.draw(st.sampled_from(list(ordered_subsets(parts))))
    typed = normalize_name(" ".join(chosen))
    assert any(key.startswith(typed) for key in keys)
    assert len(keys) <= 8


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.tuples(word, word, word, word), data=st.data())
def test_any_ordered_subset_of_the_parts_in_any_spelling_finds_the_person(app_ctx, tenant, parts, data):
    subset = data.draw(st.sampled_from([s for s in ordered_subsets(range(4)) if len(s) >= 2 or s == (3,)]))
    rnd = data.draw(st.randoms())
    typed = " ".join("".join(rnd.choice(VARIANTS.get(ch, ch)) for ch in parts[i]) for i in subset)
    with tenant_context(tenant):
        payload = person_payload(**dict(zip(PARTS, parts, strict=True)))
        person = create_person(PersonSchema().load(payload), audit=False)
        try:
            found, total = search_persons(typed, 1, 1000)
            assert person.id in {p.id for p in found}, (typed, parts)
        finally:
            db.session.rollback()


# Name parts as typed: letters, «عبد» (alone, twice, at either end), diacritics, tatweel,
# punctuation, Latin and Greek (a final sigma), presentation forms (NFKC makes spaces of some),
# spaces of several kinds, empties — and any text.
typed_part = st.lists(
    st.sampled_from(
        ["عبد", "عبد ", " عبد", "عبد عبد", "الله", "ُ", "ـ", "-", ".", "  ", "\u3000", "\u00a0", "\x1f"]
        + ["أ", "ة", "A", "Σ", "ΑΣ", "ﻻ", "\ufc5e", "_", "İ", "\u0301"]
    )
    | st.text(max_size=3),
    max_size=5,
).map("".join)


def _whole_name_normalised(text: str) -> str:
    """``normalize_name`` as it was written before the per-part build (one text at a time)."""
    text = unicodedata.normalize("NFKC", text)
    text = normalize._DIACRITICS.sub("", text)
    text = text.translate(normalize._FOLD).lower()
    text = normalize._NOT_NAME.sub(" ", text).replace("_", " ")
    text = normalize._SPACES.sub(" ", text).strip()
    return normalize._ABD.sub(r"\1عبد", text)


@settings(max_examples=500)
@given(parts=st.tuples(typed_part, typed_part, typed_part, typed_part))
def test_the_keys_built_from_each_part_spelled_once_are_the_definitions(parts):
    """``name_forms`` spells each part once and joins the choices (the «عبد X» join applied to
    each joined choice): the same keys, full name and family name as normalising each joined
    choice afresh — the definition, which the import's per-part build must not change."""
    present = [part.strip() for part in parts if part and part.strip()]
    expected = set()
    if present:
        *rest, last = present
        for mask in range(1 << len(rest)):
            chosen = [p for i, p in enumerate(rest) if mask >> i & 1]
            expected.add(_whole_name_normalised(" ".join([*chosen, last])))
    full, family, keys = name_forms(*parts)
    assert keys == sorted(key for key in expected if key)
    assert name_keys(*parts) == keys
    assert full == (_whole_name_normalised(" ".join(present)) if present else "")
    assert full == normalized_full_name(*parts)
    assert family == normalize_name(parts[3])


def test_the_word_abd_then_a_later_part_finds_the_person(app_ctx, tenant):
    """«عبد» typed as a first name then the grandfather's name: normalised, the two words join
    into one ("عبداب"), which is no prefix of the first or the family name; the keys have it
    (found by the hypothesis search test: ('عبد', 'اا', 'اب', 'اا') searched as "عبد اب")."""
    parts = ("عبد", "اا", "اب", "اا")
    with tenant_context(tenant):
        payload = person_payload(**dict(zip(PARTS, parts, strict=True)))
        person = create_person(PersonSchema().load(payload), audit=False)
        try:
            for typed in ("عبد اب", "عبد اب اا", "عبد", "عبد اا اب"):
                found, _total = search_persons(typed, 1, 1000)
                assert person.id in {p.id for p in found}, typed
            assert search_persons("عبد اا", 1, 1000)[1] >= 1
        finally:
            db.session.rollback()
