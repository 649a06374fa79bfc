"""Rendered pieces of catalog pages, cached in the app's read cache: the facet panel and the
listing cards.

A facet panel links every option of every facet (a hundred or more links, each with a
translated label): rendering it is most of a list page's CPU. It depends only on the
counts (identified by the page's summary key, which includes the data version), the
locale and the query arguments other than the page number, so one rendering serves every
page of the same result set until the data changes ("facet-panels" shelf).

A card shows the listing, its organization (name, verification, city) and scenario tags.
Every change to either row moves its `updated_at` (publishing and moderation set it
explicitly), so the card's version below changes with them; the shelf's maximum age bounds
how long a renamed taxonomy term can linger ("listing-cards" shelf).

A listing page's viewer-independent parts (head, description, outcomes, key facts, supplier)
are rendered once per listing version and locale the same way ("listing-details" shelf),
with the ids the rest of the page needs; the per-viewer parts (enquiry box, view form) and
the linked and related cards, whose visibility is checked on every request, are not in it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, get_template_attribute, has_request_context, request
from markupsafe import Markup

from catalog_app.read_cache import read_cache
from catalog_app.templating import current_locale

CARDS = "listing-cards"
PANELS = "facet-panels"
DETAILS = "listing-details"
DEMAND_CARDS = "demand-cards"


@dataclass(frozen=True)
class RenderedCard:
    """A page item whose card was found in the cache: the row itself was never loaded."""

    id: int
    html: Markup


def card_key(listing_id: int, updated_at, organization_id: int, organization_updated_at) -> tuple:
    """(key, version) of a listing's card; the version is read from the database rows, so an
    edit made on any node changes it."""
    # Outside a request (services called from the CLI or tests) no card was rendered, so the
    # key matches nothing and the rows are loaded.
    where = (current_locale(), request.script_root) if has_request_context() else None
    return (listing_id, where), (updated_at, organization_id, organization_updated_at)


@dataclass(frozen=True)
class DetailParts:
    """The rendered parts of a listing page that are the same for every visitor, with the
    plain ids the rest of the page is built from (never ORM rows: they outlive the session)."""

    title: str
    organization_id: int
    scenario_ids: tuple[int, ...]
    linked_ids: tuple[int, ...]
    head: Markup
    main: Markup
    side: Markup


def cached_card(key: tuple) -> Markup | None:
    card, version = key
    return read_cache().get(CARDS, card, version)


def listing_card(listing) -> Markup:
    """The listing's card (templates/catalog/_card.html), rendered once per version and locale."""
    if isinstance(listing, RenderedCard):
        return listing.html
    organization = listing.organization
    card, version = card_key(listing.id, listing.updated_at, organization.id, organization.updated_at)
    return read_cache().fetch(
        CARDS, card,
        lambda: Markup(current_app.jinja_env.get_template("catalog/_card.html").render(listing=listing)),
        version)


def facet_panel(page, titles: dict) -> Markup:
    render = get_template_attribute("_macros/facets.html", "facet_panel")
    if page.summary_key is None:
        return render(page, titles)
    arguments = tuple(sorted((name, tuple(values)) for name, values in request.args.lists() if name != "page"))
    key = (current_locale(), request.endpoint, tuple(sorted((request.view_args or {}).items())), arguments)
    return read_cache().fetch(PANELS, key, lambda: Markup(render(page, titles)), page.summary_key)


def detail_key(listing_id: int, updated_at, organization_id: int, organization_updated_at) -> tuple:
    """(key, version) of a listing page's parts: like a card's, the version is read from the
    listing's and organization's rows (every edit of the listing, its tags, outcomes or links
    moves its `updated_at`)."""
    return card_key(listing_id, updated_at, organization_id, organization_updated_at)


def cached_detail(key: tuple) -> DetailParts | None:
    parts, version = key
    return read_cache().get(DETAILS, parts, version)


def detail_parts(listing, section: str, key: tuple) -> DetailParts:
    """Render catalog/_detail_parts.html for a fully loaded listing and keep it under `key`."""
    module = current_app.jinja_env.get_template("catalog/_detail_parts.html").make_module(
        {"listing": listing, "section": section})
    parts = DetailParts(
        title=listing.title,
        organization_id=listing.organization_id,
        scenario_ids=tuple(scenario.id for scenario in listing.scenarios),
        linked_ids=tuple(other.id for other in listing.linked),
        head=Markup(module.head), main=Markup(module.main), side=Markup(module.side),
    )
    shelf_key, version = key
    read_cache().put(DETAILS, shelf_key, parts, version)
    return parts


def cached_demand_card(demand_id: int, updated_at, organization_id: int, organization_updated_at) -> Markup | None:
    card, version = card_key(demand_id, updated_at, organization_id, organization_updated_at)
    return read_cache().get(DEMAND_CARDS, card, version)


def demand_card(demand) -> Markup:
    """A demand's card (templates/demands/_card.html), rendered once per version and locale;
    like a listing card, its version is the demand's and organization's `updated_at`."""
    organization = demand.organization
    card, version = card_key(demand.id, demand.updated_at, organization.id, organization.updated_at)
    return read_cache().fetch(
        DEMAND_CARDS, card,
        lambda: Markup(current_app.jinja_env.get_template("demands/_card.html").render(demand=demand)),
        version)
