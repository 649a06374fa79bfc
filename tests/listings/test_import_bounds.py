"""Hostile spreadsheets are refused early, with a message, before the parser reads them whole.

The files are built here: a string table of 2.3 million empty strings in about 100 KB of
XLSX, and one row of 2 million empty cells in about 12 KB. Instead of timing the refusal,
the tests count how many bytes were inflated from the hostile part and check that
openpyxl never opened the file: reading stopped at the budget, not at the end.
"""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.listings import import_limits, spreadsheet
from catalog_app.listings.spreadsheet import Budget, ImportRejected
from catalog_app.models import Listing

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_COUNT = 2_300_000
WIDE_ROW_CELLS = 2_000_000


def _base_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["kind", "title"])
    workbook.active.append(["解决方案", "视觉质检方案"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace_parts(parts: dict[str, bytes]) -> bytes:
    """A copy of a valid workbook with some parts replaced (or added), deflated hard."""
    source, target = io.BytesIO(_base_xlsx()), io.BytesIO()
    with zipfile.ZipFile(source) as original, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as result:
        names = original.namelist()
        for name in names:
            result.writestr(name, parts.get(name, original.read(name)))
        for name in set(parts) - set(names):
            result.writestr(name, parts[name])
    return target.getvalue()


STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _shared_strings_bomb(declare_count: bool, part: str = "xl/sharedStrings.xml") -> bytes:
    """The table is named in [Content_Types].xml, so openpyxl would load it when opening."""
    counts = f' count="{STRINGS_COUNT}" uniqueCount="{STRINGS_COUNT}"' if declare_count else ""
    table = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"{counts}>'.encode()
             + b"<si><t></t></si>" * STRINGS_COUNT + b"</sst>")
    with zipfile.ZipFile(io.BytesIO(_base_xlsx())) as original:
        content_types = original.read("[Content_Types].xml").decode()
    content_types = content_types.replace(
        "</Types>", f'<Override PartName="/{part}" ContentType="{STRINGS_TYPE}"/></Types>')
    return _replace_parts({part: table, "[Content_Types].xml": content_types.encode()})


def _wide_row_bomb(with_dimension: bool) -> bytes:
    dimension = '<dimension ref="A1:XFD1"/>' if with_dimension else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension}<sheetData><row r="1">'
             .encode() + b"<c/>" * WIDE_ROW_CELLS + b"</row></sheetData></worksheet>")
    return _replace_parts({"xl/worksheets/sheet1.xml": sheet})


class InflationMeter:
    """Counts the bytes read from each zip member, to show where reading stopped."""

    def __init__(self, monkeypatch):
        self.bytes_by_name: dict[str, int] = {}
        original_open = zipfile.ZipFile.open
        meter = self

        def counting_open(archive, name, *args, **kwargs):
            stream = original_open(archive, name, *args, **kwargs)
            key = name if isinstance(name, str) else name.filename
            original_read = stream.read

            def read(size=-1):
                data = original_read(size)
                meter.bytes_by_name[key] = meter.bytes_by_name.get(key, 0) + len(data)
                return data

            stream.read = read
            return stream

        monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    return opened


