"""Rendered pieces of catalog pages, cached: the facet panel and the listing cards.

A facet panel links every option of every facet (a hundred or more links, each with a
translated label): rendering it is most of a list page's CPU. It depends only on the
counts (identified by the page's summary key, which includes the data version), the
locale and the query arguments other than the page number, so one rendering serves every
page of the same result set until the data changes.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from cachetools import TTLCache
from flask import current_app, get_template_attribute, has_request_context, request
from markupsafe import Markup

from catalog_app.templating import current_locale

_panels: TTLCache = TTLCache(maxsize=4096, ttl=300)
_lock = threading.Lock()

# A card shows the listing, its organization (name, verification, city) and scenario tags.
# Every change to either row moves its `updated_at` (publishing and moderation set it
# explicitly), so the key below changes with them; the TTL bounds how long a renamed
# taxonomy term can linger. About 1.5 KB a card.
_cards: TTLCache = TTLCache(maxsize=10_000, ttl=600)
_cards_lock = threading.Lock()


@dataclass(frozen=True)
class RenderedCard:
    """A page item whose card was found in the cache: the row itself was never loaded."""

    id: int
    html: Markup


def card_key(listing_id: int, updated_at, organization_id: int, organization_updated_at) -> tuple:
    # Outside a request (services called from the CLI or tests) no card was rendered, so the
    # key matches nothing and the rows are loaded.
    where = (current_locale(), request.script_root) if has_request_context() else None
    return (listing_id, updated_at, organization_id, organization_updated_at, where,
            id(current_app._get_current_object()))


def cached_card(key: tuple) -> Markup | None:
    with _cards_lock:
        return _cards.get(key)


def listing_card(listing) -> Markup:
    """The listing's card (templates/catalog/_card.html), rendered once per version and locale."""
    if isinstance(listing, RenderedCard):
        return listing.html
    organization = listing.organization
    key = card_key(listing.id, listing.updated_at, organization.id, organization.updated_at)
    cached = cached_card(key)
    if cached is None:
        cached = Markup(current_app.jinja_env.get_template("catalog/_card.html").render(listing=listing))
        with _cards_lock:
            _cards[key] = cached
    return cached


def facet_panel(page, titles: dict) -> Markup:
    render = get_template_attribute("_macros/facets.html", "facet_panel")
    if page.summary_key is None:
        return render(page, titles)
    arguments = tuple(sorted((name, tuple(values)) for name, values in request.args.lists() if name != "page"))
    key = (page.summary_key, current_locale(), request.endpoint, tuple(sorted((request.view_args or {}).items())),
           arguments)
    with _lock:
        cached = _panels.get(key)
    if cached is None:
        cached = Markup(render(page, titles))
        with _lock:
            _panels[key] = cached
    return cached
