"""The listing page's cached parts (catalog.fragments "listing-details"): few statements for an
anonymous visitor once rendered, refreshed when the listing is edited, never shown once the
listing is withdrawn."""
from __future__ import annotations

from datetime import timedelta

import pytest

from catalog_app.extensions import db
from catalog_app.models import DemandStatus, ListingKind, ListingStatus
from catalog_app.models._types import utcnow
from catalog_app.read_cache import read_cache
from tests.catalog.helpers import scenario

# The listing-details, card and demand-card shelves, under the page cache.
pytestmark = pytest.mark.usefixtures("page_cache_off")

# Measured (28 statements cold) with a linked listing, a related one and a related demand: the
# listing's visibility and version, the cards' versions, the demands' versions, plus two that
# tests repeat on every request and production keeps: the data version
# (READ_CACHE_VERSION_SECONDS, 0 in tests) and the related demands' ids (FIGURES_MAX_AGE_SECONDS).
ANONYMOUS_CACHED_DETAIL_STATEMENTS = 5


def _page(create_listing, create_demand):
    vision = scenario()
    create_listing(scenarios=[vision])
    linked = create_listing(ListingKind.PRODUCT)
    listing = create_listing(scenarios=[vision], linked=[linked], title="缓存详情页方案")
    create_demand(scenarios=[vision])
    return listing


def test_an_anonymous_visitor_costs_few_statements_once_the_page_is_rendered(
        client, create_listing, create_demand, count_queries):
    listing = _page(create_listing, create_demand)
    read_cache().clear()
    with count_queries() as cold:
        assert client.get(f"/solutions/{listing.id}").status_code == 200
    with count_queries() as warm:
        response = client.get(f"/solutions/{listing.id}")
    assert response.status_code == 200
    assert "缓存详情页方案" in response.get_data(as_text=True)
    assert warm.count < cold.count
    assert warm.count <= ANONYMOUS_CACHED_DETAIL_STATEMENTS


def test_an_edit_refreshes_the_cached_page(client, create_listing, create_demand):
    listing = _page(create_listing, create_demand)
    assert "缓存详情页方案" in client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    listing.title = "改过标题的方案"
    listing.summary = "新的简介"
    listing.updated_at = utcnow() + timedelta(seconds=1)  # what every edit service does
    db.session.commit()
    page = client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    assert "改过标题的方案" in page and "新的简介" in page
    assert "缓存详情页方案" not in page


def test_a_withdrawn_listing_is_gone_even_with_its_page_cached(client, create_listing, create_demand):
    listing = _page(create_listing, create_demand)
    assert client.get(f"/solutions/{listing.id}").status_code == 200
    listing.status = ListingStatus.ARCHIVED  # no updated_at change: the visibility check alone
    db.session.commit()
    assert client.get(f"/solutions/{listing.id}").status_code == 404


def test_a_withdrawn_linked_listing_leaves_the_cached_page(client, create_listing, create_demand):
    listing = _page(create_listing, create_demand)
    linked = listing.linked[0]
    assert f"/products/{linked.id}" in client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    linked.status = ListingStatus.ARCHIVED
    db.session.commit()
    assert f"/products/{linked.id}" not in client.get(f"/solutions/{listing.id}").get_data(as_text=True)


def test_related_demand_cards_follow_the_demand(client, create_listing, create_demand):
    vision = scenario()
    listing = create_listing(scenarios=[vision])
    demand = create_demand(scenarios=[vision], title="缓存相关需求甲")
    assert "缓存相关需求甲" in client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    demand.title = "缓存相关需求乙"
    demand.updated_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/solutions/{listing.id}").get_data(as_text=True)
    assert "缓存相关需求乙" in page and "缓存相关需求甲" not in page
    demand.status = DemandStatus.CLOSED  # no updated_at change: the public check alone
    db.session.commit()
    assert "缓存相关需求乙" not in client.get(f"/solutions/{listing.id}").get_data(as_text=True)
