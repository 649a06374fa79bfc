"""Bulk import (all or nothing, bounded) and export (formula cells neutralised)."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.listings import exporting, importing
from catalog_app.models import Listing, ListingKind, ListingStatus, Scenario, Technology

HEADER = list(importing.COLUMNS)


def _csv(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, name: str):
    return client.post("/my/listings/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _listing_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Listing))


def _good_rows():
    scenario = db.session.scalars(sa.select(Scenario).order_by(Scenario.id)).first()
    technology = db.session.scalars(sa.select(Technology).order_by(Technology.id)).first()
    return [
        {"kind": "解决方案", "title": "视觉质检方案", "scenarios": f"{scenario.name_zh}", "maturity_trl": "7",
         "technologies": f"{technology.slug}", "industries": "皮具箱包;hardware"},
        {"kind": "product", "title": "工业相机 X1", "model_number": "X1-200", "price_text": "面议",
         "expires_at": (date.today() + timedelta(days=90)).isoformat()},
        {"kind": "应用案例", "title": "某五金厂缺陷检测", "customer_name": "某五金厂", "problem": "人工目检漏检"},
    ]


def test_defusedxml_protects_openpyxl():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


@pytest.mark.parametrize("make, name", [(_csv, "listings.csv"), (_xlsx, "listings.xlsx")])
def test_a_clean_file_previews_then_imports_drafts_on_confirm(supplier_client, supplier, make, name):
    response = _upload(supplier_client, make(_good_rows()), name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "某五金厂缺陷检测" in page
    assert _listing_count() == 0  # the preview writes nothing
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    confirmed = supplier_client.post("/my/listings/import/confirm", data={"token": token})
    assert confirmed.status_code == 302
    listings = db.session.scalars(sa.select(Listing).order_by(Listing.id)).all()
    assert [(row.kind, row.status, row.organization_id) for row in listings] == [
        (ListingKind.SOLUTION, ListingStatus.DRAFT, supplier.organization_id),
        (ListingKind.PRODUCT, ListingStatus.DRAFT, supplier.organization_id),
        (ListingKind.CASE, ListingStatus.DRAFT, supplier.organization_id)]
    solution = listings[0]
    assert solution.maturity_trl == 7 and len(solution.scenarios) == 1 and len(solution.technologies) == 1
    assert {i.code for i in solution.industries} == {"leather-goods", "hardware"}  # by name or by code
    assert listings[1].model_number == "X1-200"
    # the token is single-use
    assert supplier_client.post("/my/listings/import/confirm", data={"token": token}).status_code == 302
    assert _listing_count() == 3


def test_a_file_with_any_error_imports_nothing_and_reports_row_column_message(supplier_client):
    rows = _good_rows() + [
        {"kind": "服务", "title": "未知类型"},
        {"kind": "解决方案", "title": "", "maturity_trl": "12"},
        {"kind": "解决方案", "title": "过期方案", "expires_at": (date.today() - timedelta(days=1)).isoformat(),
         "scenarios": "不存在的场景"},
        {"kind": "解决方案", "title": "长" * 121},
        {"kind": "解决方案", "title": "带型号的方案", "model_number": "M1"},
        {"kind": "解决方案", "title": "\u200b\u3000 \ufeff"},
    ]
    response = _upload(supplier_client, _csv(rows), "bad.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _listing_count() == 0
    report = re.findall(r'<td class="lm-num">(\d+)</td><td>[^<]*<code>(\w+)</code></td><td>([^<]+)</td>', page)
    cells = {(int(row), column) for row, column, _ in report}
    assert {(5, "kind"), (6, "title"), (6, "maturity_trl"), (7, "expires_at"), (7, "scenarios"),
            (8, "title"), (9, "model_number"), (10, "title")} <= cells
    assert all(re.search(r"[\u4e00-\u9fff]", message) for _, _, message in report)  # messages in Chinese
    assert 'name="token"' not in page


def test_header_without_required_columns_is_refused(supplier_client):
    response = _upload(supplier_client, _csv([{"title": "x"}], header=["name", "title"]), "x.csv")
    assert response.status_code == 400 and _listing_count() == 0


def test_too_many_rows_is_refused(app, supplier_client):
    app.config["LISTING_IMPORT_MAX_ROWS"] = 5
    rows = [{"kind": "解决方案", "title": f"方案{i}"} for i in range(6)]
    response = _upload(supplier_client, _csv(rows), "many.csv")
    assert response.status_code == 413 and _listing_count() == 0


def test_too_large_file_is_refused(app, supplier_client):
    app.config["LISTING_IMPORT_MAX_BYTES"] = 1000
    rows = [{"kind": "解决方案", "title": f"方案{i}", "body": "很长" * 100} for i in range(10)]
    response = _upload(supplier_client, _csv(rows), "big.csv")
    assert response.status_code == 413


def test_zip_bomb_is_refused_from_the_central_directory(app, supplier_client, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB packed
    content = buffer.getvalue()
    assert len(content) < 200_000
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    response = _upload(supplier_client, content, "bomb.xlsx")
    assert response.status_code == 413
    assert opened == []  # refused before openpyxl saw it


def test_entity_expansion_in_xlsx_is_refused_without_hanging(supplier_client):
    """A billion-laughs worksheet: defusedxml refuses the entity declarations."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>解决方案</t></is></c>'
             '<c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
             '</sheetData></worksheet>')
    source, target = io.BytesIO(_xlsx(_good_rows())), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as bomb:
        for item in original.infolist():
            data = original.read(item.filename)
            bomb.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else data)
    response = _upload(supplier_client, target.getvalue(), "laughs.xlsx")
    assert response.status_code == 400
    assert "lollollol" not in response.get_data(as_text=True)
    assert _listing_count() == 0


def test_not_a_spreadsheet_is_refused(supplier_client):
    assert _upload(supplier_client, b"\x89PNG\r\n\x1a\n", "a.png").status_code == 400
    assert _upload(supplier_client, b"not a zip", "fake.xlsx").status_code == 400


def test_gbk_csv_from_excel_is_read(supplier_client):
    content = _csv([{"kind": "解决方案", "title": "国标编码方案"}]).decode("utf-8").encode("gb18030")
    response = _upload(supplier_client, content, "gbk.csv")
    assert response.status_code == 200 and "国标编码方案" in response.get_data(as_text=True)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_templates_download_and_import_cleanly(app, supplier_client, file_format):
    response = supplier_client.get(f"/my/listings/import/template.{file_format}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    with app.test_request_context():
        report = importing.check_file(f"template.{file_format}", response.data)
    assert report.is_clean, report.errors


def test_neutralise_formula_cells():
    for dangerous in ("=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert exporting.neutralise(dangerous) == "'" + dangerous
    assert exporting.neutralise("视觉检测") == "视觉检测" and exporting.neutralise(7) == 7


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_contains_own_listings_with_formulas_neutralised(supplier_client, supplier, create_listing,
                                                                  file_format):
    create_listing(organization=supplier.organization, title='=HYPERLINK("http://evil","x")', summary="@cmd")
    create_listing(title="别家方案")
    db.session.commit()
    response = supplier_client.get(f"/my/listings/export.{file_format}")
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row)) for row in values[1:]]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil","x")']
    assert rows[0]["summary"] == "'@cmd"
