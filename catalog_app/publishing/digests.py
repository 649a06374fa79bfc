"""Digests: collect the new results of saved searches, then send each user's pending items.

Orchestration: the saved searches (notifications) are re-run through the catalog's search
(catalog), and their new results join the digest items that matches queued earlier;
`notifications.digests` then renders and queues one e-mail per user.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from catalog_app.browsing.params import BrowseParams, parse_browse_params
from catalog_app.catalog.services import KIND_BY_SECTION, search_listings
from catalog_app.extensions import db
from catalog_app.models import Frequency, NotificationPreference, SavedSearch
from catalog_app.models._types import utcnow
from catalog_app.notifications.digests import DigestReport, add_to_digest, send_pending_digests
from catalog_app.notifications.preferences import KINDS, SAVED_SEARCHES
from catalog_app.notifications.saved_searches import RESULTS_PER_RUN, parse_query


def send_digests(period: Frequency, day: date | None = None) -> DigestReport:
    """Collect saved-search results, then send every user with pending items of this period.

    Commits the collected items first, then once per user (see `send_pending_digests`).
    """
    if period not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValueError("period is daily or weekly")
    day = day or utcnow().date()
    collect_new_results(period)
    db.session.commit()
    return send_pending_digests(period, day)


def collect_new_results(period: Frequency) -> int:
    """Add results published since each saved search's watermark to its owner's digest.

    Only searches whose owner gets saved-search results in `period` are run; the others
    keep their watermark and catch up when their own period comes. Flushes; the caller commits.
    """
    default = KINDS[SAVED_SEARCHES].default
    chosen = dict(db.session.execute(sa.select(NotificationPreference.user_id, NotificationPreference.frequency)
                                     .where(NotificationPreference.kind == SAVED_SEARCHES)).all())
    started = utcnow()
    added = 0
    for search in db.session.scalars(sa.select(SavedSearch).order_by(SavedSearch.id)).all():
        if chosen.get(search.user_id, default) is not period:
            continue
        args = MultiDict(parse_query(search.query_string))
        try:  # re-validated: the taxonomy may have changed since the search was saved
            parsed = parse_browse_params(args)
            params = BrowseParams(q=parsed.q, facets=parsed.facets, sort="newest", page=1, per_page=RESULTS_PER_RUN)
            page = search_listings(KIND_BY_SECTION[search.section], params, with_facets=False)
        except Exception:  # noqa: BLE001 - a stale filter (unknown facet value) skips this search
            search.checked_until = started
            continue
        for listing in page.items:
            if listing.published_at and listing.published_at > search.checked_until:
                added += add_to_digest(search.user, SAVED_SEARCHES, f"search:{search.id}:listing:{listing.id}",
                                       listing_id=listing.id, saved_search_id=search.id)
        search.checked_until = started
    db.session.flush()
    return added
