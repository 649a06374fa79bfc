"""The charts of the statistics page: what each shows, and its rows as JSON or CSV.

A chart is a `Table` from the cached statistics plus a spec (title, chart type, the
names of its rows and series). Labels are resolved here, per request, so one cached
table serves both languages. CSV cells that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) are prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from catalog_app.labels import label
from catalog_app.stats.services import PlatformStats, Term
from catalog_app.templating import current_locale


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: object
    kind: str            # "line", "bar" (vertical), "hbar" (horizontal), "stacked" (horizontal, stacked)
    row_title: object    # header of the first CSV column
    series: tuple         # (series key, label) pairs
    chart_rows: int = 0  # rows drawn (the CSV and the table have all); 0 means all
    description: object = ""
    unit: str = ""        # "%" for shares: the axis then runs to 100
    table_series: tuple = ()  # more columns for the table and the CSV only


SERIES_LABELS = {
    "solutions": _l("Solutions"), "products": _l("Products"), "cases": _l("Application cases"),
    "demands": _l("Demands"), "organizations": _l("Organizations"), "users": _l("Users"),
    "listings": _l("Listings"), "count": _l("Count"), "unmet": _l("Demands with weak matches"),
    "contacted": _l("Contacted"), "viewed": _l("Viewed"), "suggested": _l("Not yet acted on"),
    "dismissed": _l("Dismissed"), "matches": _l("Recommendations"),
}

FUNNEL_LABELS = {
    "published": _l("Demands ever published"), "answered": _l("Demands answered"),
    "proposals": _l("Proposals from suppliers"),
    "shortlisted": _l("Shortlisted"), "agreements": _l("Intent agreements"),
}


def _series(*keys: str) -> tuple:
    return tuple((key, SERIES_LABELS[key]) for key in keys)


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in (
    ChartSpec("growth", _l("Growth over time"), "line", _l("Month"),
              _series("solutions", "products", "cases", "demands", "organizations", "users"),
              description=_l("Cumulative totals at the end of each month.")),
    ChartSpec("cities", _l("By city"), "bar", _l("City"), _series("listings", "demands", "organizations"),
              chart_rows=21, description=_l("Items in a district count for its city.")),
    ChartSpec("industries", _l("By industry"), "hbar", _l("Industry"), _series("listings", "demands"),
              chart_rows=15),
    ChartSpec("scenarios", _l("By scenario"), "stacked", _l("Scenario"),
              _series("solutions", "products", "cases", "demands"), chart_rows=20),
    ChartSpec("tiers", _l("By enterprise tier"), "bar", _l("Organization size"),
              _series("organizations", "listings", "demands")),
    ChartSpec("funnel", _l("From demand to deal"), "hbar", _l("Stage"), _series("count")),
    ChartSpec("unmet-cities", _l("Unmet demands by city"), "hbar", _l("City"), _series("unmet"), chart_rows=21),
    ChartSpec("unmet-industries", _l("Unmet demands by industry"), "hbar", _l("Industry"), _series("unmet"),
              chart_rows=15),
    ChartSpec("unmet-scenarios", _l("Unmet demands by scenario"), "hbar", _l("Scenario"), _series("unmet"),
              chart_rows=15),
    ChartSpec("match-quality", _l("Recommendations in use, by scenario"), "stacked", _l("Scenario"),
              _series("contacted", "viewed", "suggested", "dismissed"), chart_rows=20, unit="%",
              table_series=_series("matches"),
              description=_l("Share (%) of the stored recommendations of public demands by what the two sides "
                             "did with them; the table also gives their number.")),
)}


def row_label(key) -> str:
    if isinstance(key, Term):
        return key.localized_name(current_locale())
    if isinstance(key, enum.Enum):
        return label(key)
    return str(FUNNEL_LABELS.get(key, key))


def chart_rows(spec: ChartSpec, stats: PlatformStats) -> tuple[list[str], list[list]]:
    """Header and rows (first cell the row's label) of a chart, every row."""
    table = stats.tables[spec.name]
    series = (*spec.series, *spec.table_series)
    header = [str(spec.row_title), *(str(title) for _key, title in series)]
    rows = [[row_label(key), *(table.columns.get(name, [0] * len(table.rows))[index] for name, _t in series)]
            for index, key in enumerate(table.rows)]
    return header, rows


def chart_payload(spec: ChartSpec, stats: PlatformStats) -> dict:
    """What static/js/stats.js draws: labels, one dataset per series."""
    _header, rows = chart_rows(spec, stats)
    if spec.chart_rows:
        rows = rows[:spec.chart_rows]
    return {
        "name": spec.name,
        "kind": spec.kind,
        "unit": spec.unit,
        "labels": [row[0] for row in rows],
        "datasets": [{"key": key, "label": str(title), "data": [row[index + 1] for row in rows]}
                     for index, (key, title) in enumerate(spec.series)],
    }


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell a spreadsheet shows as text: formulas are neutralised with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def chart_csv(spec: ChartSpec, stats: PlatformStats) -> str:
    """The chart's rows; industry clusters get a column with their GB/T 4754 division codes."""
    header, rows = chart_rows(spec, stats)
    references = [getattr(key, "reference", "") for key in stats.tables[spec.name].rows]
    if any(references):
        header = [header[0], "GB/T 4754", *header[1:]]
        rows = [[row[0], reference, *row[1:]] for row, reference in zip(rows, references)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [header, *rows]:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


@dataclass
class ChartView:
    """A chart as the page shows it: the spec, and every row for the table beneath it."""

    spec: ChartSpec
    header: list[str]
    rows: list[list]


def chart_views(stats: PlatformStats) -> dict[str, ChartView]:
    return {name: ChartView(spec, *chart_rows(spec, stats)) for name, spec in CHARTS.items()}
