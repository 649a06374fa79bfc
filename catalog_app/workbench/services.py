"""The workbench (工作台): what each role has to do next, on the page people land on after login.

An orchestration page: it reads the features' own services (demands, proposals,
recommendations, moderation, the outbox) and adds only the few summary queries no feature
has. Every panel is a constant number of statements whatever the number of rows (grouped
counts and eager loads, never a query per row); tests/workbench checks it.

Enquiries come from `enquiries.services.inbox_summary` (counts plus the newest threads, one
fixed set of statements): the enterprise sees the ones it sent, the supplier the ones it
received, through the partials `templates/enquiries/_workbench_sent.html` /
`_workbench_received.html`. Listing page views come from `catalog_app.listing_views` (one
grouped query over the daily counts the listing pages' view beacon keeps).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from catalog_app.enquiries.services import inbox_summary
from catalog_app.listing_views import ViewCounts, view_counts
from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    Demand,
    DemandStatus,
    Listing,
    Match,
    MatchStatus,
    OutboxMessage,
    OutboxStatus,
    Proposal,
    ProposalStatus,
    User,
    UserRole,
)
from catalog_app.moderation.services import queue_counts
from catalog_app.notifications.outbox import status_counts
from catalog_app.recommendations.services import recommend_demands, recommended_suppliers

PANEL_SIZE = 6
# Proposals the enterprise still has to answer: neither shortlisted, declined nor agreed.
PROPOSALS_TO_REVIEW = (ProposalStatus.SUBMITTED,)
OPEN_DEMANDS = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS)


@dataclass
class DemandRow:
    demand: Demand
    proposals: int = 0        # proposals received, withdrawn ones excluded
    to_review: int = 0        # of which still waiting for an answer


@dataclass
class EnterpriseWorkbench:
    demands: list[DemandRow]
    demand_counts: dict[str, int]      # by status value
    proposals_to_review: list[Proposal]
    proposals_to_review_total: int
    recommended_suppliers: list        # (Recommendation, Demand) pairs, best first
    enquiries_sent: object | None = None  # enquiries.services.InboxSummary


@dataclass
class ListingRow:
    listing: Listing
    matched_demands: int = 0   # open demands it is recommended for (stored matches)
    opened: int = 0            # of which the enterprise opened it from a recommendation
    views: ViewCounts = field(default_factory=ViewCounts)  # page views: last 30 days and total


@dataclass
class SupplierWorkbench:
    leads: list                         # Recommendation objects (demands), best first
    listings: list[ListingRow]
    listing_counts: dict[str, int]     # by status value
    open_proposals: int
    enquiries_received: object | None = None  # enquiries.services.InboxSummary


@dataclass
class ModeratorWorkbench:
    queue_counts: dict[str, int]


@dataclass
class AdminWorkbench:
    queue_counts: dict[str, int]
    outbox_counts: dict[str, int]
    failed_messages: list[OutboxMessage]
    user_counts: dict[str, int]        # active accounts by role value
    newest_users: list[User]
    recent_audit: list[AuditEntry] = field(default_factory=list)


# ---------------------------------------------------------------- enterprise

def enterprise_workbench(user: User) -> EnterpriseWorkbench:
    organization_id = user.organization_id
    demands = db.session.scalars(
        sa.select(Demand).where(Demand.organization_id == organization_id)
        .order_by(Demand.updated_at.desc(), Demand.id.desc()).limit(PANEL_SIZE)).all()
    rows = {demand.id: DemandRow(demand) for demand in demands}
    if rows:
        counts = db.session.execute(
            sa.select(Proposal.demand_id, Proposal.status, sa.func.count())
            .where(Proposal.demand_id.in_(rows), Proposal.status != ProposalStatus.WITHDRAWN)
            .group_by(Proposal.demand_id, Proposal.status))
        for demand_id, status, count in counts:
            rows[demand_id].proposals += count
            if status in PROPOSALS_TO_REVIEW:
                rows[demand_id].to_review += count
    demand_counts = {status.value: count for status, count in db.session.execute(
        sa.select(Demand.status, sa.func.count()).where(Demand.organization_id == organization_id)
        .group_by(Demand.status))}
    waiting = (sa.select(Proposal).join(Demand, Demand.id == Proposal.demand_id)
               .where(Demand.organization_id == organization_id, Proposal.status.in_(PROPOSALS_TO_REVIEW)))
    to_review = db.session.scalars(
        waiting.order_by(Proposal.submitted_at.desc(), Proposal.id.desc()).limit(PANEL_SIZE)
        .options(joinedload(Proposal.organization), joinedload(Proposal.demand))).all()
    to_review_total = db.session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery())) or 0
    return EnterpriseWorkbench(
        demands=list(rows.values()), demand_counts=demand_counts, proposals_to_review=list(to_review),
        proposals_to_review_total=to_review_total,
        recommended_suppliers=recommended_suppliers(organization_id, limit=PANEL_SIZE),
        enquiries_sent=inbox_summary(user, newest=PANEL_SIZE))


# ---------------------------------------------------------------- supplier

def supplier_workbench(user: User) -> SupplierWorkbench:
    organization = user.organization
    listings = db.session.scalars(
        sa.select(Listing).where(Listing.organization_id == organization.id)
        .order_by(Listing.updated_at.desc(), Listing.id.desc()).limit(PANEL_SIZE)).all()
    rows = {listing.id: ListingRow(listing) for listing in listings}
    if rows:
        counts = db.session.execute(
            sa.select(Match.listing_id, Match.status, sa.func.count())
            .join(Demand, Demand.id == Match.demand_id)
            .where(Match.listing_id.in_(rows), Match.status != MatchStatus.DISMISSED, Demand.status.in_(OPEN_DEMANDS))
            .group_by(Match.listing_id, Match.status))
        for listing_id, status, count in counts:
            rows[listing_id].matched_demands += count
            if status in (MatchStatus.VIEWED, MatchStatus.CONTACTED):
                rows[listing_id].opened += count
        for listing_id, counts in view_counts(rows).items():
            rows[listing_id].views = counts
    listing_counts = {status.value: count for status, count in db.session.execute(
        sa.select(Listing.status, sa.func.count()).where(Listing.organization_id == organization.id)
        .group_by(Listing.status))}
    open_proposals = db.session.scalar(
        sa.select(sa.func.count()).select_from(Proposal)
        .where(Proposal.organization_id == organization.id,
               Proposal.status.in_((ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)))) or 0
    return SupplierWorkbench(leads=recommend_demands(organization, top=PANEL_SIZE), listings=list(rows.values()),
                             listing_counts=listing_counts, open_proposals=open_proposals,
                             enquiries_received=inbox_summary(user, newest=PANEL_SIZE))


# ---------------------------------------------------------------- staff

def moderator_workbench() -> ModeratorWorkbench:
    return ModeratorWorkbench(queue_counts=queue_counts())


def admin_workbench() -> AdminWorkbench:
    failed = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(PANEL_SIZE)).all()
    user_counts = {role.value: count for role, count in db.session.execute(
        sa.select(User.role, sa.func.count()).where(User.is_active.is_(True)).group_by(User.role))}
    newest = db.session.scalars(
        sa.select(User).order_by(User.created_at.desc(), User.id.desc()).limit(PANEL_SIZE)
        .options(joinedload(User.organization))).all()
    audit = db.session.scalars(
        sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(8)
        .options(joinedload(AuditEntry.actor))).all()
    return AdminWorkbench(queue_counts=queue_counts(), outbox_counts=status_counts(), failed_messages=list(failed),
                          user_counts=user_counts, newest_users=list(newest), recent_audit=list(audit))


def workbench_for(user: User):
    """The role's workbench and its template name; None when the account has no organization yet."""
    if user.role is UserRole.ADMIN:
        return "admin", admin_workbench()
    if user.role is UserRole.MODERATOR:
        return "moderator", moderator_workbench()
    if user.role is UserRole.EXPERT:
        return "expert", None  # the template lists the events through expert_events() (challenges)
    if user.organization_id is None:
        return "no_organization", None
    if user.role is UserRole.ENTERPRISE:
        return "enterprise", enterprise_workbench(user)
    return "supplier", supplier_workbench(user)
