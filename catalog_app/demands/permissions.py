"""Who may do what with an enterprise's demands and their attachments.

Named functions, checked first by every service and asked again by templates before they
show a button. A demand belongs to an organization, not to a person: any enterprise member
of that organization may manage it. Suppliers never create demands.

Approved suppliers: who was let into a summary-only demand's non-public material is the
shared confidentiality rule in `catalog_app.visibility` (the enterprise approved the
supplier organization and it accepted the terms); the proposals feature records those
decisions, and this module only asks the rule.
"""
from __future__ import annotations

from catalog_app.accounts.permissions import is_enterprise_member, is_staff
from catalog_app.models import Demand, DemandStatus
from catalog_app.models.demands import DemandAttachment
from catalog_app.moderation.files import is_file_approved
from catalog_app.visibility import is_approved_supplier

EDITABLE = (DemandStatus.DRAFT, DemandStatus.REJECTED, DemandStatus.PENDING_REVIEW, DemandStatus.PUBLISHED)
SUBMITTABLE = (DemandStatus.DRAFT, DemandStatus.REJECTED)
WITHDRAWABLE = (DemandStatus.PENDING_REVIEW, DemandStatus.PUBLISHED)
# Closing or marking solved ends a demand that suppliers could see.
FINISHABLE = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS)

def can_create_demand(user) -> bool:
    """Enterprise members of an organization; suppliers, staff and visitors are not."""
    return is_enterprise_member(user)


def owns_demand(user, demand: Demand) -> bool:
    return is_enterprise_member(user) and demand.organization_id == user.organization_id


def can_edit_demand(user, demand: Demand) -> bool:
    """Not once suppliers are in talks, nor after it ended: proposals answer the text they read."""
    return owns_demand(user, demand) and demand.status in EDITABLE


def can_submit_demand(user, demand: Demand) -> bool:
    return owns_demand(user, demand) and demand.status in SUBMITTABLE


def can_withdraw_demand(user, demand: Demand) -> bool:
    return owns_demand(user, demand) and demand.status in WITHDRAWABLE


def can_close_demand(user, demand: Demand) -> bool:
    return owns_demand(user, demand) and demand.status in FINISHABLE


def can_mark_demand_solved(user, demand: Demand) -> bool:
    return owns_demand(user, demand) and demand.status in FINISHABLE


def can_view_attachment(user, attachment: DemandAttachment, is_approved: bool | None = None) -> bool:
    """Owner organization and moderators always; for a public demand and a file a moderator
    approved, everyone when the file is marked public, otherwise the approved suppliers. A
    demand that is not public, or a file still waiting for review, shows to nobody else.

    :param is_approved: the file's review state when the caller looked it up for many files.
    """
    demand = attachment.demand
    if owns_demand(user, demand) or is_staff(user):
        return True
    if not demand.is_public:
        return False
    if not (is_file_approved(attachment) if is_approved is None else is_approved):
        return False
    return attachment.is_public or is_approved_supplier(user, demand)
