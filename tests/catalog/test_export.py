"""CSV and XLSX export of the public list pages: same rows as the list, public fields, streamed."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from catalog_app.models import ListingKind, ListingStatus
from tests.catalog.helpers import industry, scenario, technology
from tests.conftest import settle_search


def _csv_rows(response) -> list[list[str]]:
    data = response.get_data()
    response.close()
    assert data.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    data = response.get_data()
    response.close()  # the WSGI server's close(): releases the spooled temporary file
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_csv_has_only_published_listings_of_the_section(client, create_listing):
    shown = create_listing(title="已发布的视觉方案")
    create_listing(title="草稿中的方案", status=ListingStatus.DRAFT)
    create_listing(ListingKind.PRODUCT, title="一款产品")
    response = client.get("/solutions/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["编号", "类型", "标题"]
    assert [row[0] for row in rows[1:]] == [str(shown.id)]
    assert rows[1][2] == "已发布的视觉方案"
    assert rows[1][-1].endswith(f"/solutions/{shown.id}")


def test_export_has_public_fields_only(client, create_listing):
    create_listing(ListingKind.CASE, title="某工厂质检案例", customer_name="保密客户甲",
                   problem="保密的痛点描述", body="正文不导出")
    text = client.get("/cases/export.csv").get_data(as_text=True)
    assert "某工厂质检案例" in text
    for secret in ("保密客户甲", "保密的痛点描述", "正文不导出"):
        assert secret not in text


def test_export_applies_the_list_filters(client, create_listing):
    create_listing(title="视觉甲", scenarios=[scenario()], industries=[industry()],
                   technologies=[technology()])
    create_listing(title="维护乙", scenarios=[scenario("equipment-fault-prediction")])
    rows = _csv_rows(client.get("/solutions/export.csv?scenario=online-intelligent-inspection"))
    assert [row[2] for row in rows[1:]] == ["视觉甲"]
    row = rows[1]
    assert row[6] == scenario().name_zh
    assert row[7] == technology().name_zh
    assert row[8] == industry().name_zh


def test_export_follows_the_sort_order(client, create_listing):
    create_listing(title="乙方案")
    create_listing(title="甲方案")
    newest = [row[2] for row in _csv_rows(client.get("/solutions/export.csv"))[1:]]
    assert newest == ["甲方案", "乙方案"]
    assert sorted(newest) == [row[2] for row in _csv_rows(client.get("/solutions/export.csv?sort=title"))[1:]]


def test_export_with_a_keyword_matches_the_list(client, create_listing):
    create_listing(title="机器视觉缺陷检测一体机")
    create_listing(title="车间智能排产", summary="", body="")
    settle_search()
    rows = _csv_rows(client.get("/solutions/export.csv?q=视觉检测"))
    assert [row[2] for row in rows[1:]] == ["机器视觉缺陷检测一体机"]


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_cells_are_neutralised(client, create_listing, title):
    create_listing(title=title)
    csv_title = _csv_rows(client.get("/solutions/export.csv"))[1][2]
    xlsx_title = _xlsx_rows(client.get("/solutions/export.xlsx"))[1][2]
    assert csv_title == "'" + title
    # XML turns a carriage return into a line feed; the leading quote is what matters.
    assert xlsx_title == "'" + title.replace("\r", "\n")


def test_chinese_survives_both_formats(client, create_listing):
    create_listing(title="皮具表面缺陷视觉检测", summary="划痕、色差自动识别")
    csv_row = _csv_rows(client.get("/solutions/export.csv"))[1]
    assert csv_row[2:4] == ["皮具表面缺陷视觉检测", "划痕、色差自动识别"]
    xlsx_row = _xlsx_rows(client.get("/solutions/export.xlsx"))[1]
    assert xlsx_row[2:4] == ["皮具表面缺陷视觉检测", "划痕、色差自动识别"]


def test_xlsx_opens_and_has_the_rows(client, create_listing):
    listings = [create_listing(title=f"方案{i}") for i in range(3)]
    create_listing(title="草稿", status=ListingStatus.DRAFT)
    response = client.get("/solutions/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = _xlsx_rows(response)
    assert rows[0][0] == "编号"
    assert sorted(row[0] for row in rows[1:]) == sorted(listing.id for listing in listings)


def test_export_spans_several_batches(client, create_listing, monkeypatch):
    from catalog_app.catalog import exporting

    monkeypatch.setattr(exporting, "BATCH_SIZE", 2)
    listings = [create_listing(title=f"方案{i}", scenarios=[scenario()]) for i in range(5)]
    rows = _csv_rows(client.get("/solutions/export.csv"))
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(listing.id for listing in listings)
    assert all(row[6] == scenario().name_zh for row in rows[1:])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("query", ["sort=popular", "scenario=nope", "tier=sme&tier=chain_leader",
                                   "region=999999", "q=" + "检" * 10_000])
def test_bad_arguments_are_a_400_like_the_list(client, file_format, query):
    assert client.get(f"/solutions?{query}").status_code == 400
    assert client.get(f"/solutions/export.{file_format}?{query}").status_code == 400


def test_csv_is_streamed(client, create_listing):
    create_listing()
    response = client.get("/solutions/export.csv")
    assert response.is_streamed
    assert len(_csv_rows(response)) == 2


def test_list_page_links_to_the_export_with_its_arguments(client, create_listing):
    create_listing(scenarios=[scenario()])
    html = client.get("/solutions?scenario=online-intelligent-inspection&page=1").get_data(as_text=True)
    assert "导出 CSV" in html and "导出 Excel" in html
    assert "/solutions/export.csv?scenario=online-intelligent-inspection" in html
    assert "/solutions/export.xlsx?scenario=online-intelligent-inspection" in html
