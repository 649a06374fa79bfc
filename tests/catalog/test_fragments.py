"""Cached page pieces never show stale data: cards follow their listing's and organization's
versions, and the URL and pagination helpers build what url_for would."""
from __future__ import annotations

import pytest
from flask import request, url_for

from catalog_app.extensions import db
from catalog_app.read_cache import read_cache
from catalog_app.templating import page_numbers, url_with
from tests.catalog.helpers import scenario


@pytest.mark.usefixtures("page_cache_off")
def test_card_follows_an_edit_of_the_listing(client, create_listing):
    listing = create_listing(title="初版视觉检测方案")
    assert "初版视觉检测方案" in client.get("/solutions").get_data(as_text=True)
    listing.title = "改版视觉检测方案"
    db.session.commit()
    html = client.get("/solutions").get_data(as_text=True)
    assert "改版视觉检测方案" in html and "初版视觉检测方案" not in html


@pytest.mark.usefixtures("page_cache_off")
def test_card_follows_an_edit_of_the_organization(client, create_listing):
    listing = create_listing()
    client.get("/solutions")
    listing.organization.name = "更名后的智能装备有限公司"
    listing.organization.is_verified = True
    db.session.commit()
    html = client.get("/solutions").get_data(as_text=True)
    assert "更名后的智能装备有限公司" in html
    assert "已认证机构" in html


@pytest.mark.usefixtures("page_cache_off")
def test_cards_follow_the_language(client, create_listing):
    create_listing(is_featured=True)
    assert "精选推荐" in client.get("/solutions").get_data(as_text=True)
    html = client.get("/solutions?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Featured" in html and "精选推荐" not in html


@pytest.mark.usefixtures("page_cache_off")
def test_a_cached_card_skips_loading_its_row(client, create_listing, count_queries):
    for n in range(6):
        create_listing(title=f"缓存卡片方案{n}", scenarios=[scenario()])
    client.get("/products")  # the facet index and the taxonomy are loaded
    read_cache().clear("listing-cards")
    with count_queries() as cold:
        client.get("/solutions")
    with count_queries() as warm:
        html = client.get("/solutions").get_data(as_text=True)
    assert all(f"缓存卡片方案{n}" in html for n in range(6))
    assert warm.count < cold.count
    assert not any("listing_scenarios" in statement for statement in warm.statements)


@pytest.mark.parametrize("current,pages,expected", [
    (1, 1, [1]),
    (1, 4, [1, 2, 3, 4]),
    (1, 150, [1, 2, 3, None, 150]),
    (5, 150, [1, None, 3, 4, 5, 6, 7, None, 150]),
    (4, 150, [1, 2, 3, 4, 5, 6, None, 150]),
    (150, 150, [1, None, 148, 149, 150]),
])
def test_page_numbers(current, pages, expected):
    assert page_numbers(current, pages) == expected


@pytest.mark.parametrize("query,changes", [
    ("scenario=online-intelligent-inspection&page=3", {"page": None}),
    ("q=视觉 检测&sort=title", {"sort": "newest", "page": 2}),
    ("q=a%2Bb%26c%3Dd&region=440100", {"region": None}),
    ("", {"lang": "en"}),
    ("tag=a&tag=b:c,d", {"page": 1}),
])
def test_url_with_builds_what_url_for_builds(app, query, changes):
    with app.test_request_context(f"/solutions?{query}"):
        app.preprocess_request()
        args = dict(request.args.lists())
        for name, value in changes.items():
            if value is None:
                args.pop(name, None)
            else:
                args[name] = [value]
        assert url_with(**changes) == url_for("catalog.listings", section="solutions", **args)


@pytest.mark.parametrize("query", ["", "tier=sme&page=2", "q=视觉 检测&region=440100&sort=title",
                                   "scenario=online-intelligent-inspection&tier=chain_leader"])
def test_facet_links_equal_url_with_for_every_option(app, query):
    from catalog_app.browsing.facets import FacetOption
    from catalog_app.models import OrganizationTier
    from catalog_app.templating import facet_links

    with app.test_request_context(f"/solutions?{query}"):
        app.preprocess_request()
        chosen = request.args.get("tier")
        options = [FacetOption(tier.value, tier, 5 + n, tier.value == chosen)
                   for n, tier in enumerate(OrganizationTier)]
        links = facet_links("tier", options)
        assert len(links) == len(options)
        for option, link in zip(options, links):
            assert link.href == url_with(tier=None if option.selected else option.value, page=None)
            assert (link.selected, link.count, link.label) == (option.selected, option.count, option.label)
            assert str(option.count) in link.count_label
