"""Services of the plugin: plain functions that validate, write through the session (flush, never
commit) and audit each change; callers commit once, so a refusal writes nothing.

One module per part: ``producers`` (profile, portal account, showcase consent), ``products``
(products and photos), ``licensing`` (licence states, expiry warnings), ``showcase`` (the public
page), ``_common`` for what they share.
"""

from __future__ import annotations

from ._common import PLUGIN_ID, settings
from .exhibitions import (
    allocate,
    applications_by_producer,
    applications_of,
    apply,
    create_exhibition,
    exhibition_households,
    exhibition_sales,
    exhibition_totals,
    exhibitions_held,
    get_application,
    get_exhibition,
    list_exhibitions,
    open_calls,
    previous_booth_holders,
    record_sales,
    score_application,
    upcoming_for,
)
from .licensing import WARNING_MESSAGE, WARNING_TEMPLATE, change_licence, families_licensed, run_licence_job
from .producers import (
    create_producer,
    get_producer,
    link_account,
    list_producers,
    producer_count,
    producer_of,
    set_showcase,
    update_profile,
)
from .products import (
    PHOTO_TYPE,
    add_photo,
    add_product,
    attach_photos,
    product_of,
    products_of,
    remove_photo,
    update_product,
)
from .showcase import public_photo, public_producer, public_producers, public_products

__all__ = [
    "allocate",
    "applications_by_producer",
    "applications_of",
    "apply",
    "create_exhibition",
    "exhibition_households",
    "exhibition_sales",
    "exhibition_totals",
    "exhibitions_held",
    "get_application",
    "get_exhibition",
    "list_exhibitions",
    "open_calls",
    "previous_booth_holders",
    "record_sales",
    "score_application",
    "upcoming_for",
    "PHOTO_TYPE",
    "PLUGIN_ID",
    "WARNING_MESSAGE",
    "WARNING_TEMPLATE",
    "add_photo",
    "add_product",
    "attach_photos",
    "change_licence",
    "create_producer",
    "families_licensed",
    "get_producer",
    "link_account",
    "list_producers",
    "producer_count",
    "producer_of",
    "product_of",
    "products_of",
    "public_photo",
    "public_producer",
    "public_producers",
    "public_products",
    "remove_photo",
    "run_licence_job",
    "set_showcase",
    "settings",
    "update_product",
    "update_profile",
]
