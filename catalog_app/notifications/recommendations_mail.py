"""Recommendation e-mails: a published demand to the suppliers whose listings answer it, and new
strong matches to the enterprise that posted a demand.

This module renders and queues only. Which matches exist and which qualify for an e-mail is
decided in `catalog_app.recommendations.matches`; the publishing layer
(`catalog_app.publishing`) refreshes them and hands the qualifying ones here. The e-mail's
bar and percentage show the confidence (`round(confidence * 100)`).

Idempotency: one email per supplier member per demand, ever
(`demand-published:{demand_id}:{user_id}`), and one per enterprise member per strong match
(`strong-match:{match_id}:{user_id}`); digest items are unique per user and match. So a
second approval (an edited demand) or a rerun of the scan queues nothing new for old pairs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from catalog_app.email_queue import send_email
from catalog_app.extensions import db
from catalog_app.i18n import locale_of
from catalog_app.models import Demand, DigestEntry, Frequency, Match, OutboxMessage, User
from catalog_app.notifications.digests import add_to_digest, match_item_key
from catalog_app.notifications.links import open_url, unsubscribe_headers
from catalog_app.notifications.match_items import footer_links, match_item
from catalog_app.notifications.members import active_members
from catalog_app.notifications.preferences import DEMAND_MATCHES, STRONG_MATCHES, frequency_for

LISTINGS_PER_EMAIL = 3


@dataclass
class QueueReport:
    emails: int = 0
    digest_items: int = 0
    skipped_off: int = 0
    recipients: set[int] = field(default_factory=set)


# ---------------------------------------------------------------- demand published → suppliers

def queue_demand_mail(demand: Demand, matches: list[Match], report: QueueReport | None = None) -> QueueReport:
    """Queue one e-mail (or digest items) per member of each supplier with a qualifying match.

    :param matches: the demand's qualifying matches (`recommendations.matches.qualifying_matches`);
        the demand's own organization and a supplier's weaker listings beyond
        LISTINGS_PER_EMAIL are left out. Never commits.
    """
    report = report if report is not None else QueueReport()
    by_organization: dict[int, list[Match]] = defaultdict(list)
    for match in sorted(matches, key=lambda m: -m.confidence):
        if match.listing.organization_id != demand.organization_id:
            by_organization[match.listing.organization_id].append(match)
    for organization_id, org_matches in by_organization.items():
        for user in active_members(organization_id):
            _route_to_supplier(demand, org_matches[:LISTINGS_PER_EMAIL], user, report)
    return report


def _route_to_supplier(demand: Demand, matches: list[Match], user: User, report: QueueReport) -> None:
    frequency = frequency_for(user, DEMAND_MATCHES)
    if frequency is Frequency.OFF:
        report.skipped_off += 1
        return
    email_key = f"demand-published:{demand.id}:{user.id}"
    if _already_emailed(email_key):  # announced before (an edit approved again): never twice
        return
    if frequency is not Frequency.IMMEDIATE:
        for match in matches:
            report.digest_items += add_to_digest(user, DEMAND_MATCHES, match_item_key(match.id), match_id=match.id)
        return
    locale = locale_of(user)
    with force_locale(locale):
        subject = str(_l("New demand matching your listings: %(title)s", title=demand.title))
    send_email(user.email, subject, "recommendations_demand", locale,
               idempotency_key=email_key,
               mail_headers=unsubscribe_headers(user.id, DEMAND_MATCHES),
               name=user.display_name or user.email, demand_title=demand.title,
               demand_summary=demand.summary, enterprise_name=demand.organization.name,
               deadline=demand.deadline.isoformat() if demand.deadline else "",
               budget_min=demand.budget_min, budget_max=demand.budget_max,
               demand_url=open_url(matches[0].id, user.id, "demand"),
               items=[match_item(m, user, locale, for_supplier=True) for m in matches],
               **footer_links(user, DEMAND_MATCHES))
    report.emails += 1
    report.recipients.add(user.id)


# ---------------------------------------------------------------- new listings → enterprises

def queue_strong_match_mail(demand: Demand, matches: list[Match], report: QueueReport) -> None:
    """Announce `matches` (new, qualifying) to every active member of the demand's enterprise.

    Immediate users get one e-mail per match, digest users digest items. Never commits.
    """
    for user in active_members(demand.organization_id):
        for match in matches:
            _route_strong_match(match, user, report)


def _route_strong_match(match: Match, user: User, report: QueueReport) -> None:
    frequency = frequency_for(user, STRONG_MATCHES)
    if frequency is Frequency.OFF:
        report.skipped_off += 1
        return
    item_key, email_key = match_item_key(match.id), f"strong-match:{match.id}:{user.id}"
    # One announcement per match and user, whichever way it went first (email or digest).
    if _already_emailed(email_key) or db.session.scalar(sa.select(DigestEntry.id).where(
            DigestEntry.user_id == user.id, DigestEntry.item_key == item_key)):
        return
    if frequency is not Frequency.IMMEDIATE:
        report.digest_items += add_to_digest(user, STRONG_MATCHES, item_key, match_id=match.id)
        return
    locale = locale_of(user)
    with force_locale(locale):
        subject = str(_l("A new listing matches your demand: %(title)s", title=match.demand.title))
    send_email(user.email, subject, "recommendations_strong", locale, idempotency_key=email_key,
               mail_headers=unsubscribe_headers(user.id, STRONG_MATCHES), name=user.display_name or user.email,
               item=match_item(match, user, locale, for_supplier=False), **footer_links(user, STRONG_MATCHES))
    report.emails += 1
    report.recipients.add(user.id)


def _already_emailed(idempotency_key: str) -> bool:
    return db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == idempotency_key)) is not None
