"""The in-memory facet counts agree with the SQL GROUP BYs they replace."""
from __future__ import annotations

import dataclasses
import random

import pytest
import sqlalchemy as sa

from catalog_app.browsing.browse import browse, clear_summary_cache
from catalog_app.catalog.facet_index import listing_facet_index
from catalog_app.browsing.params import BrowseParams
from catalog_app.catalog.services import card_options, listing_source
from catalog_app.extensions import db
from catalog_app.models import (
    Industry,
    Listing,
    ListingKind,
    ListingStatus,
    OrganizationTier,
    Region,
    Scenario,
    Technology,
)
from tests.catalog.helpers import scenario
from tests.conftest import settle_search


def _summary(page):
    return page.total, {name: [(o.value, o.count, o.selected) for o in options]
                        for name, options in page.facets.items()}


@pytest.fixture
def varied_catalog(create_listing, create_organization):
    rng = random.Random(7)
    scenarios = db.session.scalars(sa.select(Scenario).limit(5)).all()
    industries = db.session.scalars(sa.select(Industry).where(Industry.is_pillar.is_(True)).limit(5)).all()
    technologies = db.session.scalars(sa.select(Technology).limit(4)).all()
    places = db.session.scalars(sa.select(Region).where(Region.code.in_(
        ["440100", "440114", "440300", "440305", "440600"]))).all()
    organizations = [create_organization(region=rng.choice(places), tier=rng.choice(list(OrganizationTier)))
                     for _ in range(8)]
    for n in range(60):
        create_listing(rng.choice(list(ListingKind)), organization=rng.choice(organizations),
                       title=f"视觉检测方案{n}",
                       status=ListingStatus.PUBLISHED if n % 7 else ListingStatus.DRAFT,
                       scenarios=rng.sample(scenarios, rng.randint(0, 2)),
                       industries=rng.sample(industries, rng.randint(0, 3)),
                       technologies=rng.sample(technologies, rng.randint(0, 2)))
    db.session.commit()
    return {"scenario": scenarios[0].slug, "industry": industries[1].code,
            "technology": technologies[0].slug, "region": "440100", "tier": "sme"}


@pytest.mark.parametrize("kind", [None, ListingKind.SOLUTION, ListingKind.CASE])
@pytest.mark.parametrize("filters", [(), ("scenario",), ("region",), ("industry", "tier"),
                                     ("technology", "region", "scenario")])
def test_fast_counts_equal_sql_counts(app, varied_catalog, kind, filters):
    params = BrowseParams(q="", facets={name: varied_catalog[name] for name in filters},
                          sort="newest", page=1, per_page=20)
    fast_source = listing_source(kind)
    sql_source = dataclasses.replace(fast_source, memory=None)
    clear_summary_cache()
    fast = _summary(browse(fast_source, params, card_options()))
    clear_summary_cache()
    assert fast == _summary(browse(sql_source, params, card_options()))
    assert fast[0] > 0 or filters


@pytest.mark.parametrize("kind", [None, ListingKind.PRODUCT])
@pytest.mark.parametrize("filters", [(), ("scenario",), ("industry", "region")])
def test_fast_pages_equal_sql_pages(app, varied_catalog, kind, filters):
    """Newest-first pages from the index list the same rows, in the same order, as SQL's
    ORDER BY published_at DESC, id DESC, page after page."""
    facets = {name: varied_catalog[name] for name in filters}
    fast_source = listing_source(kind)
    sql_source = dataclasses.replace(fast_source, memory=None)
    first = BrowseParams(q="", facets=facets, sort="newest", page=1, per_page=4)
    pages = browse(fast_source, first, card_options()).pages
    seen = []
    for number in range(1, pages + 1):
        params = dataclasses.replace(first, page=number)
        clear_summary_cache()
        fast_ids = [item.id for item in browse(fast_source, params, card_options()).items]
        clear_summary_cache()
        assert fast_ids == [item.id for item in browse(sql_source, params, card_options()).items]
        seen += fast_ids
    assert len(seen) == len(set(seen)) > 0


