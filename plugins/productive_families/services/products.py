"""Products with prices and photos (photos are core documents of the producer's household,
stored by core's storage)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import NotFound, db, get_in_tenant, upload_document

from ..i18n import _l
from ..models import Producer, Product, ProductPhoto
from ..schemas import ProductPatchSchema, ProductSchema
from ._common import audit

PHOTO_TYPE = "product_photo"
MAX_PHOTOS = 5
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def add_product(producer: Producer, data: dict, actor: Any = None) -> Product:
    values = ProductSchema().load(data)
    product = Product(producer_id=producer.id, **values)
    db.session.add(product)
    db.session.flush()
    audit("product.created", product, {"fields": sorted(values)}, actor)
    return product


def update_product(product: Product, data: dict, actor: Any = None) -> Product:
    values = ProductPatchSchema().load(data)
    changed = sorted(field for field, value in values.items() if getattr(product, field) != value)
    for field, value in values.items():
        setattr(product, field, value)
    db.session.flush()
    if changed:
        audit("product.updated", product, {"fields": changed}, actor)
    return product


def product_of(producer: Producer, product_id: int) -> Product:
    """One of ``producer``'s products; 404 for another producer's (or tenant's) product."""
    product = get_in_tenant(Product, product_id)
    if product is None or product.producer_id != producer.id:
        raise NotFound(_l("No such product."))
    return product


def _is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def add_photo(product: Product, data: bytes, filename: str | None, actor: Any = None) -> ProductPhoto:
    """A photo (JPEG, PNG or WebP), checked before anything is stored."""
    if not data:
        raise ValidationError({"photo": [_l("Choose a photo to upload.")]})
    if not _is_image(data):
        raise ValidationError({"photo": [_l("The photo must be a JPEG, PNG or WebP image.")]})
    count = db.session.scalar(
        sa.select(sa.func.count(ProductPhoto.id)).where(ProductPhoto.product_id == product.id)
    )
    if count >= MAX_PHOTOS:
        raise ValidationError({"photo": [_l("A product has at most %(count)s photos.", count=MAX_PHOTOS)]})
    producer = get_in_tenant(Producer, product.producer_id)
    try:
        document = upload_document(
            data, filename, {"household_id": producer.household_id, "doc_type": PHOTO_TYPE}, actor
        )
    except ValidationError as exc:
        raise ValidationError({"photo": [m for ms in exc.messages.values() for m in ms]}) from None
    photo = ProductPhoto(product_id=product.id, document_id=document.id)
    db.session.add(photo)
    db.session.flush()
    audit("product.photo_added", product, {"document_id": document.id}, actor)
    return photo


def remove_photo(product: Product, photo_id: int, actor: Any = None) -> None:
    photo = get_in_tenant(ProductPhoto, photo_id)
    if photo is None or photo.product_id != product.id:
        raise NotFound(_l("No such photo."))
    db.session.delete(photo)
    db.session.flush()
    audit("product.photo_removed", product, {"document_id": photo.document_id}, actor)


def attach_photos(products: list[Product]) -> list[Product]:
    """Set ``photos`` on each product (one query whatever the number)."""
    photos: dict[int, list[ProductPhoto]] = defaultdict(list)
    if products:
        rows = db.session.scalars(
            sa.select(ProductPhoto)
            .where(ProductPhoto.product_id.in_([p.id for p in products]))
            .order_by(ProductPhoto.id)
        ).unique()
        for photo in rows:
            photos[photo.product_id].append(photo)
    for product in products:
        product.photos = photos[product.id]
    return products


def products_of(producer_ids: list[int], *, available_only: bool = False) -> dict[int, list[Product]]:
    """Products by producer, each with ``photos`` (two queries whatever the numbers)."""
    if not producer_ids:
        return {}
    query = sa.select(Product).where(Product.producer_id.in_(producer_ids)).order_by(Product.name, Product.id)
    if available_only:
        query = query.where(Product.available.is_(True))
    grouped: dict[int, list[Product]] = defaultdict(list)
    for product in attach_photos(list(db.session.scalars(query))):
        grouped[product.producer_id].append(product)
    return grouped
