"""Listing page views: who counts, the daily upsert, and the figures suppliers see (shared floor).

A listing page GET never writes (tests/security/test_access_matrix.py), so the page posts a
beacon once shown (static/js/listing-views.js → catalog.count_view) and the count happens
on that POST. Browsers without JavaScript and most bots never post it, which is the point.

A view counts at most once per visitor session, listing and day: the session keeps the day
and the ids already counted (no personal data, and nothing in the database about who looked).
The owner's own members and staff are never counted. Both the catalog (the beacon) and the
supplier's pages (workbench, My listings) use this module, so it sits on the floor.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from catalog_app.extensions import db
from catalog_app.models import Listing, ListingViewDay, User, UserRole

RECENT_DAYS = 30
SESSION_KEY = "listing_views"
# A session that opens more listings than this in one day is a crawler, not a reader: the
# cap also keeps the session cookie small.
MAX_SEEN_PER_DAY = 300


@dataclass(frozen=True)
class ViewCounts:
    recent: int = 0   # the last RECENT_DAYS days, today included
    total: int = 0


def today() -> date:
    """The current day where the site's people live (BABEL_DEFAULT_TIMEZONE), not in UTC."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def counts_for(user: User | None, listing: Listing) -> bool:
    """Whether a view by `user` (None or anonymous: a visitor) is a view of the audience."""
    if user is None or not getattr(user, "is_authenticated", False):
        return True
    if user.role in (UserRole.MODERATOR, UserRole.ADMIN):
        return False
    return user.organization_id is None or user.organization_id != listing.organization_id


def first_view_today(session, listing_id: int, day: date) -> bool:
    """Remember `listing_id` in the session for `day`; False when it was already counted.

    Also False once the session has seen MAX_SEEN_PER_DAY listings that day.
    """
    stored = session.get(SESSION_KEY)
    seen: list[int] = []
    if isinstance(stored, dict) and stored.get("day") == day.isoformat() and isinstance(stored.get("ids"), list):
        seen = [value for value in stored["ids"] if isinstance(value, int)]
    if listing_id in seen or len(seen) >= MAX_SEEN_PER_DAY:
        return False
    session[SESSION_KEY] = {"day": day.isoformat(), "ids": [*seen, listing_id]}
    return True


def record_view(listing_id: int, day: date) -> None:
    """Add one view to (listing, day) in a single upsert, so concurrent views never lose a count."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    statement = insert(ListingViewDay).values(listing_id=listing_id, day=day, views=1)
    statement = statement.on_conflict_do_update(
        index_elements=[ListingViewDay.listing_id, ListingViewDay.day],
        set_={"views": ListingViewDay.views + 1},
    )
    db.session.execute(statement)


def view_counts(listing_ids, day: date | None = None) -> dict[int, ViewCounts]:
    """Recent and total views of each listing, in one grouped query; listings never viewed are absent."""
    ids = list(listing_ids)
    if not ids:
        return {}
    since = (day or today()) - timedelta(days=RECENT_DAYS - 1)
    rows = db.session.execute(
        sa.select(
            ListingViewDay.listing_id,
            sa.func.sum(sa.case((ListingViewDay.day >= since, ListingViewDay.views), else_=0)),
            sa.func.sum(ListingViewDay.views),
        )
        .where(ListingViewDay.listing_id.in_(ids))
        .group_by(ListingViewDay.listing_id))
    return {listing_id: ViewCounts(recent=int(recent or 0), total=int(total or 0))
            for listing_id, recent, total in rows}