def _upload(client, content: bytes, name: str):
    return client.post("/my/listings/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _read_all(content: bytes, name: str = "file.xlsx") -> list:
    return list(spreadsheet.raw_rows(name, content, Budget.from_config()))


def test_the_hostile_files_are_as_small_as_reported():
    assert len(_shared_strings_bomb(declare_count=True)) < 150_000
    assert len(_wide_row_bomb(with_dimension=False)) < 20_000


@pytest.mark.parametrize("declare_count", [True, False], ids=["declared", "undeclared"])
def test_millions_of_shared_strings_are_refused_before_the_table_is_read(
        app, monkeypatch, openpyxl_never_opens, declare_count):
    content = _shared_strings_bomb(declare_count)
    table_size = len(b"<si><t></t></si>") * STRINGS_COUNT
    meter = InflationMeter(monkeypatch)
    with pytest.raises(ImportRejected) as refused:
        _read_all(content)
    assert refused.value.too_large
    assert "100000" in refused.value.message or "100,000" in refused.value.message
    read = meter.bytes_by_name["xl/sharedStrings.xml"]
    # Declared: the first tag is enough. Undeclared: the items up to the budget (100,000 of 2.3 M).
    assert read < table_size / 10
    assert openpyxl_never_opens == []


def test_a_string_table_under_another_name_is_found_as_openpyxl_finds_it(app, monkeypatch, openpyxl_never_opens):
    app.config["LISTING_IMPORT_MAX_PART_BYTES"] = 64 * 1024 * 1024  # not the size check: the scan refuses it
    meter = InflationMeter(monkeypatch)
    with pytest.raises(ImportRejected) as refused:
        _read_all(_shared_strings_bomb(declare_count=False, part="xl/strings-elsewhere.xml"))
    assert "100000" in refused.value.message
    assert meter.bytes_by_name["xl/strings-elsewhere.xml"] < len(b"<si><t></t></si>") * STRINGS_COUNT / 10
    assert openpyxl_never_opens == []


def test_the_string_table_bomb_is_what_openpyxl_would_load(app):
    """Without the inspection openpyxl reads every one of the 2.3 million strings on opening."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(io.BytesIO(_shared_strings_bomb(declare_count=True)), read_only=True)
    reader.read_manifest()
    from openpyxl.xml.constants import SHARED_STRINGS

    assert reader.package.find(SHARED_STRINGS).PartName == "/xl/sharedStrings.xml"


@pytest.mark.parametrize("with_dimension", [True, False], ids=["dimension", "no-dimension"])
def test_one_row_of_two_million_empty_cells_is_refused_at_the_row_budget(
        app, monkeypatch, openpyxl_never_opens, with_dimension):
    content = _wide_row_bomb(with_dimension)
    meter = InflationMeter(monkeypatch)
    with pytest.raises(ImportRejected) as refused:
        _read_all(content)
    assert refused.value.too_large and "1000" in refused.value.message
    assert meter.bytes_by_name["xl/worksheets/sheet1.xml"] < len(b"<c/>") * WIDE_ROW_CELLS / 10
    assert openpyxl_never_opens == []


def test_the_upload_page_refuses_the_string_table_bomb_with_a_message(supplier_client, openpyxl_never_opens):
    response = _upload(supplier_client, _shared_strings_bomb(declare_count=False), "strings.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "单元格" in page  # the Chinese message names the cell limit
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0
    assert openpyxl_never_opens == []


def test_the_upload_page_refuses_the_wide_row_with_a_message(supplier_client, openpyxl_never_opens):
    response = _upload(supplier_client, _wide_row_bomb(with_dimension=False), "wide.xlsx")
    assert response.status_code == 413
    assert "列" in response.get_data(as_text=True)
    assert openpyxl_never_opens == []


def test_too_many_rows_are_refused_while_streaming_the_sheet(app, openpyxl_never_opens):
    app.config["LISTING_IMPORT_MAX_ROWS"] = 10
    rows = "".join(f'<row r="{i}"><c t="inlineStr"><is><t>x</t></is></c></row>' for i in range(1, 2000))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    with pytest.raises(ImportRejected) as refused:
        _read_all(_replace_parts({"xl/worksheets/sheet1.xml": sheet}))
    assert refused.value.too_large and "10" in refused.value.message
    assert openpyxl_never_opens == []


def test_a_large_style_part_is_refused_from_the_directory(app, openpyxl_never_opens):
    app.config["LISTING_IMPORT_MAX_PART_BYTES"] = 20_000
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs>'.encode() + b"<xf/>" * 10_000 + b"</cellXfs></styleSheet>"
    with pytest.raises(ImportRejected) as refused:
        _read_all(_replace_parts({"xl/styles.xml": styles}))
    assert "xl/styles.xml" in refused.value.message
    assert openpyxl_never_opens == []


def test_a_style_part_with_too_many_elements_is_refused_before_openpyxl(app, openpyxl_never_opens):
    """50,000 tiny cell styles fit in the size limit but cost openpyxl seconds to build."""
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs>'.encode() + b"<xf/>" * 50_000 + b"</cellXfs></styleSheet>"
    with pytest.raises(ImportRejected) as refused:
        _read_all(_replace_parts({"xl/styles.xml": styles}))
    assert "xl/styles.xml" in refused.value.message and "20000" in refused.value.message
    assert openpyxl_never_opens == []


def test_elements_openpyxl_ignores_still_count(app, openpyxl_never_opens):
    """A string table of elements in another namespace holds no strings but costs parsing."""
    table = (f'<sst xmlns="{MAIN}" xmlns:x="urn:junk">'.encode() + b"<x:j/>" * 700_000 + b"</sst>")
    with zipfile.ZipFile(io.BytesIO(_shared_strings_bomb(declare_count=False))) as bomb:
        types = bomb.read("[Content_Types].xml")
    with pytest.raises(ImportRejected) as refused:
        _read_all(_replace_parts({"xl/sharedStrings.xml": table, "[Content_Types].xml": types}))
    assert refused.value.too_large and "100000" in refused.value.message
    assert openpyxl_never_opens == []


def test_the_clock_stops_a_slow_read(app, monkeypatch):
    """Past the time budget the read stops, whatever the counts say."""
    app.config["LISTING_IMPORT_MAX_SECONDS"] = 5
    clock = iter(range(0, 10_000, 3))  # every look at the clock is 3 s later
    monkeypatch.setattr(import_limits.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(import_limits, "CLOCK_EVERY", 1)
    content = ("kind,title\n" + "解决方案,方案\n" * 50).encode()
    with pytest.raises(ImportRejected) as refused:
        _read_all(content, "slow.csv")
    assert refused.value.too_large and "5" in refused.value.message


@pytest.mark.parametrize("line, words", [(",".join(["x"] * 1500), "1000"), ("\n".join(["x"] * 4000), "20")])
def test_csv_is_bounded_by_row_width_and_rows(app, line, words):
    app.config["LISTING_IMPORT_MAX_ROWS"] = 20
    app.config["LISTING_IMPORT_MAX_ROW_CELLS"] = 1000
    with pytest.raises(ImportRejected) as refused:
        _read_all(("kind,title\n" + line).encode(), "hostile.csv")
    assert refused.value.too_large and words in refused.value.message


def test_csv_cells_are_bounded(app):
    app.config["LISTING_IMPORT_MAX_CELLS"] = 500
    content = ("kind,title\n" + "解决方案,方案,,,,,,,,\n" * 100).encode()
    with pytest.raises(ImportRejected) as refused:
        _read_all(content, "cells.csv")
    assert "500" in refused.value.message


def test_a_legal_file_still_reads(app):
    rows = _read_all(_base_xlsx())
    assert [row[:2] for row in rows] == [["kind", "title"], ["解决方案", "视觉质检方案"]]
