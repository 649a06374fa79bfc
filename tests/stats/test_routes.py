"""The statistics page, its JSON and CSV: access, confidentiality, CSV safety, caching, cost."""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Confidentiality, Industry, ListingKind, Scenario
from catalog_app.stats.cache import stats_cache
from catalog_app.stats.charts import CHARTS, csv_cell

SECRET = "机密工艺参数XYZ-42"


def test_page_json_and_csv_of_every_chart(client, create_listing, create_demand):
    create_listing(ListingKind.CASE)
    create_demand()
    db.session.commit()
    page = client.get("/stats/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "data-chart-url=" in html
    for name in CHARTS:
        payload = client.get(f"/stats/data/{name}.json").get_json()
        assert payload["name"] == name and payload["datasets"]
        response = client.get(f"/stats/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert f'filename="{name}.csv"' in response.headers["Content-Disposition"]
    assert client.get("/stats/?lang=en").status_code == 200
    assert client.get("/stats/nothing.csv").status_code == 404
    assert client.get("/stats/data/nothing.json").status_code == 404


def test_confidential_details_never_appear(client, create_demand):
    create_demand(confidentiality=Confidentiality.SUMMARY_ONLY, confidential_details=SECRET)
    db.session.commit()
    bodies = [client.get("/stats/").get_data(as_text=True)]
    bodies += [client.get(f"/stats/data/{name}.json").get_data(as_text=True) for name in CHARTS]
    bodies += [client.get(f"/stats/{name}.csv").get_data(as_text=True) for name in CHARTS]
    assert not any(SECRET in body for body in bodies)


def test_csv_cells_that_look_like_formulas_are_neutralised(client, create_listing):
    assert [csv_cell(v) for v in ("=1+1", "+86", "-x", "@SUM(A1)", "\tx", "广州", 12, -3)] == \
        ["'=1+1", "'+86", "'-x", "'@SUM(A1)", "'\tx", "广州", 12, -3]
    industry = db.session.scalars(sa.select(Industry).where(Industry.is_pillar.is_(True)).order_by(Industry.id)).first()
    industry.name_zh = '=HYPERLINK("http://evil.example","点击")'
    create_listing(industries=[industry])
    db.session.commit()
    text = client.get("/stats/industries.csv").get_data(as_text=True).lstrip("\ufeff")
    first_cells = [row[0] for row in csv.reader(io.StringIO(text))]
    assert "'" + industry.name_zh in first_cells
    assert industry.name_zh not in first_cells


def test_cache_serves_until_the_data_changes(client, create_listing):
    create_listing(ListingKind.PRODUCT)
    db.session.commit()
    assert client.get("/stats/data/tiers.json").status_code == 200
    cache = stats_cache()
    builds = cache.builds
    client.get("/stats/")
    client.get("/stats/products.csv" if "products" in CHARTS else "/stats/tiers.csv")
    assert cache.builds == builds  # unchanged data: served from the cache

    create_listing(ListingKind.PRODUCT)
    db.session.commit()
    totals = [row for row in client.get("/stats/data/tiers.json").get_json()["datasets"] if row["key"] == "listings"]
    assert cache.builds == builds + 1
    assert sum(totals[0]["data"]) == 2

    listing = create_listing(ListingKind.PRODUCT)
    db.session.commit()
    listing.title = "改了标题"  # an update (same row count) changes the version too
    db.session.commit()
    client.get("/stats/")
    assert cache.builds == builds + 2


def test_warm_page_costs_a_constant_number_of_statements(client, create_listing, create_demand, count_queries):
    def add(n):
        for _ in range(n):
            create_listing()
            create_demand()
        db.session.commit()

    add(1)
    client.get("/stats/")  # build the cache
    with count_queries() as warm:
        client.get("/stats/")
    add(10)
    client.get("/stats/")
    with count_queries() as warm_after:
        client.get("/stats/")
    assert warm.count == warm_after.count <= 3


def test_gets_never_write(client, create_listing, create_demand, count_queries):
    scenario = db.session.scalar(sa.select(Scenario).order_by(Scenario.id))
    create_listing(scenarios=[scenario])
    create_demand(scenarios=[scenario])
    db.session.commit()
    urls = ["/stats/", "/stats/data/cities.json", "/stats/cities.csv", "/scenarios/",
            f"/scenarios/{scenario.slug}", "/scenarios/typical/2025"]
    with count_queries() as counter:
        for url in urls:
            assert client.get(url).status_code == 200
    writes = [s for s in counter.statements if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert counter.statements and writes == []


def test_unmet_map_is_rebuilt_at_most_once_per_interval(app, client, create_demand):
    from catalog_app.stats.cache import unmet_cache

    app.config["STATS_UNMET_MIN_SECONDS"] = 3600
    create_demand(title="量子退火排产优化")
    db.session.commit()
    assert client.get("/stats/").status_code == 200
    cache = unmet_cache()
    assert cache.builds == 1
    create_demand(title="冷库氨制冷机组寿命预测")
    db.session.commit()
    client.get("/stats/")
    assert cache.builds == 1  # changed, but too soon: the ranking pass is not repeated
    assert stats_cache().builds == 2  # the cheap figures follow at once
    cache.min_interval = 0
    client.get("/stats/")
    assert cache.builds == 2
