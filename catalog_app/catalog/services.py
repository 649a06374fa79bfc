"""Browsing the public catalog of solutions, products and application cases.

Only PUBLISHED listings exist as far as these functions are concerned: every query
starts from `public_listings()`, and an unpublished id is indistinguishable from an
unknown one (404).
"""
from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload, selectinload
from werkzeug.exceptions import NotFound

from catalog_app import listing_views, rate_limits
from catalog_app.catalog import fragments
from catalog_app.browsing.browse import BrowsePage, BrowseSource, LinkFacet, browse, rows_in_order
from catalog_app.catalog.facet_index import KindView, listing_facet_index
from catalog_app.browsing.params import BrowseParams
from catalog_app.demands.services import card_options as demand_card_options
from catalog_app.demands.services import demand_ids_for_scenarios, demands_for_scenarios, public_demands
from catalog_app.extensions import db
from catalog_app.models import Demand, Listing, ListingKind, Organization, Region, Scenario
from catalog_app.models.listings import listing_industries, listing_scenarios, listing_technologies
from catalog_app.public_urls import KIND_BY_SECTION, SECTION_BY_KIND  # noqa: F401  (the routes read them here)
from catalog_app.read_cache import read_cache
from catalog_app.visibility import public_demand_condition, visible_listing_condition
from catalog_app.recommendations.services import search_listing_ids


RELATED_LIMIT = 6


def public_listings(kind: ListingKind | None = None) -> sa.Select:
    """Published listings with their organization joined (facets filter on it)."""
    statement = (
        sa.select(Listing)
        .join(Listing.organization)
        .where(visible_listing_condition())
    )
    if kind is not None:
        statement = statement.where(Listing.kind == kind)
    return statement


@functools.cache
def card_options():
    """Eager loads for a listing card: organization, its city and the scenario tags; the long
    texts a card never shows stay in the database. Built once: loader options are immutable
    and costly to construct on every request."""
    return (
        defer(Listing.body), defer(Listing.problem), defer(Listing.deployment),
        joinedload(Listing.organization).joinedload(Organization.region).joinedload(Region.parent),
        selectinload(Listing.scenarios),
    )


def card_items(page_ids: list[int]) -> list:
    """A page's listings for rendering as cards, in `page_ids` order, public ones only.

    One light statement reads each listing's and organization's `updated_at` (under the
    visibility condition); a card already rendered for those versions is used as it is
    (`RenderedCard`), and only the others are loaded with their organization and tags.
    """
    versions = db.session.execute(
        sa.select(Listing.id, Listing.updated_at, Organization.id, Organization.updated_at)
        .join(Listing.organization)
        .where(visible_listing_condition(), Listing.id.in_(page_ids))
    ).all()
    items: dict[int, object] = {}
    missing = []
    for listing_id, updated_at, organization_id, organization_updated_at in versions:
        html = fragments.cached_card(fragments.card_key(listing_id, updated_at, organization_id,
                                                        organization_updated_at))
        if html is None:
            missing.append(listing_id)
        else:
            items[listing_id] = fragments.RenderedCard(listing_id, html)
    items.update((listing.id, listing)
                 for listing in rows_in_order(public_listings().options(*card_options()), Listing, missing))
    return [items[i] for i in page_ids if i in items]


def _page_ids(page_ids: list[int]) -> list[int]:
    return page_ids


def load_cards(pages: list[BrowsePage]) -> None:
    """Replace the ids of pages browsed with `cards="ids"` by their cards: one `card_items`
    for all of them (one visibility check, one load of the cards not cached)."""
    wanted = list(dict.fromkeys(i for page in pages for i in page.items))
    cards = {item.id: item for item in card_items(wanted)}
    for page in pages:
        page.items = [cards[i] for i in page.items if i in cards]


