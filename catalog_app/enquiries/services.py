"""Enquiries: send, read, answer, accept (share contacts), decline; the inbox.

Spam reports live in `reports.py`, the suppliers' reply figures in `figures.py`.

Every use-case checks its permission first, changes rows, queues the other side's email
through the outbox and commits once, so an email exists exactly when its change does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from catalog_app import rate_limits
from catalog_app.enquiries import permissions
from catalog_app.enquiries.emails import notify_members, thread_url
from catalog_app.enquiries.errors import EnquiryError, TooManyEnquiries
from catalog_app.extensions import db
from catalog_app.models import (
    Demand,
    DemandStatus,
    Enquiry,
    EnquiryMessage,
    EnquirySide,
    EnquiryStatus,
    Listing,
    ListingStatus,
    Organization,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.titles import has_visible_text

BODY_MAX = 3000
MESSAGE_MAX = 2000
REASON_MAX = 500
BUDGET_MAX = 10_000_000  # 万元, as for proposals
# The sender's own demands an enquiry may point at: not the closed or refused ones.
LINKABLE_DEMAND_STATUSES = (DemandStatus.DRAFT, DemandStatus.PENDING_REVIEW, DemandStatus.PUBLISHED,
                            DemandStatus.IN_TALKS)
BOXES = ("received", "sent")
# A second identical submission within this window is the same request (a double click, a
# resubmitted form): it returns the first one instead of sending, and e-mailing, it again.
DUPLICATE_WINDOW = timedelta(minutes=10)


@dataclass
class EnquiryInput:
    body: str
    budget: int | None = None
    deadline: date | None = None
    demand_id: int | None = None


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def side_of(user: User, enquiry: Enquiry) -> EnquirySide | None:
    if permissions.is_enquiry_recipient(user, enquiry):
        return EnquirySide.SUPPLIER
    if permissions.is_enquiry_sender(user, enquiry):
        return EnquirySide.ENTERPRISE
    return None


# ---------------------------------------------------------------- targets

def takes_enquiries(organization_id: int) -> bool:
    """An organization takes enquiries once it has a published listing (it is a supplier here)."""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Listing.organization_id == organization_id, Listing.status == ListingStatus.PUBLISHED))))


def listing_target(listing_id: int) -> tuple[Organization, Listing]:
    """The organization behind a published listing, and the listing.

    :raises NotFound: for an unknown or unpublished listing.
    """
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status is not ListingStatus.PUBLISHED:
        raise NotFound()
    return listing.organization, listing


def organization_target(organization_id: int) -> Organization:
    """:raises NotFound: for an unknown organization or one that takes no enquiries."""
    organization = db.session.get(Organization, organization_id)
    if organization is None or not takes_enquiries(organization.id):
        raise NotFound()
    return organization


def demand_choices(user: User) -> list[Demand]:
    """The actor's organization's demands an enquiry may be linked to, newest first."""
    if user.organization_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Demand).where(Demand.organization_id == user.organization_id,
                                Demand.status.in_(LINKABLE_DEMAND_STATUSES))
        .order_by(Demand.created_at.desc(), Demand.id.desc())))


def enquiries_between(user, organization_id: int) -> list[Enquiry]:
    """The actor's organization's enquiries to `organization_id`, newest first (for the listing box)."""
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Enquiry).where(Enquiry.sender_organization_id == user.organization_id,
                                 Enquiry.organization_id == organization_id)
        .order_by(Enquiry.created_at.desc(), Enquiry.id.desc()).limit(3)))


# ---------------------------------------------------------------- sending

def _check_input(data: EnquiryInput, actor: User) -> Demand | None:
    """The rules the form also checks, repeated because services are called without forms."""
    if not has_visible_text(data.body):
        raise EnquiryError(_l("Describe what you need."), "body")
    if len(data.body.strip()) > BODY_MAX:
        raise EnquiryError(_l("At most %(max)d characters.", max=BODY_MAX), "body")
    if data.budget is not None and not 0 <= data.budget <= BUDGET_MAX:
        raise EnquiryError(_l("Enter an amount between 0 and %(max)d.", max=BUDGET_MAX), "budget")
    if data.deadline is not None and data.deadline < utcnow().date():
        raise EnquiryError(_l("The deadline must not be in the past."), "deadline")
    if data.demand_id is None:
        return None
    demand = next((d for d in demand_choices(actor) if d.id == data.demand_id), None)
    if demand is None:
        raise EnquiryError(_l("Only your organization’s open demands can be linked."), "demand_id")
    return demand


def _allow_enquiry(actor: User) -> bool:
    """Every enquiry emails every member of a supplier, so one sender must not flood many."""
    by_sender = rate_limits.allow("ENQUIRY_LIMIT_PER_SENDER", "enquiry-sender", str(actor.id))
    by_organization = rate_limits.allow("ENQUIRY_LIMIT_PER_ORGANIZATION", "enquiry-organization",
                                        str(actor.organization_id))
    return by_sender and by_organization


def send_enquiry(organization: Organization, listing: Listing | None, data: EnquiryInput, actor: User) -> Enquiry:
    """Send an enquiry to `organization` (about `listing`, if given) and email its members.

    :raises Forbidden: when the actor may not enquire (not an enterprise member, own organization).
    :raises EnquiryError: for bad input; TooManyEnquiries past the sender's rate limit.
    """
    _require(permissions.can_send_enquiry(actor, organization))
    if listing is not None and listing.organization_id != organization.id:
        raise Forbidden()
    demand = _check_input(data, actor)
    duplicate = db.session.scalar(sa.select(Enquiry).where(
        Enquiry.sender_id == actor.id, Enquiry.organization_id == organization.id,
        Enquiry.body == data.body.strip(), Enquiry.created_at > utcnow() - DUPLICATE_WINDOW))
    if duplicate is not None:
        return duplicate
    if not _allow_enquiry(actor):
        raise TooManyEnquiries(_l("You sent many enquiries in a short time. Please wait a while before sending more."))
    now = utcnow()
    enquiry = Enquiry(sender_organization_id=actor.organization_id, sender_id=actor.id,
                      organization_id=organization.id, listing_id=listing.id if listing else None,
                      demand_id=demand.id if demand else None, body=data.body.strip(), budget=data.budget,
                      deadline=data.deadline, created_at=now, last_message_at=now,
                      last_side=EnquirySide.ENTERPRISE, enterprise_read_at=now)
    db.session.add(enquiry)
    db.session.flush()
    subject = (_l("New enquiry about “%(title)s”", title=listing.title) if listing
               else _l("New enquiry from %(org)s", org=actor.organization.name))
    notify_members(organization.id, "enquiries_received", subject, f"{enquiry.id}",
                   sender_org=actor.organization.name, listing_title=listing.title if listing else "",
                   body=enquiry.body, budget=enquiry.budget, deadline=enquiry.deadline,
                   url=thread_url(enquiry.id))
    db.session.commit()
    return enquiry


# ---------------------------------------------------------------- the thread

def mark_read(enquiry: Enquiry, actor: User) -> None:
    """The actor's organization has read the thread up to now (the page posts this once shown:
    a GET never writes)."""
    side = side_of(actor, enquiry)
    _require(side is not None)
    now = utcnow()
    if side is EnquirySide.SUPPLIER:
        enquiry.supplier_read_at = now
    else:
        enquiry.enterprise_read_at = now
    db.session.commit()


def is_unread_for(user: User, enquiry: Enquiry) -> bool:
    """Whether the thread has news for the user's side (False for anybody outside it)."""
    side = side_of(user, enquiry)
    return side is not None and _is_unread(enquiry, side)


