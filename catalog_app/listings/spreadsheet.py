"""Reading an uploaded CSV or XLSX file within fixed bounds, before parsing it whole.

A spreadsheet is cheap to send and can be dear to read: 100 KB of XLSX can hold millions
of empty shared strings (openpyxl loads the whole string table before the first row), and
12 KB can hold one row of two million empty cells (openpyxl parses a whole row before it
yields it). So an XLSX file is inspected first, without openpyxl:

1. the zip central directory: member count, total and per-part uncompressed sizes;
2. the string table, streamed: its declared `uniqueCount`, then its `<si>` items counted
   as they are inflated, stopping at the cell budget;
3. the first worksheet, streamed: its `<dimension>`, then `<row>` and `<c>` elements
   counted as they are inflated, stopping at the row, cell or per-row budget.

Each step stops reading at the first element past a budget, and every step checks a
clock, so the worst case is bounded by the budgets, not by the file. Only a file that
passed goes to openpyxl (read-only, streaming), which is then bounded by the same budgets.
The XML is parsed by defusedxml with DTDs forbidden (Excel never writes one), so entity
expansion fails too. CSV is bounded likewise: bytes, rows, cells per row, cells, time.

Limits come from the config (`LISTING_IMPORT_*`, read from the environment in
`config.py`); every refusal is an `ImportRejected` with a message for people.
"""
from __future__ import annotations

import csv
import io
import posixpath
import re
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from flask import current_app
from flask_babel import gettext as _

MAX_ZIP_MEMBERS = 200
MAX_COLUMNS = 40
MAX_CELL_CHARS = 50000
# Empty <row> elements allowed beyond the data rows (formatted but blank rows).
EMPTY_ROW_ALLOWANCE = 1000
CLOCK_EVERY = 512  # elements between two looks at the clock
STRINGS_PART = "xl/sharedStrings.xml"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class ImportRejected(Exception):
    """The file as a whole cannot be read (too big, too many rows, not CSV/XLSX, broken)."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def limit(name: str) -> int:
    """A `LISTING_IMPORT_*` bound from the config (`config.py` reads them from the environment)."""
    return int(current_app.config[name])


@dataclass
class Budget:
    """What one file may cost: rows, cells, cells in one row, seconds. Raises when spent."""

    max_rows: int
    max_cells: int
    max_row_cells: int
    max_seconds: float
    started: float = 0.0
    elements: int = 0  # elements looked at so far: tests read it to see where reading stopped

    @classmethod
    def from_config(cls) -> "Budget":
        return cls(max_rows=limit("LISTING_IMPORT_MAX_ROWS"), max_cells=limit("LISTING_IMPORT_MAX_CELLS"),
                   max_row_cells=limit("LISTING_IMPORT_MAX_ROW_CELLS"),
                   max_seconds=float(limit("LISTING_IMPORT_MAX_SECONDS")), started=time.monotonic())

    @property
    def max_row_elements(self) -> int:
        return self.max_rows + 1 + EMPTY_ROW_ALLOWANCE

    def tick(self) -> None:
        self.elements += 1
        if self.elements % CLOCK_EVERY == 0:
            self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() - self.started > self.max_seconds:
            raise ImportRejected(_("Reading the file took longer than %(seconds)d seconds; split it into smaller "
                                   "files or save it as CSV.", seconds=self.max_seconds), too_large=True)

    def too_many_rows(self) -> ImportRejected:
        return ImportRejected(_("The file has more than %(count)d rows; split it into smaller files.",
                                count=self.max_rows), too_large=True)

    def too_many_cells(self) -> ImportRejected:
        return ImportRejected(_("The file has more than %(count)d cells; remove unused rows and columns or "
                                "split it into smaller files.", count=self.max_cells), too_large=True)

    def too_wide(self) -> ImportRejected:
        return ImportRejected(_("A row has more than %(count)d cells; delete the unused columns and save again.",
                                count=self.max_row_cells), too_large=True)


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


# --- XLSX: inspecting before openpyxl --------------------------------------------------------

def _damaged() -> ImportRejected:
    return ImportRejected(_("The XLSX file is damaged and cannot be read."))


def check_xlsx_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the central directory alone, before anything is inflated.

    `zipfile` itself stops a member that inflates beyond its declared size, so the
    declared sizes are binding.
    """
    members = archive.infolist()
    max_total = limit("LISTING_IMPORT_MAX_UNCOMPRESSED")
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > max_total:
        raise ImportRejected(_("The XLSX file expands to more than %(size)s MB and is refused.",
                               size=f"{max_total / 1048576:g}"), too_large=True)
    max_part = limit("LISTING_IMPORT_MAX_PART_BYTES")
    for member in members:
        # The sheet and the string table are streamed under a budget; every other XML part
        # is parsed whole by openpyxl (styles, workbook, relationships), so it stays small.
        is_xml = member.filename.endswith((".xml", ".rels"))
        is_streamed = member.filename == STRINGS_PART or (
            member.filename.startswith("xl/worksheets/") and "/_rels/" not in member.filename)
        if is_xml and not is_streamed and member.file_size > max_part:
            raise ImportRejected(_("The part %(name)s of the XLSX file is larger than %(size)s MB; save the file "
                                   "as CSV and import that.", name=member.filename[:80],
                                   size=f"{max_part / 1048576:g}"), too_large=True)