def listing_source(kind: ListingKind | None, cards: bool | str = False) -> BrowseSource:
    """What a listing list page browses; `cards` for pages that only render cards (the items
    may then be `RenderedCard`s, see `card_items`), "ids" to leave the items as ids for the
    caller to load (`load_cards`)."""
    return BrowseSource(
        model=Listing,
        statement=lambda: public_listings(kind),
        text_columns=(Listing.title, Listing.summary, Listing.body, Listing.keywords),
        title_column=Listing.title,
        newest_columns=(Listing.published_at,),
        region_column=Organization.region_id,
        link_facets={
            "industry": LinkFacet(listing_industries, "listing_id", "industry_id"),
            "scenario": LinkFacet(listing_scenarios, "listing_id", "scenario_id"),
            "technology": LinkFacet(listing_technologies, "listing_id", "technology_id"),
        },
        enum_columns={"tier": Organization.tier},
        facet_names=("industry", "scenario", "technology", "region", "tier"),
        ranked_search=lambda q: search_listing_ids(q, kinds=[kind] if kind else None),
        # Read from the database (any node's change moves it), polled: see catalog_app.read_cache.
        version=lambda: read_cache().data_version(),
        name=f"listings:{kind.value if kind else 'all'}",
        memory=KindView(kind),
        load_items=_page_ids if cards == "ids" else card_items if cards else None,
    )


def search_listings(kind: ListingKind | None, params: BrowseParams, with_facets: bool = True,
                    cards: bool | str = False) -> BrowsePage:
    """A page of published listings of `kind` matching `params`, with facet counts.

    :param kind: the listing kind, or None for all kinds.
    :param params: validated query-string parameters (see `catalog.params`).
    :param with_facets: False to skip the facet GROUP BYs (previews).
    :param cards: True when the page only renders listing cards (`listing_card`): items whose
        card is cached come back as `RenderedCard`s, without loading their rows; "ids" leaves
        the items as ids, for `load_cards` to load several pages' cards at once.
    :returns: the page; its statement count does not depend on the page size.
    :raises InvalidQuery: for an unknown facet value.
    :raises NotFound: for a page past the last one.
    """
    return browse(listing_source(kind, cards), params, card_options(), with_facets=with_facets)


@dataclass
class ListingDetail:
    listing: Listing
    linked: list[Listing]
    related: list[Listing]
    related_demands: list


def load_listing(kind: ListingKind, listing_id: int) -> Listing:
    """A published listing with its organization, tags, outcomes and linked listings loaded.

    :raises NotFound: when no published listing of that kind has this id.
    """
    listing = _published_listing(kind, listing_id, selectinload(Listing.linked).options(*card_options()))
    if listing is None:
        raise NotFound()
    return listing


def _load_for_page(kind: ListingKind, listing_id: int) -> Listing | None:
    """What `catalog/_detail_parts.html` reads: the listing, its organization and city, its
    tags and outcomes, and only the ids of its links (their cards are `card_items`)."""
    return _published_listing(kind, listing_id, joinedload(Listing.linked).load_only(Listing.id))


def _published_listing(kind: ListingKind, listing_id: int, linked_option) -> Listing | None:
    """A published listing with its organization, city, tags and outcomes; `linked_option`
    says how much of its linked listings to load (whole cards, or ids only).

    One statement joins the tags and outcomes rather than one SELECT each: a listing has a
    few of each, so the joined rows stay few, and a page not yet cached costs one round trip
    instead of six (most of a cold listing page's time was those round trips)."""
    return db.session.scalars(
        public_listings(kind)
        .where(Listing.id == listing_id)
        .options(
            joinedload(Listing.organization).joinedload(Organization.region).joinedload(Region.parent),
            joinedload(Listing.industries),
            joinedload(Listing.scenarios).joinedload(Scenario.stage),
            joinedload(Listing.technologies),
            joinedload(Listing.outcomes),
            linked_option,
        )
    ).unique().one_or_none()


def get_listing(kind: ListingKind, listing_id: int) -> ListingDetail:
    """A published listing with everything its page shows, as rows (services and tests; the
    page itself is `listing_page`).

    :raises NotFound: when no published listing of that kind has this id.
    """
    listing = load_listing(kind, listing_id)
    scenario_ids = [scenario.id for scenario in listing.scenarios]
    return ListingDetail(
        listing=listing,
        linked=[other for other in listing.linked if other.is_public],
        related=related_listings(scenario_ids, exclude_ids=[listing.id]),
        related_demands=demands_for_scenarios(scenario_ids, limit=4),
    )


@dataclass(frozen=True)
class PageRef:
    """The id of a row a page links to or checks against, without loading the row."""

    id: int


@dataclass
class ListingPage:
    """What a listing page renders: the cached viewer-independent parts, and per request
    the linked and related cards (visible now) and the related demands."""

    parts: fragments.DetailParts
    target: PageRef
    organization: PageRef
    linked: list
    related: list
    related_demands: list


