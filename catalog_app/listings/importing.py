"""Bulk import of listings from CSV or XLSX: all rows or none.

A file is read within fixed bounds before anything else happens (`spreadsheet.py`: its
size, rows, cells, cells per row and seconds; for XLSX the zip directory, the string
table and the first sheet are inspected before openpyxl parses anything). Every row is
then validated; one error anywhere and nothing is imported, and the report names row,
column and problem. Large files are read and checked in the background
(`import_jobs.py`); this module is the same for both.
"""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog_app.extensions import db
from catalog_app.listings import permissions
from catalog_app.listings.services import RENEWAL_PERIOD, ListingActionError, ListingInput, add_draft
from catalog_app.listings.spreadsheet import (  # noqa: F401 - read_upload, file_format: the routes' API
    Budget,
    ImportRejected,
    file_format,
    limit,
    raw_rows,
    read_upload,
)
from catalog_app.models import Industry, ListingKind, Scenario, Technology, User
from catalog_app.audit import record
from catalog_app.taxonomy.services import is_cluster
from catalog_app.titles import BLANK_MESSAGE, has_visible_text
from catalog_app.labels import label

COLUMNS = ("kind", "title", "summary", "body", "keywords", "industries", "scenarios", "technologies",
           "maturity_trl", "expires_at", "model_number", "price_text", "customer_name", "problem", "deployment")
REQUIRED_COLUMNS = ("kind", "title")
COLUMN_ALIASES = {
    "类型": "kind", "标题": "title", "摘要": "summary", "简介": "summary", "正文": "body", "详细介绍": "body",
    "关键词": "keywords", "行业": "industries", "场景": "scenarios", "技术": "technologies",
    "技术成熟度": "maturity_trl", "有效期至": "expires_at", "型号": "model_number", "价格": "price_text",
    "客户": "customer_name", "痛点": "problem", "实施内容": "deployment",
}
COLUMN_LABELS = {
    "kind": _l("Type"), "title": _l("Title"), "summary": _l("Summary"), "body": _l("Description"),
    "keywords": _l("Keywords"), "industries": _l("Industries"), "scenarios": _l("Scenarios"),
    "technologies": _l("Technologies"), "maturity_trl": _l("Technology readiness level (TRL)"),
    "expires_at": _l("Listed until"), "model_number": _l("Model number"), "price_text": _l("Price"),
    "customer_name": _l("Customer"), "problem": _l("Problem"), "deployment": _l("Deployment"),
}
KIND_BY_NAME = {
    "solution": ListingKind.SOLUTION, "解决方案": ListingKind.SOLUTION, "方案": ListingKind.SOLUTION,
    "product": ListingKind.PRODUCT, "产品": ListingKind.PRODUCT,
    "case": ListingKind.CASE, "应用案例": ListingKind.CASE, "案例": ListingKind.CASE,
}
MAX_LENGTHS = {"title": 120, "summary": 500, "body": 20000, "keywords": 300, "model_number": 60,
               "price_text": 60, "customer_name": 120, "problem": 5000, "deployment": 5000}
KIND_ONLY = {"model_number": ListingKind.PRODUCT, "price_text": ListingKind.PRODUCT,
             "customer_name": ListingKind.CASE, "problem": ListingKind.CASE, "deployment": ListingKind.CASE}
TERM_SEPARATORS = ("、", ";", "；", "\n")  # the last two count as ";"

STASH_LIFETIME = 24 * 3600


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    kind: ListingKind
    values: ListingInput
    term_names: tuple[str, ...] = ()


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.rows)


def limits() -> dict:
    """The bounds as the upload page states them."""
    return {"max_mb": f"{limit('LISTING_IMPORT_MAX_BYTES') / 1048576:g}",
            "max_rows": limit("LISTING_IMPORT_MAX_ROWS")}


# --- reading ---------------------------------------------------------------------------------

