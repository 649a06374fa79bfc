"""Objects and URLs for the access matrix: one of each kind of thing a route can point at."""
from __future__ import annotations

import re
from dataclasses import dataclass

from catalog_app.extensions import db
from catalog_app.models import DemandStatus, ListingKind, ListingStatus, OrganizationKind, UserRole
from catalog_app.models.enquiries import Enquiry
from catalog_app.models.proposals import Proposal

_VARIABLE = re.compile(r"<(?:[^<>]*:)?(\w+)>")

ROLES = ("anonymous", "enterprise", "supplier", "moderator", "admin")


@dataclass
class World:
    users: dict
    values: dict


def build_world(create_user, create_organization, create_listing, create_demand) -> World:
    enterprise = create_user(UserRole.ENTERPRISE, is_org_admin=True)
    supplier = create_user(UserRole.SUPPLIER, is_org_admin=True)
    users = {
        "enterprise": enterprise,
        "supplier": supplier,
        "moderator": create_user(UserRole.MODERATOR, organization=None),
        "admin": create_user(UserRole.ADMIN, organization=None),
    }
    listing = create_listing(ListingKind.SOLUTION, organization=supplier.organization, title="机器视觉缺陷检测方案")
    other = create_organization(kind=OrganizationKind.SUPPLIER)
    create_listing(ListingKind.SOLUTION, organization=other, status=ListingStatus.DRAFT)
    demand = create_demand(organization=enterprise.organization, title="皮具表面瑕疵检测需求",
                           status=DemandStatus.PUBLISHED)
    proposal = Proposal(demand_id=demand.id, organization_id=supplier.organization_id,
                        created_by_id=supplier.id, approach="基于深度学习的视觉检测方案", timeline="三个月")
    db.session.add(proposal)
    enquiry = Enquiry(sender_organization_id=enterprise.organization_id, sender_id=enterprise.id,
                      organization_id=supplier.organization_id, listing_id=listing.id, body="想了解检测方案的报价")
    db.session.add(enquiry)
    db.session.commit()
    values = {
        "section": "solutions", "listing_id": listing.id, "demand_id": demand.id,
        "organization_id": supplier.organization_id, "proposal_id": proposal.id, "enquiry_id": enquiry.id,
        "object_type": "listing", "object_id": listing.id, "action": "withdraw", "decision": "approve",
        "file_format": "csv", "slug": "online-intelligent-inspection", "year": 2026,
        "name": "growth", "filename": "css/app.css", "token": "not-a-valid-token",
        # Ids of things that do not exist: the route must answer 404, never 500.
        "attachment_id": 999999, "media_id": 999999, "access_id": 999999, "token_id": 999999,
        "invitation_id": 999999, "search_id": 999999, "selection_id": 999999, "message_id": 999999,
        "user_id": enterprise.id, "file_type": "demand_file", "file_id": 999999,
        "report_id": 999999, "meeting_id": 999999, "registration_id": 999999,
        "entry_id": 999999, "pitch_id": 999999,
    }
    return World(users=users, values=values)


def url_for_rule(rule, values: dict) -> str:
    """The rule's path with every variable filled from `values`."""
    return _VARIABLE.sub(lambda match: str(values[match.group(1)]), rule.rule)