def _events(archive: zipfile.ZipFile, name: str, events=("end",)) -> Iterator[tuple[str, object]]:
    """Elements of one member as they are inflated; stopping early stops the inflating."""
    try:
        with archive.open(name) as stream:
            yield from iterparse(stream, events=events, forbid_dtd=True)
    except (DefusedXmlException, SyntaxError, zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise _damaged() from error


def _part_root_attributes(archive: zipfile.ZipFile, name: str, wanted: str) -> list[dict]:
    """Attributes of every `wanted` element of a small part (workbook, relationships)."""
    found = []
    for _event, element in _events(archive, name):
        if element.tag == wanted:
            found.append(dict(element.attrib))
    return found


def first_worksheet(archive: zipfile.ZipFile) -> str:
    """The zip path of the sheet openpyxl reads as `worksheets[0]`: the first <sheet> of the
    workbook whose relationship is a worksheet (chart sheets are skipped, as openpyxl does)."""
    names = set(archive.namelist())
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _part_root_attributes(archive, "_rels/.rels", f"{PKG_REL_NS}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook = rel.get("Target", workbook).lstrip("/")
                break
    rels_name = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    if workbook not in names or rels_name not in names:
        raise _damaged()
    targets = {}
    for rel in _part_root_attributes(archive, rels_name, f"{PKG_REL_NS}Relationship"):
        if rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(posixpath.dirname(workbook), target))
    for sheet in _part_root_attributes(archive, workbook, f"{MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{REL_NS}id"))
        if target is not None:
            if target not in names:
                raise _damaged()
            return target
    raise ImportRejected(_("The file contains no listings."))


def scan_shared_strings(archive: zipfile.ZipFile, budget: Budget) -> int:
    """Count the string table's items, refusing at the first one past the cell budget.

    A cell shows at most one string, so a table with more strings than the file may have
    cells is refused; the declared `uniqueCount` refuses most such files at the first tag.
    """
    if STRINGS_PART not in archive.namelist():
        return 0
    count = 0
    for event, element in _events(archive, STRINGS_PART, events=("start", "end")):
        budget.tick()
        if event == "start":
            if element.tag == f"{MAIN_NS}sst":
                declared = element.get("uniqueCount") or element.get("count") or "0"
                if declared.isdigit() and int(declared) > budget.max_cells:
                    raise budget.too_many_cells()
            continue
        if element.tag == f"{MAIN_NS}si":
            count += 1
            if count > budget.max_cells:
                raise budget.too_many_cells()
            element.clear()
    return count


def _dimension_size(ref: str) -> tuple[int, int] | None:
    """(rows, columns) of a "A1:O2001" dimension; None when it cannot be read."""
    corners = []
    for part in ref.upper().split(":"):
        match = CELL_REF.match(part.strip())
        if match is None:
            return None
        letters, digits = match.groups()
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        corners.append((int(digits), column))
    if len(corners) == 1:
        corners.append(corners[0])
    (top, left), (bottom, right) = corners[0], corners[-1]
    return abs(bottom - top) + 1, abs(right - left) + 1


def scan_worksheet(archive: zipfile.ZipFile, sheet: str, budget: Budget) -> int:
    """Count rows and cells of the sheet as it inflates; refuse at the first one past a budget.

    :returns: the number of <row> elements.
    """
    rows = cells = row_cells = 0
    for event, element in _events(archive, sheet, events=("start", "end")):
        budget.tick()
        tag = element.tag
        if event == "start":
            if tag == f"{MAIN_NS}row":
                rows, row_cells = rows + 1, 0
                if rows > budget.max_row_elements:
                    raise budget.too_many_rows()
            elif tag == f"{MAIN_NS}dimension":
                size = _dimension_size(element.get("ref", ""))
                if size is not None and size[1] > budget.max_row_cells:
                    raise budget.too_wide()
                if size is not None and size[0] > budget.max_row_elements:
                    raise budget.too_many_rows()
            continue
        if tag == f"{MAIN_NS}c":
            cells, row_cells = cells + 1, row_cells + 1
            if row_cells > budget.max_row_cells:
                raise budget.too_wide()
            if cells > budget.max_cells:
                raise budget.too_many_cells()
            element.clear()
        elif tag == f"{MAIN_NS}row":
            element.clear()
    return rows


def inspect_xlsx(content: bytes, budget: Budget) -> None:
    """Everything an XLSX file must pass before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _damaged() from error
    with archive:
        check_xlsx_archive(archive)
        scan_shared_strings(archive, budget)
        scan_worksheet(archive, first_worksheet(archive), budget)


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
            raise _damaged() from error
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                budget.check_clock()
                yield [_cell_text(value) for value in row]
        except ImportRejected:
            raise
        except Exception as error:  # noqa: BLE001
            raise _damaged() from error
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