def read_table(filename: str, content: bytes,
               progress: Callable[[int], None] | None = None) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for every non-empty data row.

    Reading stops at the first row, cell or second past a budget (`spreadsheet.Budget`).
    """
    budget = Budget.from_config()
    header: list[str] | None = None
    table: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(raw_rows(filename, content, budget, progress), start=1):
        if header is None:
            header = [COLUMN_ALIASES.get(c.strip(), c.strip().lower()) for c in cells]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise ImportRejected(_("The first row must name the columns; missing: %(columns)s",
                                       columns=", ".join(missing)))
            continue
        if not any(cells):
            continue
        if len(table) >= budget.max_rows:
            raise budget.too_many_rows()
        table.append((number, {name: cells[i] if i < len(cells) else ""
                               for i, name in enumerate(header) if name in COLUMNS}))
    if header is None or not table:
        raise ImportRejected(_("The file contains no listings."))
    return table


# --- validating ------------------------------------------------------------------------------

class _TermIndex:
    """Taxonomy terms by code/slug and by Chinese and English name, loaded once per file."""

    def __init__(self):
        self.by_column = {}
        for column, model, key in (("industries", Industry, "code"), ("scenarios", Scenario, "slug"),
                                   ("technologies", Technology, "slug")):
            lookup = {}
            # Only clusters are pickable industries: a GB/T division name is reported unknown.
            query = sa.select(model).where(is_cluster()) if model is Industry else sa.select(model)
            for term in db.session.scalars(query):
                for name in (getattr(term, key), term.name_zh, term.name_en):
                    lookup.setdefault(name.strip().lower(), term.id)
            self.by_column[column] = lookup

    def resolve(self, column: str, text: str) -> tuple[list[int], list[str]]:
        """Ids of the terms named in a cell, and the names that match none.

        "、" separates terms but also occurs inside names (农、林、牧、渔业), so within each
        ";"-separated group the longest run of pieces that names a term wins.
        """
        lookup = self.by_column[column]
        for separator in TERM_SEPARATORS[2:]:
            text = text.replace(separator, ";")
        ids, unknown = [], []
        for group in text.split(";"):
            pieces = [piece.strip() for piece in group.split("、")]
            start = 0
            while start < len(pieces):
                if not pieces[start]:
                    start += 1
                    continue
                for end in range(len(pieces), start, -1):
                    name = "、".join(pieces[start:end]).lower()
                    if name in lookup:
                        ids.append(lookup[name])
                        start = end
                        break
                else:
                    unknown.append(pieces[start])
                    start += 1
        return list(dict.fromkeys(ids)), unknown


def _parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _validate_row(number: int, cells: dict[str, str], terms: _TermIndex, today: date,
                  errors: list[RowError]) -> ImportRow | None:
    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    start = len(errors)
    kind = KIND_BY_NAME.get(cells.get("kind", "").strip().lower())
    if kind is None:
        error("kind", _("Type must be one of 解决方案, 产品, 应用案例 (or solution, product, case)."))
    if not cells.get("title"):
        error("title", _("A title is required."))
    elif not has_visible_text(cells["title"]):
        error("title", str(BLANK_MESSAGE))
    for column, maximum in MAX_LENGTHS.items():
        if len(cells.get(column, "")) > maximum:
            error(column, _("At most %(count)d characters (now %(length)d).", count=maximum,
                            length=len(cells[column])))
    for column, only_kind in KIND_ONLY.items():
        if cells.get(column) and kind is not None and kind is not only_kind:
            error(column, _("This column only applies to %(kind)s.", kind=_kind_name(only_kind)))
    term_ids = {}
    for column in ("industries", "scenarios", "technologies"):
        term_ids[column], unknown = terms.resolve(column, cells.get(column, ""))
        if unknown:
            error(column, _("Unknown terms: %(names)s", names="、".join(unknown)))
    trl = None
    if cells.get("maturity_trl"):
        try:
            trl = int(cells["maturity_trl"])
        except ValueError:
            trl = 0
        if not 1 <= trl <= 9:
            error("maturity_trl", _("The technology readiness level must be a whole number from 1 to 9."))
    expires_at = today + RENEWAL_PERIOD
    if cells.get("expires_at"):
        expires_at = _parse_date(cells["expires_at"])
        if expires_at is None:
            error("expires_at", _("Write the date as YYYY-MM-DD."))
        elif expires_at < today:
            error("expires_at", _("The expiry date must not be in the past."))
    if len(errors) > start:
        return None
    values = ListingInput(
        title=cells["title"], summary=cells.get("summary", ""), body=cells.get("body", ""),
        keywords=cells.get("keywords", ""), industry_ids=tuple(term_ids["industries"]),
        scenario_ids=tuple(term_ids["scenarios"]), technology_ids=tuple(term_ids["technologies"]),
        maturity_trl=trl, expires_at=expires_at,
        **{column: cells.get(column) or None for column in KIND_ONLY})
    return ImportRow(number, kind, values)


def _kind_name(kind: ListingKind) -> str:
    return label(kind)


def validate_table(table: list[tuple[int, dict[str, str]]], today: date | None = None) -> ImportReport:
    today = today or date.today()
    terms = _TermIndex()
    report = ImportReport()
    first_row_by_title: dict[str, int] = {}
    for number, cells in table:
        row = _validate_row(number, cells, terms, today, report.errors)
        title = cells.get("title", "")
        if title and title in first_row_by_title:
            report.errors.append(RowError(number, "title", _("Same title as row %(row)d.",
                                                              row=first_row_by_title[title])))
            continue
        first_row_by_title.setdefault(title, number)
        if row is not None:
            report.rows.append(row)
    return report


def check_file(filename: str, content: bytes, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Read and validate without writing anything."""
    return validate_table(read_table(filename, content, progress))


