"""A recommended pair as an e-mail or a digest shows it: plain values, links signed for the reader."""
from __future__ import annotations

from dataclasses import dataclass

from catalog_app.models import Match, User
from catalog_app.notifications.links import external_url, feedback_url, open_url, unsubscribe_url
from catalog_app.recommendations.confidence import percent_of
from catalog_app.recommendations.services import Reason, explain_reasons


@dataclass(frozen=True)
class MatchItem:
    """One recommended pair as an email shows it: plain values, so previews need no database."""

    match_id: int
    demand_title: str
    listing_title: str
    organization_name: str   # the other side's organization
    percent: int
    explanation: str
    view_url: str
    interested_url: str
    not_relevant_url: str


def explanation_of(match: Match, locale: str) -> str:
    reasons = tuple(Reason(r.get("kind", ""), r.get("label", ""), float(r.get("weight") or 0), facet=r.get("facet"))
                    for r in match.reasons or [])
    return explain_reasons(reasons, locale)


def match_item(match: Match, user: User, locale: str, for_supplier: bool) -> MatchItem:
    """Links are signed for `user`; the view link is tracked and leads to the other side's page."""
    other = match.demand.organization if for_supplier else match.listing.organization
    return MatchItem(
        match_id=match.id, demand_title=match.demand.title, listing_title=match.listing.title,
        organization_name=other.name if other else "", percent=percent_of(match.confidence),
        explanation=explanation_of(match, locale),
        view_url=open_url(match.id, user.id, "demand" if for_supplier else "listing"),
        interested_url=feedback_url(match.id, user.id, "interested"),
        not_relevant_url=feedback_url(match.id, user.id, "not_relevant"),
    )


def footer_links(user: User, kind: str) -> dict[str, str]:
    return {"preferences_url": external_url("notifications.preferences"),
            "unsubscribe_url": unsubscribe_url(user.id, kind)}
