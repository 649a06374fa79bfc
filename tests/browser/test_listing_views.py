"""A listing page served from the page cache still counts its view: the beacon posts the CSRF
token the page was filled with for this visitor, in a real browser with CSRF on."""
from __future__ import annotations

import time

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.listing_views import view_counts
from catalog_app.models import Listing, ListingKind, ListingStatus
from catalog_app.public_urls import SECTION_BY_KIND
from catalog_app.read_cache import read_cache


def _views(app, listing_id: int) -> int:
    with app.app_context():
        counts = view_counts([listing_id]).get(listing_id)
        db.session.remove()
        return counts.total if counts else 0


def _wait_for_views(app, listing_id: int, expected: int, seconds: float = 10.0) -> int:
    deadline = time.monotonic() + seconds
    while (views := _views(app, listing_id)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return views


def test_two_visitors_of_a_cached_page_are_both_counted(people, live_app):
    with live_app.app_context():
        listing_id = db.session.scalar(
            sa.select(Listing.id).where(Listing.status == ListingStatus.PUBLISHED, Listing.kind == ListingKind.CASE)
            .order_by(Listing.id.desc()))
        pages = read_cache()._shelves["pages"]
        db.session.remove()
    path = f"/{SECTION_BY_KIND[ListingKind.CASE]}/{listing_id}"
    before = _views(live_app, listing_id)

    first = people.person()
    first.goto(people.base + path)
    assert _wait_for_views(live_app, listing_id, before + 1) == before + 1
    assert any(key[2].rstrip("?") == path for key in pages.keys())  # the page is now stored

    second = people.person()  # another browser, another session: served from the cache
    second.goto(people.base + path)
    tokens = [page.locator("#listing-view input[name=csrf_token]").get_attribute("value") for page in (first, second)]
    assert tokens[0] != tokens[1]
    assert _wait_for_views(live_app, listing_id, before + 2) == before + 2
    people.shot(second, "cached-listing-page")
