"""CSV and XLSX export of a public list page's results (solutions, products, cases).

The export holds exactly the rows the list page would show for the same query arguments
(same public statement, same facet and keyword filtering, same order), public fields only.
Rows are read in batches of `BATCH_SIZE` (`yield_per`: a server-side cursor on
PostgreSQL), with the taxonomy names of a batch fetched in one query per link table, so
neither the rows nor the ORM objects of a large export are ever all in memory: the CSV is
streamed as it is produced, the XLSX written row by row by openpyxl's write-only workbook
into a spooled temporary file.

Cells a spreadsheet would run as a formula are neutralised with
`listings.exporting.neutralise`.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from catalog_app.browsing import facets as facet_counts
from catalog_app.browsing.browse import _order_by, filtered_statement
from catalog_app.labels import label
from catalog_app.browsing.params import BrowseParams
from catalog_app.catalog.services import listing_source
from catalog_app.extensions import db
from catalog_app.formatting import local_date
from catalog_app.listings.exporting import neutralise
from catalog_app.models import Industry, Listing, ListingKind, Organization, Region, Scenario, Technology
from catalog_app.models.listings import listing_industries, listing_scenarios, listing_technologies
from catalog_app.public_urls import SECTION_BY_KIND, public_url
from catalog_app.i18n import locale_or_default

BATCH_SIZE = 1000
# Kept in memory up to this size, then spilled to disk.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024

COLUMNS = (
    ("id", _l("ID")),
    ("kind", _l("Type")),
    ("title", _l("Title")),
    ("summary", _l("Summary")),
    ("organization", _l("Organization")),
    ("city", _l("City")),
    ("scenarios", _l("Scenarios")),
    ("technologies", _l("Technologies")),
    ("industries", _l("Industries")),
    ("maturity", _l("Maturity")),
    ("published", _l("Published date")),
    ("url", _l("URL")),
)

# Only these columns are ever read: nothing confidential can reach an export.
_ROW_COLUMNS = (
    Listing.id, Listing.kind, Listing.title, Listing.summary, Organization.name.label("organization"),
    Organization.region_id, Listing.maturity_trl, Listing.maturity_stage, Listing.published_at,
)
_LINKS = (
    ("scenarios", listing_scenarios, "scenario_id", Scenario),
    ("technologies", listing_technologies, "technology_id", Technology),
    ("industries", listing_industries, "industry_id", Industry),
)


class ListingExport:
    """The rows of one export; build it (which validates the facets) before streaming."""

    def __init__(self, kind: ListingKind, params: BrowseParams):
        """:raises InvalidQuery: for an unknown facet value, like the list page."""
        self.kind = kind
        self.params = params
        self.source = listing_source(kind)
        self.selected = facet_counts.resolve_facets(params.facets)

    def _name_column(self, model):
        locale = locale_or_default(get_locale())
        return model.name_en if locale.startswith("en") else model.name_zh

    def _city_names(self) -> dict[int, str]:
        """Region id -> the name of its city (a district shows its parent city); regions are few."""
        regions = db.session.execute(
            sa.select(Region.id, Region.parent_id, self._name_column(Region))
        ).all()
        by_id = {row.id: row for row in regions}
        names = {}
        for row in regions:
            city = by_id.get(row.parent_id, row)
            names[row.id] = city[2]
        return names

    def _batches(self) -> Iterator[list]:
        ranked_ids = None
        if self.params.q and self.source.ranked_search:
            ranked_ids = self.source.ranked_search(self.params.q)
        statement, score = filtered_statement(self.source, self.params.q, self.selected, ranked_ids)
        rows = statement.with_only_columns(*_ROW_COLUMNS)
        if ranked_ids is not None and self.params.sort == "relevance":
            # The engine's order, as on the list page (the ranked list is bounded in size).
            allowed = set(db.session.scalars(statement.with_only_columns(Listing.id).order_by(None)))
            ordered = [i for i in ranked_ids if i in allowed]
            for start in range(0, len(ordered), BATCH_SIZE):
                chunk = ordered[start:start + BATCH_SIZE]
                by_id = {row.id: row for row in db.session.execute(rows.where(Listing.id.in_(chunk)))}
                yield [by_id[i] for i in chunk if i in by_id]
            return
        ordered_rows = rows.order_by(*_order_by(self.source, self.params.sort, score))
        result = db.session.execute(ordered_rows.execution_options(yield_per=BATCH_SIZE))
        try:
            for batch in result.partitions():
                yield batch
        finally:
            result.close()

    def _terms(self, ids: list[int]) -> dict[str, dict[int, list[str]]]:
        """Taxonomy names of a batch: one query per link table."""
        terms: dict[str, dict[int, list[str]]] = {}
        for name, table, term_column, model in _LINKS:
            by_listing: dict[int, list[str]] = defaultdict(list)
            statement = (
                sa.select(table.c.listing_id, self._name_column(model))
                .join(model, model.id == table.c[term_column])
                .where(table.c.listing_id.in_(ids))
                .order_by(table.c.listing_id, model.id)
            )
            for listing_id, term in db.session.execute(statement):
                by_listing[listing_id].append(term)
            terms[name] = by_listing
        return terms

    def header(self) -> list[str]:
        return [str(title) for _key, title in COLUMNS]

    def rows(self) -> Iterator[list]:
        """Neutralised cell values, row by row, in the list page's order."""
        cities = self._city_names()
        url_base = public_url("catalog.listing", section=SECTION_BY_KIND[self.kind], listing_id=0)[:-1]
        kind_label = label(self.kind)
        for batch in self._batches():
            terms = self._terms([row.id for row in batch])
            for row in batch:
                maturity = " ".join(part for part in (
                    f"TRL {row.maturity_trl}" if row.maturity_trl else "",
                    label(row.maturity_stage) if row.maturity_stage else "",
                ) if part)
                values = {
                    "id": row.id, "kind": kind_label, "title": row.title, "summary": row.summary or "",
                    "organization": row.organization, "city": cities.get(row.region_id, ""),
                    "scenarios": "、".join(terms["scenarios"].get(row.id, ())),
                    "technologies": "、".join(terms["technologies"].get(row.id, ())),
                    "industries": "、".join(terms["industries"].get(row.id, ())),
                    "maturity": maturity,
                    "published": local_date(row.published_at),  # the date in the display zone
                    "url": f"{url_base}{row.id}",
                }
                yield [neutralise(values[key]) for key, _title in COLUMNS]


def csv_chunks(export: ListingExport) -> Iterator[bytes]:
    """The CSV as UTF-8 with a byte-order mark (Excel then reads Chinese), one chunk per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(export.header())
    count = 0
    for row in export.rows():
        writer.writerow(row)
        count += 1
        if count % BATCH_SIZE == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(export: ListingExport):
    """The workbook in a spooled temporary file, rewound; the caller closes it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SECTION_BY_KIND[export.kind]))
    widths = {"title": 40, "summary": 60, "scenarios": 30, "url": 40}
    for index, (key, _title) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = widths.get(key, 16)
    sheet.append(export.header())
    for row in export.rows():
        sheet.append(row)
    spooled = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)
    workbook.save(spooled)
    spooled.seek(0)
    return spooled
