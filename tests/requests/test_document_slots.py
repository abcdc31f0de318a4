"""Document slots of a plugin's request fields: the file inputs of core's request-intake form."""

from __future__ import annotations

from core.requests.forms import DocumentSlot, as_slot


def test_a_slot_declared_as_a_dict_gets_its_namespace_and_input_name():
    slot = as_slot("assoc", {"name": "id", "label": "ID copy", "doc_type": "id_copy", "required": True})
    assert slot == DocumentSlot("id", "ID copy", "id_copy", True, namespace="assoc")
    assert (slot.key, slot.html_id, slot.doc_types) == (
        "documents.assoc.id",
        "documents-assoc-id",
        ("id_copy",),
    )
    assert slot.doc_type_for({"anything": "x"}) == "id_copy"


def test_a_slots_document_type_may_follow_a_request_field():
    slot = as_slot(
        "assoc",
        {
            "name": "housing",
            "label": "Lease or deed",
            "doc_type": "lease",
            "by_field": "housing",
            "by_value": {"owned": "ownership_deed", "rented": "lease"},
        },
    )
    assert slot.doc_types == ("lease", "ownership_deed")
    assert slot.doc_type_for({"housing": "owned"}) == "ownership_deed"
    assert slot.doc_type_for({"housing": "rented"}) == "lease"
    assert slot.doc_type_for({}) == "lease"
