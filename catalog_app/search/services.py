"""The cross-kind search: a preview section per kind of result."""
from __future__ import annotations

from dataclasses import dataclass

from catalog_app.browsing.browse import BrowsePage
from catalog_app.browsing.params import BrowseParams
from catalog_app.catalog.services import load_cards, search_listings
from catalog_app.demands.services import search_demands
from catalog_app.models import ListingKind
from catalog_app.organizations.services import search_organizations


@dataclass
class SearchResults:
    """The cross-kind search page: a preview section per kind."""

    params: BrowseParams
    listings: dict[ListingKind, BrowsePage]
    demands: BrowsePage
    organizations: BrowsePage | None

    @property
    def total(self) -> int:
        pages = [*self.listings.values(), self.demands]
        if self.organizations is not None:
            pages.append(self.organizations)
        return sum(page.total for page in pages)


def search_everything(params: BrowseParams) -> SearchResults:
    """Search every kind at once; each section holds the first `params.per_page` hits.

    Organizations have no scenario or technology of their own, so with such a filter
    their section is left out rather than shown unfiltered.
    """
    preview = BrowseParams(q=params.q, facets=params.facets, sort=params.sort, page=1, per_page=params.per_page)
    # The engine ranks the query once for every kind (keyword-rankings shelf); the three
    # sections' cards are checked and loaded together.
    listings = {kind: search_listings(kind, preview, with_facets=False, cards="ids") for kind in ListingKind}
    load_cards(list(listings.values()))
    organization_facets = {k: v for k, v in params.facets.items() if k in ("industry", "region", "tier")}
    organizations = None
    if organization_facets == params.facets:
        organizations = search_organizations(
            BrowseParams(q=params.q, facets=organization_facets, sort=params.sort, page=1, per_page=params.per_page),
            with_facets=False,
        )
    return SearchResults(
        params=params,
        listings=listings,
        demands=search_demands(preview, with_facets=False),
        organizations=organizations,
    )
