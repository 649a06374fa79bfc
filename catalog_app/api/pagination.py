"""Page-number pagination for the API's lists: `page` (from 1) and `per_page` (1 to
CATALOG_MAX_PAGE_SIZE, default CATALOG_PAGE_SIZE), the same bounds as the HTML lists.

Page numbers rather than cursors because the lists reuse the catalog's browse queries,
whose relevance order (from the matching engine) has no stable key to resume after.
"""
from __future__ import annotations

import marshmallow as ma

from catalog_app.parameters import MAX_PAGE, parse_id

MAX_PER_PAGE = 100  # the documented bound; the config value CATALOG_MAX_PAGE_SIZE is the same


class WholeNumber(ma.fields.Integer):
    """A query-string integer: ASCII digits only, as everywhere (catalog_app.parameters).

    marshmallow's Integer calls `int()`, which reads "٣" as 3 and fails on 4,300 digits.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            number = parse_id(value)
            if number is None:
                raise self.make_error("invalid")
            value = number
        return super()._deserialize(value, attr, data, **kwargs)


class PageArgsSchema(ma.Schema):
    page = WholeNumber(validate=ma.validate.Range(min=1, max=MAX_PAGE),
                       metadata={"description": "Page number, from 1"})
    per_page = WholeNumber(validate=ma.validate.Range(min=1, max=MAX_PER_PAGE),
                           metadata={"description": f"Items per page, 1 to {MAX_PER_PAGE}"})


class PaginationSchema(ma.Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)


def envelope(page) -> dict:
    """A `BrowsePage` as the list body: its items and where they sit in the whole list."""
    return {"items": page.items,
            "pagination": {"page": page.page, "per_page": page.per_page, "total": page.total,
                           "pages": page.pages}}
