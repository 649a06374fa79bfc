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
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, get_template_attribute, has_request_context, request
from markupsafe import Markup

from catalog_app.read_cache import read_cache
from catalog_app.templating import current_locale

CARDS = "listing-cards"
PANELS = "facet-panels"


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
