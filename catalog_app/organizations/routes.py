"""The public directory of organizations and their profile pages."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from catalog_app.browsing.params import ORGANIZATION_BROWSE_ARGUMENTS, ORGANIZATION_FACETS, InvalidQuery, parse_browse_params
from catalog_app.organizations import services
from catalog_app.page_cache import cached_page

bp = Blueprint("organizations", __name__, url_prefix="/organizations")


@bp.get("")
@cached_page(ORGANIZATION_BROWSE_ARGUMENTS)
def index():
    try:
        params = parse_browse_params(request.args, ORGANIZATION_FACETS)
        page = services.search_organizations(params)
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("organizations/list.html", params=params, page=page)


@bp.get("/<int:organization_id>")
@cached_page()
def detail(organization_id: int):
    detail = services.get_organization(organization_id)
    return render_template("organizations/detail.html", detail=detail, organization=detail.organization)