def _mark_activity(enquiry: Enquiry, side: EnquirySide) -> None:
    now = utcnow()
    enquiry.last_message_at, enquiry.last_side = now, side
    if side is EnquirySide.SUPPLIER:
        enquiry.supplier_read_at = now
        if enquiry.first_reply_at is None:  # the supplier's first action ends its reply time
            enquiry.first_reply_at = now
    else:
        enquiry.enterprise_read_at = now


def _other_organization(enquiry: Enquiry, side: EnquirySide) -> int:
    return enquiry.sender_organization_id if side is EnquirySide.SUPPLIER else enquiry.organization_id


def _check_message(body: str) -> str:
    body = (body or "").strip()
    if not has_visible_text(body):
        raise EnquiryError(_l("Write a message."), "body")
    if len(body) > MESSAGE_MAX:
        raise EnquiryError(_l("At most %(max)d characters.", max=MESSAGE_MAX), "body")
    return body


def _recent_duplicate(enquiry: Enquiry, body: str, actor: User) -> EnquiryMessage | None:
    return db.session.scalar(sa.select(EnquiryMessage).where(
        EnquiryMessage.enquiry_id == enquiry.id, EnquiryMessage.author_id == actor.id, EnquiryMessage.body == body,
        EnquiryMessage.created_at > utcnow() - DUPLICATE_WINDOW))


