"""What the demand page's proposal panel shows, depending on who is looking.

Built here, not in the demands blueprint, so the demand page needs only one include:
`templates/proposals/_demand_panel.html` calls the template global `proposal_panel(demand)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from catalog_app.accounts.permissions import is_supplier_member
from catalog_app.extensions import db
from catalog_app.models import ConfidentialAccess, Demand, Proposal, ProposalStatus
from catalog_app.proposals import confidentiality, permissions, services


@dataclass
class DemandPanel:
    viewer: str  # "anonymous", "supplier", "enterprise" (the demand's own) or "other"
    demand: Demand
    median_response: timedelta | None
    own_proposal: Proposal | None = None
    can_answer: bool = False
    # The demand still takes proposals (open or in talks), whoever looks.
    takes_proposals: bool = False
    proposal_count: int = 0
    unanswered_count: int = 0
    has_confidential: bool = False
    access: ConfidentialAccess | None = None
    can_request_access: bool = False
    can_accept_terms: bool = False
    can_read_confidential: bool = False
    pending_access_count: int = 0


def _counts(demand: Demand) -> tuple[int, int]:
    live = Proposal.status != ProposalStatus.WITHDRAWN
    unanswered = sa.and_(Proposal.status == ProposalStatus.SUBMITTED, Proposal.first_response_at.is_(None))
    row = db.session.execute(
        sa.select(sa.func.count(Proposal.id), sa.func.count(sa.case((unanswered, Proposal.id))))
        .where(Proposal.demand_id == demand.id, live)).one()
    return int(row[0]), int(row[1])


def demand_panel(user, demand: Demand) -> DemandPanel:
    panel = DemandPanel(viewer="other", demand=demand,
                        median_response=services.median_response_time(demand.organization_id),
                        has_confidential=permissions.has_confidential_details(demand),
                        takes_proposals=demand.status in permissions.ANSWERABLE_DEMAND_STATUSES)
    if not getattr(user, "is_authenticated", False):
        panel.viewer = "anonymous"
    elif permissions.is_demand_enterprise(user, demand):
        panel.viewer = "enterprise"
        panel.proposal_count, panel.unanswered_count = _counts(demand)
        panel.can_read_confidential = panel.has_confidential
        if panel.has_confidential:
            panel.pending_access_count = confidentiality.pending_access_count(demand)
    elif is_supplier_member(user):
        panel.viewer = "supplier"
        panel.own_proposal = services.active_proposal(demand, user.organization_id)
        panel.can_answer = panel.own_proposal is None and permissions.can_answer_demand(user, demand)
        if panel.has_confidential:
            panel.access = confidentiality.access_for(demand, user.organization_id)
            panel.can_request_access = permissions.can_request_access(user, demand, panel.access)
            panel.can_accept_terms = permissions.can_accept_terms(user, panel.access)
            panel.can_read_confidential = permissions.can_read_confidential(user, demand, panel.access)
    return panel
