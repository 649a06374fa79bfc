"""Who may do what with proposals and with a demand's confidential details.

Named functions, checked first by every service and asked again by templates before
they show a button. Two sides only: the demand's enterprise (members of the demand's
organization with the enterprise role) and the proposal's supplier (members of the
proposal's organization with the supplier role). Staff get no special access here: a
proposal and its thread are the two parties' business.
"""
from __future__ import annotations

from catalog_app.accounts.permissions import is_enterprise_member, is_supplier_member
from catalog_app.models import (
    AccessStatus,
    Confidentiality,
    ConfidentialAccess,
    Demand,
    DemandStatus,
    Proposal,
    ProposalStatus,
)
from catalog_app.visibility import access_unlocks

# Demands that still take answers; a solved or closed demand takes none.
ANSWERABLE_DEMAND_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS)
EDITABLE = (ProposalStatus.SUBMITTED,)
WITHDRAWABLE = (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)
DECLINABLE = (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)
OPEN_THREAD = (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED, ProposalStatus.AGREED)


def is_demand_enterprise(user, demand: Demand) -> bool:
    """A member of the organization that posted the demand."""
    return is_enterprise_member(user) and user.organization_id == demand.organization_id


def is_proposal_supplier(user, proposal: Proposal) -> bool:
    return is_supplier_member(user) and user.organization_id == proposal.organization_id


def can_answer_demand(user, demand: Demand) -> bool:
    """Supplier members answer demands that are open or in talks."""
    return is_supplier_member(user) and demand.status in ANSWERABLE_DEMAND_STATUSES


def can_list_proposals(user, demand: Demand) -> bool:
    return is_demand_enterprise(user, demand)


def can_view_proposal(user, proposal: Proposal) -> bool:
    """The supplier always; the enterprise unless the supplier withdrew it."""
    if is_proposal_supplier(user, proposal):
        return True
    return is_demand_enterprise(user, proposal.demand) and proposal.status is not ProposalStatus.WITHDRAWN


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Until the enterprise shortlists it, and only while the demand takes answers."""
    return (is_proposal_supplier(user, proposal) and proposal.status in EDITABLE
            and proposal.demand.status in ANSWERABLE_DEMAND_STATUSES)


def can_withdraw_proposal(user, proposal: Proposal) -> bool:
    return is_proposal_supplier(user, proposal) and proposal.status in WITHDRAWABLE


def can_post_message(user, proposal: Proposal) -> bool:
    if proposal.status not in OPEN_THREAD:
        return False
    return is_proposal_supplier(user, proposal) or is_demand_enterprise(user, proposal.demand)


def can_shortlist_proposal(user, proposal: Proposal) -> bool:
    return (is_demand_enterprise(user, proposal.demand) and proposal.status is ProposalStatus.SUBMITTED
            and proposal.demand.status in ANSWERABLE_DEMAND_STATUSES)


def can_decline_proposal(user, proposal: Proposal) -> bool:
    return is_demand_enterprise(user, proposal.demand) and proposal.status in DECLINABLE


def can_record_agreement(user, proposal: Proposal) -> bool:
    return (is_demand_enterprise(user, proposal.demand) and proposal.status is ProposalStatus.SHORTLISTED
            and proposal.demand.status in ANSWERABLE_DEMAND_STATUSES)


def can_download_attachment(user, proposal: Proposal) -> bool:
    """Attachments go to the demand's enterprise and the supplier, nobody else."""
    return can_view_proposal(user, proposal)


# ---------------------------------------------------------------- confidential details

def has_confidential_details(demand: Demand) -> bool:
    return demand.confidentiality is Confidentiality.SUMMARY_ONLY


def can_request_access(user, demand: Demand, access: ConfidentialAccess | None) -> bool:
    """A supplier asks once per organization; a declined organization may not ask again."""
    return (has_confidential_details(demand) and is_supplier_member(user)
            and demand.status in ANSWERABLE_DEMAND_STATUSES and access is None)


def can_decide_access(user, access: ConfidentialAccess) -> bool:
    return is_demand_enterprise(user, access.demand) and access.terms_accepted_at is None


def can_accept_terms(user, access: ConfidentialAccess | None) -> bool:
    return (access is not None and is_supplier_member(user) and user.organization_id == access.organization_id
            and access.status is AccessStatus.APPROVED and access.terms_accepted_at is None)


def can_read_confidential(user, demand: Demand, access: ConfidentialAccess | None) -> bool:
    """The demand's enterprise, or a member of a supplier organization that was approved and
    accepted the terms (`catalog_app.visibility.access_unlocks`). Everyone else reads the
    summary only."""
    if not has_confidential_details(demand):
        return False
    if is_demand_enterprise(user, demand):
        return True
    return access_unlocks(user, demand, access)


def can_see_access_log(user, demand: Demand) -> bool:
    return has_confidential_details(demand) and is_demand_enterprise(user, demand)

