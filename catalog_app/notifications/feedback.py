"""What recipients do with a recommendation: open it, find it interesting, or not relevant.

The links carry signed tokens instead of requiring a login (the point is one click from
the mail client). They are safe to repeat: a verdict is one row per demand, listing and
user (upserted), a dismissed match stays dismissed, and the "interested" email to the other
side has an idempotency key per match and recipient. A token only ever acts for the user
it was made for, and only while that user still belongs to one of the two organizations.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from catalog_app.email_queue import send_email
from catalog_app.extensions import db
from catalog_app.i18n import locale_of
from catalog_app.models import Frequency, Match, MatchFeedback, User, Verdict
from catalog_app.notifications.links import (
    FEEDBACK,
    OPEN,
    InvalidLink,
    external_url,
    read_token,
    unsubscribe_headers,
    unsubscribe_url,
)
from catalog_app.notifications.members import active_members
from catalog_app.notifications.preferences import INTEREST, frequency_for
from catalog_app.public_urls import SECTION_BY_KIND
from catalog_app.recommendations.matches import mark_viewed, record_verdict


@dataclass(frozen=True)
class FeedbackLink:
    match: Match
    user: User
    verdict: Verdict

    @property
    def for_supplier(self) -> bool:
        return self.user.organization_id == self.match.listing.organization_id


def _load(match_id, user_id) -> tuple[Match, User]:
    match = db.session.get(Match, match_id) if isinstance(match_id, int) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if match is None or user is None or not user.is_active:
        raise InvalidLink
    if user.organization_id not in (match.demand.organization_id, match.listing.organization_id):
        raise InvalidLink  # left the organization since the email was sent
    return match, user


def read_feedback_link(token: str) -> FeedbackLink:
    """Validate without changing anything (the confirmation page). Raises InvalidLink."""
    match_id, user_id, verdict = read_token(FEEDBACK, token, 3)
    try:
        verdict = Verdict(verdict)
    except ValueError as error:
        raise InvalidLink from error
    match, user = _load(match_id, user_id)
    return FeedbackLink(match, user, verdict)


def record_feedback(token: str) -> FeedbackLink:
    """Store the verdict and act on it, in one commit. Raises InvalidLink (nothing changed).

    interested → the match becomes `contacted` and the other side is emailed;
    not relevant → the match is dismissed (never recommended again). The state change is
    `recommendations.matches.record_verdict`; this module only reads the link and mails.
    """
    link = read_feedback_link(token)
    record_verdict(link.match, link.user, link.verdict)
    if link.verdict is Verdict.INTERESTED:
        _notify_other_side(link)
    db.session.commit()
    return link


def _notify_other_side(link: FeedbackLink) -> int:
    match, user = link.match, link.user
    interested_org = match.listing.organization if link.for_supplier else match.demand.organization
    other_org_id = match.demand.organization_id if link.for_supplier else match.listing.organization_id
    sent = 0
    for recipient in active_members(other_org_id):
        if frequency_for(recipient, INTEREST) is Frequency.OFF:
            continue
        locale = locale_of(recipient)
        with force_locale(locale):
            subject = str(_l("%(organization)s is interested: %(title)s", organization=interested_org.name,
                             title=match.demand.title))
        send_email(recipient.email, subject, "recommendations_interest", locale,
                   idempotency_key=f"interested:{match.id}:{recipient.id}",
                   mail_headers=unsubscribe_headers(recipient.id, INTEREST),
                   name=recipient.display_name or recipient.email, organization_name=interested_org.name,
                   contact_name=user.display_name or "", contact_email=user.email,
                   demand_title=match.demand.title, listing_title=match.listing.title,
                   from_supplier=link.for_supplier,
                   demand_url=external_url("demands.detail", demand_id=match.demand_id),
                   listing_url=external_url("catalog.listing", section=SECTION_BY_KIND[match.listing.kind],
                                            listing_id=match.listing_id),
                   preferences_url=external_url("notifications.preferences"),
                   unsubscribe_url=unsubscribe_url(recipient.id, INTEREST))
        sent += 1
    return sent


def open_link(token: str) -> str:
    """Mark the match viewed (a suggested match only) and return where the link leads. Raises InvalidLink."""
    match_id, user_id, target = read_token(OPEN, token, 3)
    match, _user = _load(match_id, user_id)
    if mark_viewed(match):
        db.session.commit()
    if target == "listing":
        return external_url("catalog.listing", section=SECTION_BY_KIND[match.listing.kind], listing_id=match.listing_id)
    return external_url("demands.detail", demand_id=match.demand_id)


def export_feedback(path: Path) -> int:
    """Write qrels for the matching bench: `query_id doc_id relevance` (tab-separated, with a header).

    query_id is the demand id and doc_id the listing id, as in the matching indexes.
    Relevance per pair is 1 if anyone found it interesting, else 0. Returns the line count.
    """
    rows = db.session.execute(
        sa.select(MatchFeedback.demand_id, MatchFeedback.listing_id,
                  sa.func.max(sa.case((MatchFeedback.verdict == Verdict.INTERESTED, 1), else_=0)))
        .group_by(MatchFeedback.demand_id, MatchFeedback.listing_id)
        .order_by(MatchFeedback.demand_id, MatchFeedback.listing_id)).all()
    with path.open("w", encoding="utf-8") as out:
        out.write("query_id\tdoc_id\trelevance\n")
        for demand_id, listing_id, relevance in rows:
            out.write(f"{demand_id}\t{listing_id}\t{relevance}\n")
    return len(rows)
