"""The public showcase: per consenting producer, a page anyone may open (no login). Only what
the producer chose to publish leaves here — trade name, activity, products, prices, photos and
the chosen contact — never the person's name, ID, income or address."""

from __future__ import annotations

import sqlalchemy as sa

from core.toolkit import Document, NotFound, db, get_in_tenant, read_document

from ..i18n import _l
from ..models import Producer, Product, ProductPhoto
from .products import products_of


def public_producer(producer_id: int) -> Producer:
    """The producer, if their page is public now; 404 otherwise (withdrawn consent included)."""
    producer = get_in_tenant(Producer, producer_id)
    if producer is None or not producer.showcase_consent:
        raise NotFound(_l("This page does not exist."))
    return producer


def public_products(producer: Producer) -> list[Product]:
    return products_of([producer.id], available_only=True).get(producer.id, [])


def public_producers(limit: int = 200) -> list[Producer]:
    """The producers whose page is public, by trade name."""
    query = (
        sa.select(Producer)
        .where(Producer.showcase_consent.is_(True))
        .order_by(Producer.trade_name, Producer.id)
        .limit(limit)
    )
    return list(db.session.scalars(query).unique())


def public_photo(producer: Producer, photo_id: int) -> tuple[Document, bytes]:
    """A photo of an available product of a public producer; 404 for anything else."""
    photo = get_in_tenant(ProductPhoto, photo_id)
    product = get_in_tenant(Product, photo.product_id) if photo is not None else None
    if product is None or product.producer_id != producer.id or not product.available:
        raise NotFound(_l("This page does not exist."))
    return photo.document, read_document(photo.document, audited=False)
