"""Hostile spreadsheets: how long the listing import takes to refuse them, and openpyxl alone.

    .venv/bin/python bench/import_bounds.py            # both files, bounded reader and openpyxl
    .venv/bin/python bench/import_bounds.py --skip-openpyxl

The files are those of issue #13 (finding 4): an XLSX whose string table holds 2.3 million
empty strings (about 40 KB here, 100 KB in the report), and one whose only row has
2 million empty cells (about 12 KB). For each it prints the compressed size, the seconds
until `spreadsheet.raw_rows` refused it and with which message, and (unless skipped) the
seconds openpyxl's read-only mode needs to reach the first row, the cost before the bounds.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402

from catalog_app import create_app  # noqa: E402
from catalog_app.config import TestConfig  # noqa: E402
from catalog_app.listings import spreadsheet  # noqa: E402

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Named in the content types, as Excel does, so that openpyxl loads the table on opening.
STRINGS_OVERRIDE = ('<Override PartName="/xl/sharedStrings.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def _replace(parts: dict[str, bytes]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["kind", "title"])
    source, target = io.BytesIO(), io.BytesIO()
    workbook.save(source)
    with zipfile.ZipFile(source) as original, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as result:
        for name in original.namelist():
            result.writestr(name, parts.get(name, original.read(name)))
        for name in set(parts) - set(original.namelist()):
            result.writestr(name, parts[name])
    return target.getvalue()


def hostile_files() -> dict[str, bytes]:
    strings = (f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode() + b"<si><t></t></si>" * 2_300_000
               + b"</sst>")
    row = (f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
           + b"<c/>" * 2_000_000 + b"</row></sheetData></worksheet>")
    source = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.save(source)
    with zipfile.ZipFile(source) as original:
        types = original.read("[Content_Types].xml").decode().replace("</Types>", STRINGS_OVERRIDE + "</Types>")
    return {"2.3 M shared strings": _replace({"xl/sharedStrings.xml": strings, "[Content_Types].xml": types.encode()}),
            "one row of 2 M empty cells": _replace({"xl/worksheets/sheet1.xml": row})}


def bounded(content: bytes) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        for _row in spreadsheet.raw_rows("hostile.xlsx", content):
            pass
        outcome = "read (not refused!)"
    except spreadsheet.ImportRejected as rejected:
        outcome = rejected.message
    return time.perf_counter() - started, outcome


def openpyxl_first_row(content: bytes) -> float:
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    next(iter(workbook.worksheets[0].iter_rows(values_only=True, max_col=40)), None)
    workbook.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-openpyxl", action="store_true")
    args = parser.parse_args()
    app = create_app({k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()})
    with app.test_request_context("/?lang=en"):
        for name, content in hostile_files().items():
            seconds, outcome = bounded(content)
            line = f"{name}: {len(content) / 1024:.1f} KB, refused in {seconds:.3f} s: {outcome}"
            if not args.skip_openpyxl:
                line += f" | openpyxl alone to the first row: {openpyxl_first_row(content):.1f} s"
            print(line, flush=True)


if __name__ == "__main__":
    main()
