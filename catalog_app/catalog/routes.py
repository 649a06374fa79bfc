"""Public browsing of solutions, products and cases (the cross-kind search is catalog_app.search)."""
from __future__ import annotations


from flask import (Blueprint, Response, abort, jsonify, render_template, request, send_file, session,
                   stream_with_context, url_for)
from flask_login import current_user

from catalog_app.catalog import exporting, fragments, services
from catalog_app.browsing.params import LISTING_BROWSE_ARGUMENTS, InvalidQuery, default_sort, parse_browse_params
from catalog_app.page_cache import cached_page

bp = Blueprint("catalog", __name__)
# The cached listing card and facet panel are globals of every template (home, scenarios and
# organizations show listing cards too); registered here, so the templating floor needs no
# import of this feature.
bp.add_app_template_global(fragments.listing_card, "listing_card")
bp.add_app_template_global(fragments.facet_panel, "cached_facet_panel")

SECTIONS = "any(solutions,products,cases)"


@bp.get(f"/<{SECTIONS}:section>")
@cached_page(LISTING_BROWSE_ARGUMENTS)
def listings(section: str):
    kind = services.KIND_BY_SECTION[section]
    try:
        params = parse_browse_params(request.args)
        page = services.search_listings(kind, params, cards=True)
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("catalog/list.html", section=section, kind=kind, params=params, page=page,
                           export_urls=_export_urls(section, params))


def _export_urls(section: str, params) -> dict[str, str]:
    """The export links for the list page's query: same keyword, facets and sort."""
    args = {**params.facets, "q": params.q or None,
            "sort": params.sort if params.sort != default_sort(params.q) else None}
    return {file_format: url_for("catalog.export", section=section, file_format=file_format, **args)
            for file_format in ("csv", "xlsx")}


@bp.get(f"/<{SECTIONS}:section>/export.<any(csv,xlsx):file_format>")
def export(section: str, file_format: str):
    """The list page's results for the same query arguments, as CSV (streamed) or XLSX."""
    kind = services.KIND_BY_SECTION[section]
    try:
        results = exporting.ListingExport(kind, parse_browse_params(request.args))
    except InvalidQuery as error:
        abort(400, description=error.message)
    filename = f"{section}.{file_format}"
    if file_format == "csv":
        return Response(stream_with_context(exporting.csv_chunks(results)), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={filename}"})
    return send_file(
        exporting.xlsx_file(results), as_attachment=True, download_name=filename,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get(f"/<{SECTIONS}:section>/<int:listing_id>")
@cached_page()
def listing(section: str, listing_id: int):
    detail = services.listing_page(services.KIND_BY_SECTION[section], listing_id)
    return render_template("catalog/detail.html", section=section, detail=detail)


@bp.post(f"/<{SECTIONS}:section>/<int:listing_id>/view")
def count_view(section: str, listing_id: int):
    """Posted by static/js/listing-views.js once a listing page is shown (the page GET never
    writes); answers 204 whether or not the view counted, so the answer tells nothing."""
    outcome = services.count_view(services.KIND_BY_SECTION[section], listing_id, current_user, session,
                                  request.remote_addr or "-")
    if outcome is services.ViewOutcome.NOT_FOUND:
        return jsonify(error="not_found"), 404
    if outcome is services.ViewOutcome.LIMITED:
        return jsonify(error="too_many_requests"), 429
    return "", 204
