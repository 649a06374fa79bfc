"""Daily and weekly digests: items routed to a user's digest, sent once in one email.

Items are `DigestEntry` rows, added when the event happens (`add_to_digest`) or when the
digest run collects them (new results of saved searches). Never repeated: an item's
`item_key` is unique per user, and a sent entry keeps `sent_at`/`digest_key`. The email's
idempotency key is `digest:{user_id}:{period}:{date}`; if a run finds that key already
queued (a rerun the same day), it leaves the remaining entries for the next digest instead
of marking them sent in an email that does not contain them.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from catalog_app.email_queue import send_email
from catalog_app.extensions import db
from catalog_app.i18n import locale_of
from catalog_app.models import Demand, DigestEntry, Frequency, Listing, MatchStatus, OutboxMessage, User
from catalog_app.models._types import utcnow
from catalog_app.notifications.links import external_url, unsubscribe_headers
from catalog_app.notifications.match_items import footer_links, match_item
from catalog_app.notifications.preferences import DEMAND_MATCHES, frequencies
from catalog_app.notifications.saved_searches import describe_search
from catalog_app.public_urls import SECTION_BY_KIND
from catalog_app.visibility import open_demand_condition, visible_listing_condition

log = logging.getLogger(__name__)

SKIPPED = "skipped"  # digest_key of entries dropped because the item went away or the kind was switched off
MAX_ITEMS_PER_DIGEST = 60


def match_item_key(match_id: int) -> str:
    return f"match:{match_id}"


def add_to_digest(user: User, kind: str, item_key: str, *, match_id: int | None = None,
                  listing_id: int | None = None, saved_search_id: int | None = None) -> int:
    """Put an item in the user's next digest; 0 when it was already there (or already sent)."""
    exists = db.session.scalar(sa.select(DigestEntry.id).where(
        DigestEntry.user_id == user.id, DigestEntry.item_key == item_key))
    if exists:
        return 0
    db.session.add(DigestEntry(user_id=user.id, kind=kind, item_key=item_key, match_id=match_id,
                               listing_id=listing_id, saved_search_id=saved_search_id))
    db.session.flush()
    return 1


@dataclass
class DigestReport:
    period: str
    emails: int = 0
    items: int = 0
    deferred_users: int = 0


def digest_key(user_id: int, period: Frequency, day: date) -> str:
    return f"digest:{user_id}:{period.value}:{day.isoformat()}"


def send_pending_digests(period: Frequency, day: date) -> DigestReport:
    """Send every user with pending items of this period their digest.

    The items are already queued (saved-search results are collected first by
    `publishing.digests.send_digests`). Commits once per user, so one user's failure
    (logged) does not hold back the others.
    """
    report = DigestReport(period=period.value)
    user_ids = db.session.scalars(sa.select(DigestEntry.user_id).distinct()
                                  .where(DigestEntry.sent_at.is_(None)).order_by(DigestEntry.user_id)).all()
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        try:
            sent = _send_one_digest(user, period, day, frequencies(user), report)
            db.session.commit()
        except Exception:  # noqa: BLE001 - one user's problem must not stop the run
            db.session.rollback()
            log.exception("digest for user %s failed", user_id)
            continue
        report.emails += sent
    return report


def _wanted(kind_frequency: Frequency, period: Frequency) -> bool:
    # A kind switched to "immediately" after items were queued: send those in the daily digest.
    return kind_frequency is period or (kind_frequency is Frequency.IMMEDIATE and period is Frequency.DAILY)


def _send_one_digest(user: User, period: Frequency, day: date, frequency_by_kind: dict, report: DigestReport) -> int:
    entries = db.session.scalars(sa.select(DigestEntry).where(
        DigestEntry.user_id == user.id, DigestEntry.sent_at.is_(None)).order_by(DigestEntry.id)).all()
    now = utcnow()
    live = []
    for entry in entries:
        frequency = frequency_by_kind.get(entry.kind, Frequency.OFF)
        if not user.is_active or frequency is Frequency.OFF or not _still_relevant(entry):
            entry.sent_at, entry.digest_key = now, SKIPPED
        elif _wanted(frequency, period):
            live.append(entry)
    live = live[:MAX_ITEMS_PER_DIGEST]  # the rest waits for the next digest
    if not live:
        return 0
    key = digest_key(user.id, period, day)
    if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
        report.deferred_users += 1  # already sent today: these go into the next one
        return 0
    locale = locale_of(user)
    context = digest_context(user, live, locale)
    with force_locale(locale):
        subject = str(_l("Your daily digest: %(count)d new items", count=len(live)) if period is Frequency.DAILY
                      else _l("Your weekly digest: %(count)d new items", count=len(live)))
    send_email(user.email, subject, "digest_email", locale, idempotency_key=key,
               mail_headers=unsubscribe_headers(user.id, "digest"), period=period.value, **context)
    for entry in live:
        entry.sent_at, entry.digest_key = now, key
    report.items += len(live)
    return 1


def _still_relevant(entry: DigestEntry) -> bool:
    if entry.match is not None:
        match = entry.match
        if match.status is MatchStatus.DISMISSED:
            return False
        demand_open = db.session.scalar(sa.select(Demand.id).where(Demand.id == match.demand_id, open_demand_condition()))
        listing_visible = db.session.scalar(sa.select(Listing.id).where(Listing.id == match.listing_id,
                                                                        visible_listing_condition()))
        return bool(demand_open and listing_visible)
    if entry.listing_id is not None:
        return bool(db.session.scalar(sa.select(Listing.id).where(Listing.id == entry.listing_id,
                                                                  visible_listing_condition())))
    return False


def digest_context(user: User, entries: list[DigestEntry], locale: str) -> dict:
    """Plain values for the digest template: matches grouped by demand, results by saved search."""
    demand_groups: OrderedDict = OrderedDict()
    strong_groups: OrderedDict = OrderedDict()
    search_groups: OrderedDict = OrderedDict()
    for entry in entries:
        if entry.match is not None:
            for_supplier = entry.kind == DEMAND_MATCHES
            groups = demand_groups if for_supplier else strong_groups
            match = entry.match
            heading = match.demand.title
            group = groups.setdefault(match.demand_id, {
                "heading": heading,
                "subheading": match.demand.organization.name if for_supplier else "",
                "items": []})
            group["items"].append(match_item(match, user, locale, for_supplier=for_supplier))
        elif entry.listing is not None and entry.saved_search is not None:
            search = entry.saved_search
            group = search_groups.setdefault(search.id, {"heading": describe_search(search, locale), "items": []})
            listing = entry.listing
            group["items"].append({
                "title": listing.title, "organization_name": listing.organization.name,
                "summary": listing.summary,
                "url": external_url("catalog.listing", section=SECTION_BY_KIND[listing.kind], listing_id=listing.id)})
    return {"name": user.display_name or user.email, "demand_groups": list(demand_groups.values()),
            "strong_groups": list(strong_groups.values()), "search_groups": list(search_groups.values()),
            **footer_links(user, "digest")}