def report_summary(report: ImportReport) -> dict:
    """What the preview page shows of a report, as JSON-safe data (a background job stores it)."""
    return {
        "rows": [{"row": row.row, "kind": row.kind.value, "kind_label": _kind_name(row.kind),
                  "title": row.values.title, "scenarios": len(row.values.scenario_ids),
                  "industries": len(row.values.industry_ids), "technologies": len(row.values.technology_ids),
                  "expires_at": row.values.expires_at.isoformat() if row.values.expires_at else ""}
                 for row in report.rows],
        "errors": [{"row": error.row, "column": error.column, "message": str(error.message)}
                   for error in report.errors],
    }


# --- importing -------------------------------------------------------------------------------

def import_listings(filename: str, content: bytes, actor: User) -> int:
    """Create every row as a draft in one transaction; re-validates, so a stale preview is safe."""
    if not permissions.can_manage_listings(actor):
        raise ListingActionError(_("You cannot change this listing."))
    report = check_file(filename, content)
    if not report.is_clean:
        raise ListingActionError(_("The file has errors; nothing was imported."))
    for row in report.rows:
        add_draft(row.kind, row.values, actor)
    record(actor, "imported", None, object_type="listing", count=len(report.rows), filename=filename[:120])
    db.session.commit()
    return len(report.rows)


# --- the file between preview and confirmation -----------------------------------------------

def stash_dir() -> Path:
    return Path(current_app.config["LISTING_IMPORT_DIR"])


def _stash_path(user: User, token: str, file_kind: str) -> Path:
    return stash_dir() / f"{user.id}-{token}.{file_kind}"


def stash_upload(filename: str, content: bytes, user: User) -> str:
    """Keep a checked file until the user confirms; the token is useless to anyone else."""
    directory = stash_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STASH_LIFETIME
    for old in directory.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except FileNotFoundError:  # a job's state file being replaced at this moment
            continue
    token = secrets.token_hex(16)
    _stash_path(user, token, file_format(filename, content)).write_bytes(content)
    return token


def is_token(token: str | None) -> bool:
    return bool(token) and len(token) == 32 and all(c in "0123456789abcdef" for c in token)


def load_stash(token: str, user: User) -> tuple[str, bytes] | None:
    if not is_token(token):
        return None
    for file_kind in ("csv", "xlsx"):
        path = _stash_path(user, token, file_kind)
        if path.is_file():
            return f"import.{file_kind}", path.read_bytes()
    return None


def drop_stash(token: str, user: User) -> None:
    for file_kind in ("csv", "xlsx"):
        _stash_path(user, token, file_kind).unlink(missing_ok=True)
