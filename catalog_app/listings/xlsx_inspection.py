"""Inspecting an XLSX file before openpyxl opens it: what openpyxl would read must fit the budget.

openpyxl's read-only mode streams rows, but it loads the whole string table when the
workbook opens, and it parses a whole `<row>` before it yields it. So 100 KB can hold
millions of empty strings, and 12 KB one row of millions of empty cells. Before openpyxl
sees the file, this module checks, in order:

1. the zip central directory: member count, total inflated size, and the size of every
   XML part that openpyxl parses whole (everything but sheets and string tables);
2. the parts openpyxl will read, found as openpyxl finds them: the string table named in
   `[Content_Types].xml`, and the first sheet of the workbook the content types name;
3. every other XML part (styles, workbook, relationships, properties), streamed: at most
   `MAX_PART_ELEMENTS` elements each, since openpyxl builds objects for all of them
   (50,000 cell styles cost it seconds);
4. every string table, streamed: `uniqueCount`, then `<si>` items, refused at the first
   item past the cell budget;
5. that sheet, streamed: `<dimension>`, then `<row>` and `<c>` elements, refused at the
   first past the row, cell or row-width budget. Steps 4 and 5 also count every element
   against the budget's element cap.

Streaming inflates 64 KB at a time and feeds expat, so refusing costs what was read up to
the limit, not the file. `zipfile` stops a member that inflates past its declared size,
so the directory's sizes bind. Parsing forbids DTDs and entity declarations, as
defusedxml does (Excel never writes them), so entity expansion fails as well.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from xml.parsers import expat

from flask_babel import gettext as _

from catalog_app.listings.import_limits import Budget, ImportRejected, limit

MAX_ZIP_MEMBERS = 200
MAX_PART_ELEMENTS = 20_000  # a real styles.xml has a few thousand; Excel's own ceiling is 64,000 styles
CHUNK_BYTES = 64 * 1024
CONTENT_TYPES = "[Content_Types].xml"
# Content types of the OOXML standard, as openpyxl.xml.constants names them.
WORKBOOK_TYPES = tuple(f"application/vnd.{kind}.main+xml" for kind in (
    "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SEP = "}"  # expat's namespace separator: tags arrive as "<namespace>}<local name>"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main" + SEP
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types" + SEP
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships" + SEP
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships" + SEP
CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def damaged() -> ImportRejected:
    return ImportRejected(_("The XLSX file is damaged and cannot be read."))


def _forbidden(*_args) -> None:
    raise damaged()


def _scan(archive: zipfile.ZipFile, name: str, on_start: Callable[[str, dict], None],
          budget: Budget | None = None) -> None:
    """Feed one member to expat as it inflates; `on_start` sees every element's start.

    An exception raised by `on_start` (a budget refusal) stops the inflating at once.
    """
    parser = expat.ParserCreate(namespace_separator=SEP)
    parser.StartElementHandler = on_start
    for handler in ("StartDoctypeDeclHandler", "EntityDeclHandler", "UnparsedEntityDeclHandler",
                    "ExternalEntityRefHandler"):
        setattr(parser, handler, _forbidden)
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                if budget is not None:
                    budget.check_clock()
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as error:
        raise damaged() from error


def _attributes(archive: zipfile.ZipFile, name: str, tag: str) -> list[dict]:
    """Attributes of every `tag` element of a small part (content types, workbook, relationships)."""
    found: list[dict] = []
    _scan(archive, name, lambda element, attributes: found.append(attributes) if element == tag else None)
    return found


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and "/_rels/" not in name


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the central directory alone, before anything is inflated."""
    members = archive.infolist()
    max_total = limit("LISTING_IMPORT_MAX_UNCOMPRESSED")
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > max_total:
        raise ImportRejected(_("The XLSX file expands to more than %(size)s MB and is refused.",
                               size=f"{max_total / 1048576:g}"), too_large=True)
    max_part = limit("LISTING_IMPORT_MAX_PART_BYTES")
    for member in members:
        # Sheets and string tables are streamed under the budget below (a string table may be
        # named anything, so the size check spares only what the content types call one).
        is_xml = member.filename.endswith((".xml", ".rels"))
        is_streamed = _is_sheet(member.filename) or member.filename == "xl/sharedStrings.xml"
        if is_xml and not is_streamed and member.file_size > max_part:
            raise ImportRejected(_("The part %(name)s of the XLSX file is larger than %(size)s MB; save the file "
                                   "as CSV and import that.", name=member.filename[:80],
                                   size=f"{max_part / 1048576:g}"), too_large=True)


def check_part_elements(archive: zipfile.ZipFile, name: str, budget: Budget) -> None:
    """Refuse a part that openpyxl parses whole when it holds too many elements."""
    count = 0

    def on_start(_element: str, _attributes: dict) -> None:
        nonlocal count
        count += 1
        if count > MAX_PART_ELEMENTS:
            raise ImportRejected(_("The part %(name)s of the XLSX file has more than %(count)d elements; save the "
                                   "file as CSV and import that.", name=name[:80], count=MAX_PART_ELEMENTS),
                                 too_large=True)

    _scan(archive, name, on_start, budget)