def listing_page(kind: ListingKind, listing_id: int) -> ListingPage:
    """A published listing's page.

    One light statement checks the listing is visible now and reads its and its
    organization's `updated_at`; the rendered parts for that version come from the read
    cache, or the listing is loaded (`load_listing`) and rendered. The linked and related
    listings are cards checked for visibility in one statement (`card_items`); the related
    demands' ids are a kept figure, their rows loaded public.

    :raises NotFound: when no published listing of that kind has this id.
    """
    row = db.session.execute(
        sa.select(Listing.id, Listing.updated_at, Organization.id, Organization.updated_at)
        .join(Listing.organization)
        .where(visible_listing_condition(), Listing.kind == kind, Listing.id == listing_id)
    ).one_or_none()
    if row is None:
        raise NotFound()
    key = fragments.detail_key(*row)
    parts = fragments.cached_detail(key)
    if parts is None:
        listing = _load_for_page(kind, listing_id)
        if listing is None:  # withdrawn between the two statements
            raise NotFound()
        parts = fragments.detail_parts(listing, SECTION_BY_KIND[kind], key)
    related_ids = (listing_facet_index().sharing_ids("scenario", list(parts.scenario_ids), [listing_id],
                                                      RELATED_LIMIT) if parts.scenario_ids else [])
    cards = {item.id: item for item in card_items(list(dict.fromkeys([*parts.linked_ids, *related_ids])))}
    return ListingPage(
        parts=parts,
        target=PageRef(listing_id),
        organization=PageRef(parts.organization_id),
        linked=[cards[i] for i in parts.linked_ids if i in cards],
        related=[cards[i] for i in related_ids if i in cards],
        related_demands=related_demand_cards(list(parts.scenario_ids)),
    )


def related_demand_cards(scenario_ids: list[int], limit: int = 4) -> list:
    """The rendered cards of public demands in these scenarios, newest first.

    Which ones is a kept figure; one statement checks they are public now and reads their
    and their organizations' `updated_at`; only cards not cached for those versions load
    their rows.
    """
    ids = demand_ids_for_scenarios(scenario_ids, limit)
    if not ids:
        return []
    cards: dict[int, object] = {}
    missing = []
    for row in db.session.execute(
            sa.select(Demand.id, Demand.updated_at, Organization.id, Organization.updated_at)
            .join(Demand.organization).where(public_demand_condition(), Demand.id.in_(ids))):
        html = fragments.cached_demand_card(*row)
        if html is None:
            missing.append(row[0])
        else:
            cards[row[0]] = html
    cards.update((demand.id, fragments.demand_card(demand))
                 for demand in rows_in_order(public_demands().options(*demand_card_options()), Demand, missing))
    return [cards[i] for i in ids if i in cards]


def related_listings(scenario_ids: list[int], exclude_ids: list[int], limit: int = RELATED_LIMIT) -> list:
    """Visible listings sharing a scenario, newest first, as cards (see `card_items`)."""
    if not scenario_ids:
        return []
    return card_items(listing_facet_index().sharing_ids("scenario", scenario_ids, exclude_ids, limit))


class ViewOutcome(enum.Enum):
    COUNTED = "counted"
    SKIPPED = "skipped"        # the owner's member, staff, or this session's second view today
    LIMITED = "limited"        # too many beacons from this client address
    NOT_FOUND = "not_found"    # no published listing of that kind


def count_view(kind: ListingKind, listing_id: int, user, session, client_address: str) -> ViewOutcome:
    """Count one page view of a published listing (rules in catalog_app.listing_views).

    The per-address limit is hit before anything else, so probing ids costs the same budget;
    the per-listing limit only when the view would count, so one reader's pages never use it up.
    """
    if not rate_limits.allow("LISTING_VIEW_LIMIT_PER_IP", "listing-view-ip", client_address):
        return ViewOutcome.LIMITED
    listing = db.session.scalar(public_listings(kind).where(Listing.id == listing_id))
    if listing is None:
        return ViewOutcome.NOT_FOUND
    day = listing_views.today()
    if not listing_views.counts_for(user, listing) or not listing_views.first_view_today(session, listing.id, day):
        return ViewOutcome.SKIPPED
    if not rate_limits.allow("LISTING_VIEW_LIMIT_PER_LISTING", "listing-view-listing", f"{client_address}/{listing.id}"):
        return ViewOutcome.LIMITED
    listing_views.record_view(listing.id, day)
    db.session.commit()
    return ViewOutcome.COUNTED