def test_a_listing_withdrawn_since_the_index_was_built_is_left_out(app, varied_catalog):
    """Page membership may lag by FACET_INDEX_MIN_SECONDS; what is shown never does."""
    app.config["FACET_INDEX_MIN_SECONDS"] = 3600
    source = listing_source(None, cards=True)
    params = BrowseParams(q="", facets={}, sort="newest", page=1, per_page=5)
    with app.test_request_context("/solutions"):
        before = browse(source, params, card_options()).items
        withdrawn = db.session.get(Listing, before[0].id)
        withdrawn.status = ListingStatus.ARCHIVED
        db.session.commit()
        after = [item.id for item in browse(source, params, card_options()).items]
    assert withdrawn.id not in after
    assert after == [item.id for item in before[1:]]


@pytest.mark.parametrize("filters", [(), ("scenario",), ("region",)])
def test_fast_keyword_pages_equal_sql_pages(app, varied_catalog, filters):
    """Relevance pages cut from the engine's ranking by the index equal the SQL-filtered ones."""
    settle_search()
    facets = {name: varied_catalog[name] for name in filters}
    fast_source = listing_source(None)
    sql_source = dataclasses.replace(fast_source, memory=None)
    first = BrowseParams(q="视觉检测", facets=facets, sort="relevance", page=1, per_page=3)
    clear_summary_cache()
    fast_first = browse(fast_source, first, card_options())
    clear_summary_cache()
    assert fast_first.total == browse(sql_source, first, card_options()).total > 0
    for number in range(1, fast_first.pages + 1):
        params = dataclasses.replace(first, page=number)
        clear_summary_cache()
        fast_ids = [item.id for item in browse(fast_source, params, card_options()).items]
        clear_summary_cache()
        assert fast_ids == [item.id for item in browse(sql_source, params, card_options()).items]


def test_facet_values_resolve_from_memory_and_fall_back_to_the_database(app, varied_catalog):
    from catalog_app.browsing.params import InvalidQuery

    index = listing_facet_index()
    facets = {name: varied_catalog[name] for name in ("scenario", "region", "tier")}
    resolved = index.resolve(facets)
    assert resolved["scenario"].slug == facets["scenario"] and resolved["region"].code == "440100"
    assert resolved["tier"] is OrganizationTier.SME
    added = Technology(slug="swarm-robotics", name_zh="群体机器人", name_en="Swarm robotics")
    db.session.add(added)
    db.session.commit()
    assert index.resolve({"technology": "swarm-robotics"})["technology"].id == added.id
    with app.test_request_context("/solutions"), pytest.raises(InvalidQuery):
        index.resolve({"scenario": "no-such-scenario"})


def test_keyword_results_show_a_listing_the_facet_index_does_not_know_yet(app, client, create_listing):
    """The engine refreshes every couple of seconds, the facet index less often: without
    filters a keyword page already lists what the engine finds."""
    create_listing(title="机器视觉缺陷检测一体机", scenarios=[scenario()])
    settle_search()
    client.get("/solutions?q=视觉检测")  # the facet index is built
    app.config["FACET_INDEX_MIN_SECONDS"] = 3600
    create_listing(title="皮具表面瑕疵视觉检测系统")
    settle_search()  # the engine learns of it; the facet index is not due for an hour
    assert len(listing_facet_index().data().ids) == 1
    html = client.get("/solutions?q=视觉检测").get_data(as_text=True)
    assert "皮具表面瑕疵视觉检测系统" in html and "共 2 条结果" in html
    filtered = client.get("/solutions?q=视觉检测&scenario=online-intelligent-inspection").get_data(as_text=True)
    assert "机器视觉缺陷检测一体机" in filtered and "皮具表面瑕疵视觉检测系统" not in filtered