def _content_types(archive: zipfile.ZipFile) -> tuple[str, list[str]]:
    """(workbook part, string table parts) as openpyxl's reader finds them."""
    if CONTENT_TYPES not in archive.namelist():
        raise damaged()
    overrides = _attributes(archive, CONTENT_TYPES, f"{CONTENT_TYPES_NS}Override")
    defaults = {d.get("ContentType") for d in _attributes(archive, CONTENT_TYPES, f"{CONTENT_TYPES_NS}Default")}
    workbook = None
    for content_type in WORKBOOK_TYPES:
        workbook = workbook or next((o.get("PartName", "") for o in overrides
                                     if o.get("ContentType") == content_type), None)
    if workbook is None and defaults & set(WORKBOOK_TYPES):
        workbook = "/xl/workbook.xml"
    if not workbook:
        raise damaged()
    strings = [o.get("PartName", "").lstrip("/") for o in overrides if o.get("ContentType") == SHARED_STRINGS_TYPE]
    return workbook.lstrip("/"), strings


def first_worksheet(archive: zipfile.ZipFile, workbook: str) -> str | None:
    """The sheet openpyxl reads as `worksheets[0]`: the first <sheet> with a relationship id
    whose target exists and is not a chart sheet (openpyxl skips the others)."""
    names = set(archive.namelist())
    rels_name = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    if workbook not in names:
        raise damaged()
    targets = {}
    if rels_name in names:
        for rel in _attributes(archive, rels_name, f"{PKG_RELS}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(posixpath.dirname(workbook), target))
            targets[rel.get("Id")] = (path, rel.get("Type", ""))
    for sheet in _attributes(archive, workbook, f"{MAIN}sheet"):
        path, rel_type = targets.get(sheet.get(f"{DOC_RELS}id"), (None, ""))
        if path in names and "chartsheet" not in rel_type:
            return path
    return None


def scan_shared_strings(archive: zipfile.ZipFile, part: str, budget: Budget) -> int:
    """Count a string table's items, refusing at the first one past the cell budget.

    A cell shows at most one string, so a table with more strings than the file may have
    cells is refused; a declared `uniqueCount` refuses most such files at the first tag.
    """
    count = 0

    def on_start(element: str, attributes: dict) -> None:
        nonlocal count
        budget.tick()
        if element == f"{MAIN}si":
            count += 1
            if count > budget.max_cells:
                raise budget.too_many_cells()
        elif element == f"{MAIN}sst":
            declared = attributes.get("uniqueCount") or attributes.get("count") or "0"
            if declared.isdigit() and int(declared) > budget.max_cells:
                raise budget.too_many_cells()

    if part in archive.namelist():
        _scan(archive, part, on_start, budget)
    return count


def dimension_size(ref: str) -> tuple[int, int] | None:
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
    (top, left), (bottom, right) = corners[0], corners[-1]
    return abs(bottom - top) + 1, abs(right - left) + 1


def scan_worksheet(archive: zipfile.ZipFile, sheet: str, budget: Budget) -> int:
    """Count rows and cells of a sheet as it inflates; refuse at the first one past a budget.

    :returns: the number of <row> elements.
    """
    rows = cells = row_cells = 0

    def on_start(element: str, attributes: dict) -> None:
        nonlocal rows, cells, row_cells
        budget.tick()
        if element == f"{MAIN}c":
            cells, row_cells = cells + 1, row_cells + 1
            if row_cells > budget.max_row_cells:
                raise budget.too_wide()
            if cells > budget.max_cells:
                raise budget.too_many_cells()
        elif element == f"{MAIN}row":
            rows, row_cells = rows + 1, 0
            if rows > budget.max_row_elements:
                raise budget.too_many_rows()
        elif element == f"{MAIN}dimension":
            size = dimension_size(attributes.get("ref", ""))
            if size is not None and size[1] > budget.max_row_cells:
                raise budget.too_wide()
            if size is not None and size[0] > budget.max_row_elements:
                raise budget.too_many_rows()

    _scan(archive, sheet, on_start, budget)
    return rows


def inspect_xlsx(content: bytes, budget: Budget) -> None:
    """Everything an XLSX file must pass before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise damaged() from error
    with archive:
        check_archive(archive)
        workbook, string_tables = _content_types(archive)
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")) and not _is_sheet(name) and name not in string_tables:
                check_part_elements(archive, name, budget)
        for part in string_tables:
            scan_shared_strings(archive, part, budget)
        sheet = first_worksheet(archive, workbook)
        if sheet is None:
            raise ImportRejected(_("The file contains no listings."))
        scan_worksheet(archive, sheet, budget)
