"""The producer's own pages on the portal (phone first): the profile, the public page consent
and contact, the products with prices and photos. Routes of the plugin's blueprint."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from core.toolkit import download_response, read_document, require

from . import services
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

    return handle(
        "productive_families/portal.html",
        lambda: {
            "producer": producer,
            "products": services.products_of([producer.id]).get(producer.id, []),
            "profile": profile_values(producer),
            **choices(),
        },
        {"profile": (PORTAL, profile), "showcase": (PORTAL, showcase), "product": (PORTAL, product)},
    )


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
