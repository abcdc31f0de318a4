"""One page of a staff list: the page asked for, its rows, the total, and which page links to show.

What the request queues did for themselves (``QueuePage``: the page count and the window of page
links), made shareable so every list pages the same way: a page's rows and their total are two
statements whatever the list holds (``page_of``), ``?page=`` is read in any digits and a bad one
is the first page (``page_number``), and the links come from the ``pagination`` macro of
``_pagination.html`` (a wrapping ``.pagination`` list: usable at 375 px, right to left in Arabic).
The API's lists page with flask-smorest's ``@bp.paginate()`` (``X-Pagination``), as the registry's do.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from .extensions import db
from .numbers import NumberFormatError, parse_int

PER_PAGE = 25
MAX_PAGE = 100000


@dataclass
class Paged:
    """Where a page stands in its list: ``total`` rows, ``per_page`` a page, this ``page``."""

    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def window(self) -> list[int]:
        """The page links to show: the first, the last and three either side of this one."""
        near = range(max(1, self.page - 3), min(self.pages, self.page + 3) + 1)
        return sorted({1, self.pages, *near})

    @property
    def first_item(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class PageOf(Paged):
    """A page of a list with its rows."""

    rows: list


def page_number(param: str = "page") -> int:
    """The page asked for in the query string (any digits); missing or not a page number: 1."""
    try:
        return min(max(1, parse_int(request.args.get(param, "1") or "1")), MAX_PAGE)
    except (NumberFormatError, ValueError, TypeError):
        return 1


def page_of(query: sa.Select, page: int = 1, per_page: int = PER_PAGE, *, scalars: bool = True) -> PageOf:
    """Run ``query`` (ordered) for one page: its total (one count) and its rows (one select)."""
    page = min(max(1, page), MAX_PAGE)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    paged = query.limit(per_page).offset((page - 1) * per_page)
    rows = list(db.session.scalars(paged) if scalars else db.session.execute(paged))
    return PageOf(total=total, page=page, per_page=per_page, rows=rows)
