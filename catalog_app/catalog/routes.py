"""Public browsing of solutions, products and cases, and the cross-kind search."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, render_template, request

from catalog_app.catalog import services
from catalog_app.catalog.params import InvalidQuery, parse_browse_params

bp = Blueprint("catalog", __name__)

SECTIONS = "any(solutions,products,cases)"
SEARCH_PREVIEW_SIZE = 5


@bp.get(f"/<{SECTIONS}:section>")
def listings(section: str):
    kind = services.KIND_BY_SECTION[section]
    try:
        params = parse_browse_params(request.args)
        page = services.search_listings(kind, params)
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("catalog/list.html", section=section, kind=kind, params=params, page=page)


@bp.get(f"/<{SECTIONS}:section>/<int:listing_id>")
def listing(section: str, listing_id: int):
    detail = services.get_listing(services.KIND_BY_SECTION[section], listing_id)
    return render_template("catalog/detail.html", section=section, detail=detail, listing=detail.listing)


@bp.get("/search")
def search():
    try:
        params = parse_browse_params(request.args)
        if not params.q and not params.facets:
            return render_template("catalog/search.html", params=params, results=None)
        results = services.search_everything(replace(params, page=1, per_page=SEARCH_PREVIEW_SIZE))
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("catalog/search.html", params=results.params, results=results)
