"""Public platform statistics: the page, and each chart's data as JSON (for the chart
script, since the CSP allows no inline script) and as CSV."""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template

from catalog_app.stats.cache import cached_stats
from catalog_app.stats.charts import CHARTS, chart_csv, chart_payload, chart_views
from catalog_app.recommendations.confidence import percent_of, strong_match_confidence

bp = Blueprint("stats", __name__, url_prefix="/stats")


def _spec(name: str):
    spec = CHARTS.get(name)
    if spec is None:
        abort(404)
    return spec


@bp.get("/")
def index():
    stats = cached_stats()
    return render_template("stats/index.html", stats=stats, charts=chart_views(stats),
                           weak_percent=percent_of(strong_match_confidence()))


@bp.get("/data/<name>.json")
def chart_data(name: str):
    spec = _spec(name)
    return jsonify(chart_payload(spec, cached_stats()))


@bp.get("/<name>.csv")
def chart_csv_file(name: str):
    spec = _spec(name)
    body = "\ufeff" + chart_csv(spec, cached_stats())  # the BOM makes spreadsheets read UTF-8 (Chinese names)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{spec.name}.csv"'})
