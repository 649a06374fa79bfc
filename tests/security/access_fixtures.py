"""Objects and URLs for the access matrix: one of each kind of thing a route can point at."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from catalog_app.extensions import db
from catalog_app.models import (
    DemandStatus,
    Event,
    EventDemand,
    EventKind,
    EventRegistration,
    EventSide,
    EventStatus,
    ListingKind,
    ListingStatus,
    Meeting,
    MeetingSlot,
    OrganizationKind,
    Pitch,
    RegistrationStatus,
    RoundEntryStatus,
    UserRole,
)
from catalog_app.models._types import utcnow
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
    event = _event_family(users, listing, demand)
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
        "report_id": 999999,
        # The event family: the enterprise and the supplier registered and approved, a meeting
        # the enterprise asked of the supplier, the enterprise's demand in the round with the
        # supplier's pitch (ids below are real; routes keyed by them must check who asks).
        "event_slug": event.slug, "meeting_id": event.meeting_id, "registration_id": event.registration_id,
        "entry_id": event.entry_id, "pitch_id": event.pitch_id,
    }
    return World(users=users, values=values)


@dataclass
class _EventIds:
    slug: str
    meeting_id: int
    registration_id: int
    entry_id: int
    pitch_id: int


def _event_family(users: dict, listing, demand) -> _EventIds:
    """A published challenge event tomorrow with meeting slots (one event serves the events,
    meetings and challenges routes)."""
    start = (utcnow() + timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = Event(slug="foshan-round", title="佛山揭榜对接会", kind=EventKind.CHALLENGE, status=EventStatus.PUBLISHED,
                  criteria="技术可行性 | 50\n应用价值 | 50", starts_at=start, ends_at=start + timedelta(hours=8),
                  registration_opens_at=start - timedelta(days=10), registration_closes_at=start - timedelta(hours=1),
                  meeting_tables=2, created_by_id=users["admin"].id)
    slot = MeetingSlot(starts_at=start, ends_at=start + timedelta(minutes=20))
    event.slots.append(slot)
    enterprise, supplier = users["enterprise"], users["supplier"]
    asking = EventRegistration(event=event, organization_id=enterprise.organization_id, attendee=enterprise,
                               side=EventSide.ENTERPRISE, status=RegistrationStatus.APPROVED)
    asked = EventRegistration(event=event, organization_id=supplier.organization_id, attendee=supplier,
                              side=EventSide.SUPPLIER, status=RegistrationStatus.APPROVED, listings=[listing])
    entry = EventDemand(event=event, demand_id=demand.id, entered_by_id=enterprise.id,
                        status=RoundEntryStatus.SHORTLISTED, position=1)
    db.session.add_all([event, asking, asked, entry])
    db.session.flush()
    meeting = Meeting(event_id=event.id, slot_id=slot.id, requester_id=asking.id, invitee_id=asked.id,
                      demand_id=demand.id, listing_id=listing.id)
    pitch = Pitch(entry_id=entry.id, organization_id=supplier.organization_id, position=1)
    db.session.add_all([meeting, pitch])
    db.session.flush()
    return _EventIds(event.slug, meeting.id, asked.id, entry.id, pitch.id)


# Blueprints whose <slug> is an event's, not a scenario's.
_EVENT_BLUEPRINTS = ("events", "meetings", "challenges", "api_events", "api_agenda")


def url_for_rule(rule, values: dict) -> str:
    """The rule's path with every variable filled from `values`."""
    if rule.endpoint.split(".")[0] in _EVENT_BLUEPRINTS:
        values = {**values, "slug": values["event_slug"]}
    return _VARIABLE.sub(lambda match: str(values[match.group(1)]), rule.rule)
