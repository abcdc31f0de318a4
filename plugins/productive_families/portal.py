"""The producer's own pages on the portal (phone first): the profile, the family's training needs
(the skill areas staff record too, through the same service), the licence with the procedure
leaflet of the producer's activity and the incentives, the public page consent and contact, the
products with prices and photos. Routes of the plugin's blueprint."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from core.toolkit import download_response, local_time, read_document, require

from . import services
from .services import documents
from .settings import skill_name
from .views import PROFILE_LISTS, bp, choices, form_data, handle, profile_values

PORTAL = "productive_families.portal"


@bp.route("/portal/", methods=["GET", "POST"])
@require(PORTAL)
def portal_home():
    producer = services.producer_of(current_user)

    def profile():
        services.update_profile(producer, form_data(lists=PROFILE_LISTS), current_user)

    def showcase():
        services.set_showcase(producer, form_data("showcase_consent"), current_user)

    def product():
        item = services.add_product(producer, form_data("available"), current_user)
        return url_for(".portal_product", product_id=item.id)

    def needs():
        services.set_needs(producer, form_data(lists=("areas",)), current_user)

    def join():
        services.ask_to_join(producer, form_data(), current_user)

    return handle(
        "productive_families/portal.html",
        lambda: {
            "producer": producer,
            "products": services.products_of([producer.id]).get(producer.id, []),
            "profile": profile_values(producer),
            **choices(),
            **_training(producer),
            **_licence(producer),
        },
        {
            "profile": (PORTAL, profile),
            "showcase": (PORTAL, showcase),
            "product": (PORTAL, product),
            "needs": (PORTAL, needs),
            "join": (PORTAL, join),
        },
    )


def _training(producer) -> dict:
    """The skill areas of the association's list, and those the family needs (as submitted after
    a refusal); the programs the producer is enrolled in, and those suggested for the needs with
    when the producer asked to join each."""
    needs = services.needs_of([producer.id])[producer.id]
    submitted = request.method == "POST" and request.form.get("action") == "needs"
    return {
        "areas": [(code, skill_name(code)) for code in services.settings()["training_skill_areas"]],
        "needs": needs,
        "chosen": request.form.getlist("areas") if submitted else needs,
        "my_programs": services.enrolments_by_producer(producer.id),
        "suggested": services.suggested_programs(producer.id),
        # the day each was asked, in the association's time zone
        "asked": {pid: local_time(at).date() for pid, at in services.interests_of(producer.id).items()},
    }


def _licence(producer) -> dict:
    """What the producer reads of licensing: whether the activity needs a licence and from which
    body, the procedure leaflet kept for it, and the incentives for licensed families."""
    settings = services.settings()
    return {
        "licence_rule": settings["licensed_activities"].get(producer.activity),
        "leaflet": documents.leaflet_of(producer.activity),
        "incentives": settings["incentives"],
    }


@bp.route("/portal/licence/leaflet")
@require(PORTAL)
def portal_leaflet():
    """The procedure leaflet of the producer's own activity (404 when the activity needs no
    licence or none is kept); the read is audited like the staff download."""
    producer = services.producer_of(current_user)
    kept = documents.leaflet_of(producer.activity)
    if kept is None:
        abort(404)
    return documents.download_leaflet(kept, current_user)


@bp.route("/portal/products/<int:product_id>", methods=["GET", "POST"])
@require(PORTAL)
def portal_product(product_id: int):
    producer = services.producer_of(current_user)
    item = services.product_of(producer, product_id)

    def update():
        services.update_product(item, form_data("available"), current_user)

    def photo():
        upload = request.files.get("photo")
        data = upload.read() if upload else b""
        services.add_photo(item, data, upload.filename if upload else None, current_user)

    def remove_photo():
        value = request.form.get("photo_id", "")
        services.remove_photo(item, int(value) if value.isdigit() else 0, current_user)

    return handle(
        "productive_families/portal_product.html",
        lambda: {"producer": producer, "product": services.attach_photos([item])[0]},
        {"product": (PORTAL, update), "photo": (PORTAL, photo), "remove_photo": (PORTAL, remove_photo)},
    )


@bp.route("/portal/products/<int:product_id>/photos/<int:photo_id>")
@require(PORTAL)
def portal_photo(product_id: int, photo_id: int):
    """A photo of one of the producer's own products."""
    producer = services.producer_of(current_user)
    item = services.attach_photos([services.product_of(producer, product_id)])[0]
    photo = next((p for p in item.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    document = photo.document
    return download_response(
        read_document(document), document.filename, document.content_type, disposition="inline"
    )
