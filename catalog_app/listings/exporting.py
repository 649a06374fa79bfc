"""Export of an organization's listings, and the import template, as CSV or XLSX.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) as a formula: a title like `=HYPERLINK(...)` typed by anyone
would execute on the exporter's machine. Such cells are prefixed with a single quote.
The columns are the import columns, so an export can be edited and imported again.
"""
from __future__ import annotations

import csv
import io

from catalog_app.listings.importing import COLUMNS
from catalog_app.models import Listing, ListingKind

EXPORT_COLUMNS = ("id", "status") + COLUMNS
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
KIND_NAMES = {ListingKind.SOLUTION: "解决方案", ListingKind.PRODUCT: "产品", ListingKind.CASE: "应用案例"}

EXAMPLE_ROW = {
    "kind": "解决方案", "title": "皮具表面缺陷视觉检测方案", "summary": "基于深度学习的皮面划痕、色差自动识别",
    "body": "适用于皮具、五金等行业的外观检测。", "keywords": "视觉检测、缺陷检测",
    "industries": "", "scenarios": "", "technologies": "", "maturity_trl": "7",
    "expires_at": "", "model_number": "", "price_text": "", "customer_name": "", "problem": "",
    "deployment": "",
}
COLUMN_NOTES = (
    ("kind", "必填。解决方案、产品 或 应用案例（也可写 solution、product、case）"),
    ("title", "必填，不超过 120 字"),
    ("summary", "不超过 500 字"),
    ("body", "详细介绍，不超过 20000 字"),
    ("keywords", "不超过 300 字"),
    ("industries", "行业名称或代码，多个用“、”或“;”分隔"),
    ("scenarios", "场景名称或代码，多个用“、”或“;”分隔"),
    ("technologies", "技术名称或代码，多个用“、”或“;”分隔"),
    ("maturity_trl", "技术成熟度 1–9"),
    ("expires_at", "有效期至，格式 YYYY-MM-DD，不能早于今天；留空则为一年后"),
    ("model_number", "仅产品：型号"),
    ("price_text", "仅产品：价格说明"),
    ("customer_name", "仅应用案例：客户名称"),
    ("problem", "仅应用案例：痛点"),
    ("deployment", "仅应用案例：实施内容"),
)


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def listing_row(listing: Listing) -> dict:
    return {
        "id": listing.id, "status": listing.status.value, "kind": KIND_NAMES[listing.kind],
        "title": listing.title, "summary": listing.summary, "body": listing.body, "keywords": listing.keywords,
        "industries": "、".join(t.name_zh for t in listing.industries),
        "scenarios": "、".join(t.name_zh for t in listing.scenarios),
        "technologies": "、".join(t.name_zh for t in listing.technologies),
        "maturity_trl": listing.maturity_trl if listing.maturity_trl is not None else "",
        "expires_at": listing.expires_at.isoformat() if listing.expires_at else "",
        **{name: getattr(listing, name) or "" for name in ("model_number", "price_text", "customer_name",
                                                             "problem", "deployment")},
    }


def to_csv(columns, rows) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(column, "")) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(columns, rows, notes=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "listings"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(row.get(column, "")) for column in columns])
    for index, column in enumerate(columns):
        sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = \
            40 if column in ("title", "summary", "body", "scenarios") else 16
    if notes:
        help_sheet = workbook.create_sheet("说明")
        help_sheet.append(["列名", "说明"])
        for row in notes:
            help_sheet.append([neutralise(cell) for cell in row])
        help_sheet.column_dimensions["A"].width = 18
        help_sheet.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_listings(listings: list[Listing], file_format: str) -> bytes:
    rows = [listing_row(listing) for listing in listings]
    return to_xlsx(EXPORT_COLUMNS, rows) if file_format == "xlsx" else to_csv(EXPORT_COLUMNS, rows)


def import_template(file_format: str, example: dict | None = None) -> bytes:
    rows = [example or EXAMPLE_ROW]
    return to_xlsx(COLUMNS, rows, COLUMN_NOTES) if file_format == "xlsx" else to_csv(COLUMNS, rows)
