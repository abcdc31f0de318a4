"""The public showcase (no login, phone first): the page of a producer who consents, and the
photos of their available products. Routes of the plugin's blueprint, so disabling the plugin
takes them down; withdrawing the consent answers 404 on the next request."""

from __future__ import annotations

from flask import render_template

from core.toolkit import download_response

from . import rules, services
from .views import bp


@bp.route("/showcase/")
def showcase_index():
    award, winners = services.published_winners()
    return render_template(
        "productive_families/showcase_index.html",
        producers=services.public_producers(),
        award=award,
        winners=winners,
    )


@bp.route("/showcase/<int:producer_id>")
def showcase(producer_id: int):
    producer = services.public_producer(producer_id)
    return render_template(
        "productive_families/showcase.html",
        producer=producer,
        products=services.public_products(producer),
        whatsapp=rules.whatsapp_link(producer.showcase_whatsapp) if producer.showcase_whatsapp else None,
        exhibitions=services.upcoming_for(producer),
    )


@bp.route("/showcase/<int:producer_id>/photos/<int:photo_id>")
def showcase_photo(producer_id: int, photo_id: int):
    producer = services.public_producer(producer_id)
    document, data = services.public_photo(producer, photo_id)
    # Not cached anywhere: a withdrawn consent takes the photos down with the page.
    return download_response(data, document.filename, document.content_type, disposition="inline")
