"""The home page: headline counts of public items, recent items, entry points."""
from __future__ import annotations

import re

from catalog_app.stats.headline import headline_figures
from catalog_app.models import DemandStatus, ListingKind, ListingStatus
from tests.catalog.helpers import industry, scenario


def test_home_renders_on_an_empty_catalog(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "场景目录" in html and "广东省" not in html  # a neutral default brand (Config.SITE_NAME)
    assert "按场景浏览" in html


def test_headline_counts_only_count_public_items(create_listing, create_demand, create_organization):
    create_listing()
    create_listing(ListingKind.PRODUCT)
    create_listing(ListingKind.PRODUCT)
    create_listing(ListingKind.CASE, status=ListingStatus.DRAFT)
    create_demand()
    create_demand(status=DemandStatus.SOLVED)
    create_demand(status=DemandStatus.PENDING_REVIEW)
    create_organization()  # nothing public: not counted

    counts = headline_figures()

    # Each factory call above made its own organization; the draft-only ones do not count.
    assert (counts.solutions, counts.products, counts.cases, counts.demands) == (1, 2, 0, 2)
    assert counts.organizations == 5


def test_home_shows_recent_and_featured_but_not_drafts(client, create_listing, create_demand):
    create_listing(title="精选的视觉方案", is_featured=True, scenarios=[scenario()], industries=[industry()])
    create_listing(title="草稿方案", status=ListingStatus.DRAFT, is_featured=True)
    create_demand(title="最新的企业需求")
    html = client.get("/").get_data(as_text=True)
    assert html.count("精选的视觉方案") >= 2  # featured and recent
    assert "草稿方案" not in html
    assert "最新的企业需求" in html
    assert "/search?scenario=online-intelligent-inspection" in html
    assert "/search?industry=hardware" in html


def test_headline_numbers_are_links_with_the_counts(client, create_listing):
    create_listing()
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/solutions"><span class="stat__value">1</span>', html)


def test_home_statement_count_is_constant(client, create_listing, create_demand, count_queries):
    create_listing(scenarios=[scenario()], is_featured=True)
    create_demand(scenarios=[scenario()])
    with count_queries() as counter:
        client.get("/")
    baseline = counter.count
    for _ in range(15):
        create_listing(scenarios=[scenario()], industries=[industry()], is_featured=True)
        create_demand(scenarios=[scenario()])
    with count_queries() as counter:
        assert client.get("/").status_code == 200
    assert counter.count == baseline