def _add_message(enquiry: Enquiry, body: str, side: EnquirySide, actor: User) -> EnquiryMessage:
    if not rate_limits.allow("ENQUIRY_MESSAGE_LIMIT_PER_AUTHOR", "enquiry-message-author", str(actor.id)):
        raise TooManyEnquiries(_l("You sent many messages in a short time. Please wait a while before sending more."),
                               "body")
    message = EnquiryMessage(enquiry=enquiry, author_id=actor.id, side=side, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def post_message(enquiry: Enquiry, body: str, actor: User) -> EnquiryMessage:
    """Add a message to the thread and email the other organization's members."""
    _require(permissions.can_post_message(actor, enquiry))
    body = _check_message(body)
    duplicate = _recent_duplicate(enquiry, body, actor)
    if duplicate is not None:  # the same message posted twice: keep one, e-mail once
        return duplicate
    side = side_of(actor, enquiry)
    message = _add_message(enquiry, body, side, actor)
    _mark_activity(enquiry, side)
    notify_members(_other_organization(enquiry, side), "enquiries_message",
                   _l("New message from %(org)s", org=actor.organization.name), f"{message.id}",
                   author_org=actor.organization.name, body=body, url=thread_url(enquiry.id))
    db.session.commit()
    return message


def accept_enquiry(enquiry: Enquiry, note: str, actor: User) -> Enquiry:
    """The supplier accepts: both sides now see each other's contact. An optional note joins the thread."""
    _require(permissions.can_accept_enquiry(actor, enquiry))
    note = (note or "").strip()
    if note:
        _add_message(enquiry, _check_message(note), EnquirySide.SUPPLIER, actor)
    enquiry.status = EnquiryStatus.ACCEPTED
    enquiry.accepted_at, enquiry.accepted_by_id = utcnow(), actor.id
    _mark_activity(enquiry, EnquirySide.SUPPLIER)
    notify_members(enquiry.sender_organization_id, "enquiries_accepted",
                   _l("%(org)s accepted your enquiry and shared its contact", org=actor.organization.name),
                   f"{enquiry.id}", supplier_org=actor.organization.name, note=note, url=thread_url(enquiry.id))
    db.session.commit()
    return enquiry


def decline_enquiry(enquiry: Enquiry, note: str, actor: User) -> Enquiry:
    """The supplier will not take the enquiry up; the thread closes, no contact is shared."""
    _require(permissions.can_decline_enquiry(actor, enquiry))
    note = (note or "").strip()
    if note:
        _add_message(enquiry, _check_message(note), EnquirySide.SUPPLIER, actor)
    enquiry.status = EnquiryStatus.DECLINED
    enquiry.declined_at = utcnow()
    _mark_activity(enquiry, EnquirySide.SUPPLIER)
    notify_members(enquiry.sender_organization_id, "enquiries_declined",
                   _l("%(org)s declined your enquiry", org=actor.organization.name), f"{enquiry.id}",
                   supplier_org=actor.organization.name, note=note, url=thread_url(enquiry.id))
    db.session.commit()
    return enquiry


@dataclass
class Contact:
    """One side's contact as the other side sees it once the enquiry is accepted."""

    organization: str
    contact_name: str
    contact_phone: str
    contact_email: str
    person_name: str
    person_email: str


def _contact(organization: Organization, person: User | None) -> Contact:
    return Contact(organization=organization.name, contact_name=organization.contact_name,
                   contact_phone=organization.contact_phone, contact_email=organization.contact_email,
                   person_name=(person.display_name if person else "") or "",
                   person_email=person.email if person else "")


def shared_contacts(enquiry: Enquiry, actor) -> dict[str, Contact] | None:
    """Both sides' contacts, keyed "enterprise" and "supplier"; None before acceptance or for
    anybody outside the two organizations. The one place contacts leave the database."""
    if not permissions.can_see_contacts(actor, enquiry):
        return None
    return {"enterprise": _contact(enquiry.sender_organization, enquiry.sender),
            "supplier": _contact(enquiry.organization, enquiry.accepted_by)}


# ---------------------------------------------------------------- inbox

@dataclass
class InboxRow:
    enquiry: Enquiry
    unread: bool


def _is_unread(enquiry: Enquiry, side: EnquirySide) -> bool:
    if enquiry.last_side is side:
        return False
    read_at = enquiry.supplier_read_at if side is EnquirySide.SUPPLIER else enquiry.enterprise_read_at
    return read_at is None or enquiry.last_message_at > read_at


def _box_statement(user: User, box: str) -> sa.Select:
    column = Enquiry.organization_id if box == "received" else Enquiry.sender_organization_id
    return sa.select(Enquiry).where(column == user.organization_id)


def inbox(user: User, box: str) -> list[InboxRow]:
    """The organization's received or sent enquiries, newest activity first.

    :raises Forbidden: for a user without an organization.
    """
    _require(user.organization_id is not None and box in BOXES)
    side = EnquirySide.SUPPLIER if box == "received" else EnquirySide.ENTERPRISE
    enquiries = db.session.scalars(
        _box_statement(user, box)
        .options(selectinload(Enquiry.sender_organization), selectinload(Enquiry.organization),
                 selectinload(Enquiry.listing), selectinload(Enquiry.messages))
        .order_by(Enquiry.last_message_at.desc(), Enquiry.id.desc()))
    return [InboxRow(enquiry, _is_unread(enquiry, side)) for enquiry in enquiries]


def default_box(user: User) -> str:
    """Suppliers land on what they received, enterprises on what they sent."""
    return "sent" if permissions.is_enterprise_member(user) else "received"


@dataclass
class InboxSummary:
    """Counts and the newest rows of a user's enquiries, for a workbench or a menu badge."""

    received: int = 0
    received_awaiting_reply: int = 0
    received_unread: int = 0
    sent: int = 0
    sent_unread: int = 0
    newest: list[InboxRow] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return self.received_unread + self.sent_unread


def _unread_condition(side: EnquirySide):
    read_at = Enquiry.supplier_read_at if side is EnquirySide.SUPPLIER else Enquiry.enterprise_read_at
    return sa.and_(Enquiry.last_side != side, sa.or_(read_at.is_(None), Enquiry.last_message_at > read_at))


def inbox_summary(user, newest: int = 5) -> InboxSummary:
    """Counts of the user's organization's enquiries (received, awaiting reply, unread; sent,
    unread) and the `newest` rows across both boxes. Empty for users without an organization.

    :param newest: how many of the most recently active enquiries to include.
    """
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return InboxSummary()
    org_id = user.organization_id
    received, sent = Enquiry.organization_id == org_id, Enquiry.sender_organization_id == org_id

    def count(condition) -> sa.ScalarSelect:
        return sa.select(sa.func.count()).select_from(Enquiry).where(condition).scalar_subquery()

    row = db.session.execute(sa.select(
        count(received),
        count(sa.and_(received, Enquiry.first_reply_at.is_(None), Enquiry.status == EnquiryStatus.PENDING)),
        count(sa.and_(received, _unread_condition(EnquirySide.SUPPLIER))),
        count(sent),
        count(sa.and_(sent, _unread_condition(EnquirySide.ENTERPRISE))),
    )).one()
    latest = db.session.scalars(
        sa.select(Enquiry).where(sa.or_(received, sent))
        .options(selectinload(Enquiry.sender_organization), selectinload(Enquiry.organization),
                 selectinload(Enquiry.listing))
        .order_by(Enquiry.last_message_at.desc(), Enquiry.id.desc()).limit(newest))
    rows = [InboxRow(e, _is_unread(e, EnquirySide.SUPPLIER if e.organization_id == org_id else EnquirySide.ENTERPRISE))
            for e in latest]
    return InboxSummary(*(int(value) for value in row), newest=rows)
