"""The search page at /search: every kind at once, a few results each."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, render_template, request

from catalog_app.browsing.params import LISTING_BROWSE_ARGUMENTS, InvalidQuery, parse_browse_params
from catalog_app.page_cache import cached_page
from catalog_app.search import services

bp = Blueprint("search", __name__)

PREVIEW_SIZE = 5


@bp.get("/search")
@cached_page(LISTING_BROWSE_ARGUMENTS)
def index():
    try:
        params = parse_browse_params(request.args)
        if not params.q and not params.facets:
            return render_template("search/index.html", params=params, results=None)
        results = services.search_everything(replace(params, page=1, per_page=PREVIEW_SIZE))
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("search/index.html", params=results.params, results=results)
