"""Public list and detail pages of demands posted by enterprises."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from catalog_app.catalog.params import InvalidQuery, parse_browse_params
from catalog_app.demands import services

bp = Blueprint("demands", __name__, url_prefix="/demands")


@bp.get("")
def index():
    try:
        params = parse_browse_params(request.args)
        page = services.search_demands(params)
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("demands/list.html", params=params, page=page)


@bp.get("/<int:demand_id>")
def detail(demand_id: int):
    detail = services.get_demand(demand_id)
    return render_template("demands/detail.html", detail=detail, demand=detail.demand)
