"""Reading an uploaded CSV or XLSX file within fixed bounds, before parsing it whole.

A spreadsheet is cheap to send and can be dear to read: 100 KB of XLSX can hold millions
of empty shared strings, and 12 KB one row of two million empty cells. So an XLSX file
is inspected first, without openpyxl (`xlsx_inspection.py`: the zip directory, then the
string table and the first sheet streamed and counted up to the budget); only a file
that passed goes to openpyxl (read-only, streaming), bounded by the same budget. CSV is
bounded likewise: bytes, rows, cells per row, cells, seconds (`import_limits.py`).

Every refusal is an `ImportRejected` with a message for people; reading stops at the
first row, cell or second past a limit, so the worst case is set by the limits, not by
the file.
"""
from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _

from catalog_app.listings.import_limits import Budget, ImportRejected, limit
from catalog_app.listings.xlsx_inspection import damaged, inspect_xlsx

__all__ = ["Budget", "ImportRejected", "limit", "read_upload", "file_format", "raw_rows"]

MAX_COLUMNS = 40
MAX_CELL_CHARS = 50000


# --- the upload ------------------------------------------------------------------------------

def read_upload(stream) -> bytes:
    """At most the size limit: the rest of an oversized upload is never read into memory."""
    max_bytes = limit("LISTING_IMPORT_MAX_BYTES")
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ImportRejected(_("The file is larger than %(size)s MB.", size=f"{max_bytes / 1048576:g}"),
                             too_large=True)
    return content


def file_format(filename: str, content: bytes) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xlsx" and content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix == ".csv" and not content.startswith(b"PK\x03\x04"):
        return "csv"
    if suffix == ".xls":
        raise ImportRejected(_("Old .xls files are not supported: save the file as .xlsx or .csv."))
    raise ImportRejected(_("The file must be a CSV or XLSX file (use the template)."))


# --- rows --------------------------------------------------------------------------------------

def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:MAX_CELL_CHARS + 1]


def xlsx_rows(content: bytes, budget: Budget) -> Iterator[list[str]]:
    inspect_xlsx(content, budget)
    import openpyxl  # imported here: only the import and export pages need it

    with warnings.catch_warnings():  # style warnings about a user's file are not our bugs
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - any parser failure is "cannot be read"
            raise damaged() from error
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                budget.check_clock()
                yield [_cell_text(value) for value in row]
        except ImportRejected:
            raise
        except Exception as error:  # noqa: BLE001
            raise damaged() from error
        finally:
            workbook.close()


def csv_rows(content: bytes, budget: Budget) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected(_("The CSV file must be saved as UTF-8 (or GBK)."))
    cells = 0
    try:
        for count, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if count > budget.max_row_elements:
                raise budget.too_many_rows()
            if len(row) > budget.max_row_cells:
                raise budget.too_wide()
            cells += len(row)
            if cells > budget.max_cells:
                raise budget.too_many_cells()
            budget.tick()
            yield [cell.strip()[:MAX_CELL_CHARS + 1] for cell in row[:MAX_COLUMNS]]
    except csv.Error as error:
        raise ImportRejected(_("The CSV file cannot be read: %(reason)s", reason=str(error))) from error


def raw_rows(filename: str, content: bytes, budget: Budget | None = None,
             progress: Callable[[int], None] | None = None) -> Iterator[list[str]]:
    """The cells of every row of the file, header first, within the budget.

    :param progress: called with the number of rows read so far, every 100 rows.
    """
    budget = budget or Budget.from_config()
    kind = file_format(filename, content)
    rows = xlsx_rows(content, budget) if kind == "xlsx" else csv_rows(content, budget)
    for number, cells in enumerate(rows, start=1):
        if progress is not None and number % 100 == 0:
            progress(number)
        yield cells
