"""search_listings and get_listing: publication, facets, filters, sorting, pagination."""
from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from catalog_app.browsing.params import BrowseParams, InvalidQuery
from catalog_app.catalog.services import get_listing, search_listings
from catalog_app.models import CaseOutcome, ListingKind, ListingStatus, OrganizationTier, OutcomeMetric
from tests.catalog.helpers import industry, region, scenario, technology


def _options(page, facet):
    return {option.value: option.count for option in page.facets[facet]}


def test_only_published_listings_of_the_kind_are_listed(create_listing):
    published = create_listing()
    for status in (ListingStatus.DRAFT, ListingStatus.PENDING_REVIEW, ListingStatus.REJECTED,
                   ListingStatus.EXPIRED, ListingStatus.ARCHIVED):
        create_listing(status=status)
    create_listing(ListingKind.PRODUCT)

    page = search_listings(ListingKind.SOLUTION, BrowseParams())

    assert [listing.id for listing in page.items] == [published.id]
    assert page.total == 1


def test_facet_counts_cover_the_whole_result_set(create_listing, create_organization):
    vision, hardware = scenario(), industry()
    shenzhen_org = create_organization(region=region("440305"), tier=OrganizationTier.CHAIN_LEADER)
    create_listing(scenarios=[vision], industries=[hardware], technologies=[technology()])
    create_listing(scenarios=[vision], organization=shenzhen_org)
    create_listing(scenarios=[scenario("equipment-fault-prediction")], organization=shenzhen_org)
    create_listing(scenarios=[vision], status=ListingStatus.DRAFT)

    page = search_listings(ListingKind.SOLUTION, BrowseParams(per_page=1))

    assert len(page.items) == 1 and page.total == 3
    assert _options(page, "scenario") == {"online-intelligent-inspection": 2, "equipment-fault-prediction": 1}
    assert _options(page, "industry") == {"hardware": 1}
    assert _options(page, "technology") == {"machine-vision": 1}
    # Huadu district counts for Guangzhou, Nanshan for Shenzhen.
    assert _options(page, "region") == {"440100": 1, "440300": 2}
    assert _options(page, "tier") == {"chain_leader": 2, "sme": 1}


@pytest.mark.parametrize(
    ("facets", "expected"),
    [
        ({"scenario": "online-intelligent-inspection"}, {"vision-gz", "vision-sz"}),
        ({"industry": "hardware"}, {"vision-gz"}),
        ({"technology": "machine-vision"}, {"vision-sz"}),
        ({"region": "440300"}, {"vision-sz", "maintenance-sz"}),
        ({"region": "440100"}, {"vision-gz"}),
        ({"tier": "chain_leader"}, {"vision-sz", "maintenance-sz"}),
        ({"region": "440300", "scenario": "equipment-fault-prediction"}, {"maintenance-sz"}),
        ({"region": "440600"}, set()),
    ],
)
def test_filters_combine_with_and(create_listing, create_organization, facets, expected):
    shenzhen_org = create_organization(region=region("440305"), tier=OrganizationTier.CHAIN_LEADER)
    create_listing(title="vision-gz", scenarios=[scenario()], industries=[industry()])
    create_listing(title="vision-sz", scenarios=[scenario()], technologies=[technology()], organization=shenzhen_org)
    create_listing(title="maintenance-sz", scenarios=[scenario("equipment-fault-prediction")], organization=shenzhen_org)

    page = search_listings(ListingKind.SOLUTION, BrowseParams(facets=facets))

    assert {listing.title for listing in page.items} == expected
    assert page.total == len(expected)


def test_selected_facet_value_is_marked(create_listing):
    create_listing(scenarios=[scenario()])
    page = search_listings(ListingKind.SOLUTION, BrowseParams(facets={"scenario": "online-intelligent-inspection"}))
    assert [option.selected for option in page.facets["scenario"]] == [True]


def test_unknown_facet_value_is_refused(app):
    with app.test_request_context(), pytest.raises(InvalidQuery, match="industry"):
        search_listings(ListingKind.SOLUTION, BrowseParams(facets={"industry": "no-such-industry"}))
    # A district is not a city: the region facet takes city codes only.
    with app.test_request_context(), pytest.raises(InvalidQuery):
        search_listings(ListingKind.SOLUTION, BrowseParams(facets={"region": "440114"}))


def test_pagination_splits_results_and_rejects_pages_past_the_end(create_listing):
    for number in range(5):
        create_listing(title=f"方案 {number}")
    first = search_listings(ListingKind.SOLUTION, BrowseParams(sort="title", per_page=2))
    third = search_listings(ListingKind.SOLUTION, BrowseParams(sort="title", per_page=2, page=3))

    assert [item.title for item in first.items] == ["方案 0", "方案 1"]
    assert [item.title for item in third.items] == ["方案 4"]
    assert (first.pages, third.first_index, third.last_index) == (3, 5, 5)
    with pytest.raises(NotFound):
        search_listings(ListingKind.SOLUTION, BrowseParams(per_page=2, page=4))


def test_empty_catalog_has_one_empty_page(app):
    page = search_listings(ListingKind.CASE, BrowseParams())
    assert (page.items, page.total, page.pages) == ([], 0, 1)


def test_relevance_ranks_title_hits_first(create_listing):
    create_listing(title="智能排产系统", summary="也可用于视觉检测", body="")
    create_listing(title="视觉检测一体机", summary="", body="")
    page = search_listings(ListingKind.SOLUTION, BrowseParams(q="视觉检测", sort="relevance"))
    assert [item.title for item in page.items] == ["视觉检测一体机", "智能排产系统"]


def test_get_listing_hides_unpublished_and_other_kinds(create_listing):
    draft = create_listing(status=ListingStatus.PENDING_REVIEW)
    product = create_listing(ListingKind.PRODUCT)
    with pytest.raises(NotFound):
        get_listing(ListingKind.SOLUTION, draft.id)
    with pytest.raises(NotFound):
        get_listing(ListingKind.SOLUTION, product.id)
    assert get_listing(ListingKind.PRODUCT, product.id).listing is product


def test_detail_relates_by_scenario_and_keeps_only_published_links(create_listing, create_demand):
    vision = scenario()
    neighbour = create_listing(scenarios=[vision])
    hidden = create_listing(scenarios=[vision], status=ListingStatus.DRAFT)
    linked = create_listing(ListingKind.PRODUCT)
    case = create_listing(
        ListingKind.CASE,
        scenarios=[vision],
        linked=[linked, hidden],
        outcomes=[CaseOutcome(metric=OutcomeMetric.CYCLE_TIME, label="研发周期", before_value=90,
                              after_value=36, unit="天")],
    )
    demand = create_demand(scenarios=[vision])

    detail = get_listing(ListingKind.CASE, case.id)

    assert detail.linked == [linked]
    assert [item.id for item in detail.related] == [neighbour.id]
    assert detail.related_demands == [demand]
    assert detail.listing.outcomes[0].change_percent == -60.0
