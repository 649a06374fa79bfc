"""Answers to demands: submit, edit, withdraw, discuss, shortlist, decline, agree; counts.

Every use-case checks its permission first, changes rows, writes the audit entry and
queues the other side's email, then commits once. The demand follows its proposals: the
first shortlist moves it to in talks, an intent agreement to solved.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from catalog_app import rate_limits
from catalog_app.extensions import db
from catalog_app.models import (
    DeclineReason,
    Demand,
    DemandStatus,
    IntentAgreement,
    Listing,
    ListingStatus,
    MessageSide,
    Organization,
    Proposal,
    ProposalMessage,
    ProposalStatus,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.audit import record
from catalog_app.proposals import attachments, permissions
from catalog_app.proposals.emails import link, notify_organization
from catalog_app.proposals.errors import ProposalError, TooManyMessages
from catalog_app.titles import has_visible_text

APPROACH_MAX = 5000
TIMELINE_MAX = 200
MESSAGE_MAX = 2000
DECLINE_NOTE_MAX = 500
AGREEMENT_NOTE_MAX = 1000
AMOUNT_MAX = 10_000_000  # 万元: one thousand billion yuan is beyond any real deal


@dataclass
class ProposalInput:
    approach: str
    timeline: str
    price_min: int | None
    price_max: int | None
    listing_ids: list[int]


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _audit(actor: User, action: str, proposal: Proposal, **detail) -> None:
    record(actor, action, None, object_type="proposal", object_id=proposal.id, demand_id=proposal.demand_id,
           **detail)


# ---------------------------------------------------------------- reading

def active_proposal(demand: Demand, organization_id: int | None) -> Proposal | None:
    """The organization's proposal to the demand that is not withdrawn."""
    if organization_id is None:
        return None
    return db.session.scalar(sa.select(Proposal).where(
        Proposal.demand_id == demand.id, Proposal.organization_id == organization_id,
        Proposal.status != ProposalStatus.WITHDRAWN))


def listing_choices(user: User) -> list[Listing]:
    """The published listings of the user's organization, which a proposal may link."""
    return list(db.session.scalars(
        sa.select(Listing).where(Listing.organization_id == user.organization_id,
                                 Listing.status == ListingStatus.PUBLISHED)
        .order_by(Listing.kind, Listing.title)))


def proposals_for_demand(demand: Demand, actor: User) -> list[Proposal]:
    """What the enterprise sees: every proposal but the withdrawn ones, new ones first."""
    _require(permissions.can_list_proposals(actor, demand))
    order = sa.case({ProposalStatus.AGREED.value: 0, ProposalStatus.SHORTLISTED.value: 1,
                     ProposalStatus.SUBMITTED.value: 2}, value=Proposal.status, else_=3)
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.demand_id == demand.id, Proposal.status != ProposalStatus.WITHDRAWN)
        .options(selectinload(Proposal.organization), selectinload(Proposal.listings),
                 selectinload(Proposal.attachments), selectinload(Proposal.messages).selectinload(ProposalMessage.author),
                 selectinload(Proposal.agreement))
        .order_by(order, Proposal.submitted_at.desc(), Proposal.id.desc())))


def supplier_proposals(actor: User) -> list[Proposal]:
    """The proposals of the actor's organization, newest first."""
    _require(permissions.is_supplier_member(actor))
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.organization_id == actor.organization_id)
        .options(selectinload(Proposal.demand).selectinload(Demand.organization), selectinload(Proposal.messages))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())))


# ---------------------------------------------------------------- the supplier's side

def _check_input(data: ProposalInput, actor: User) -> list[Listing]:
    """The rules the form also checks, repeated because services are called without forms."""
    if not has_visible_text(data.approach):
        raise ProposalError(_l("Describe your approach."), "approach")
    if len(data.approach) > APPROACH_MAX:
        raise ProposalError(_l("At most %(max)d characters.", max=APPROACH_MAX), "approach")
    if len(data.timeline) > TIMELINE_MAX:
        raise ProposalError(_l("At most %(max)d characters.", max=TIMELINE_MAX), "timeline")
    for name in ("price_min", "price_max"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= AMOUNT_MAX:
            raise ProposalError(_l("Enter an amount between 0 and %(max)d.", max=AMOUNT_MAX), name)
    if data.price_min is not None and data.price_max is not None and data.price_min > data.price_max:
        raise ProposalError(_l("The lower price must not exceed the upper price."), "price_max")
    own = {listing.id: listing for listing in listing_choices(actor)}
    if any(listing_id not in own for listing_id in data.listing_ids):
        raise ProposalError(_l("Only your organization’s published listings can be linked."), "listing_ids")
    return [own[listing_id] for listing_id in dict.fromkeys(data.listing_ids)]


def _apply(proposal: Proposal, data: ProposalInput, listings: list[Listing]) -> None:
    proposal.approach = data.approach.strip()
    proposal.timeline = data.timeline.strip()
    proposal.price_min, proposal.price_max = data.price_min, data.price_max
    proposal.listings = listings


def _commit_with_files(written) -> None:
    try:
        db.session.commit()
    except Exception:
        attachments.remove_files(written)
        raise


def submit_proposal(demand: Demand, data: ProposalInput, files: list, actor: User) -> Proposal:
    """Answer a demand for the actor's organization and tell the enterprise.

    :param files: (filename, stream) pairs from the upload field.
    :raises Forbidden: when the actor may not answer this demand.
    :raises ProposalError: for bad input, a bad file, or an existing active proposal.
    """
    _require(permissions.can_answer_demand(actor, demand))
    if active_proposal(demand, actor.organization_id) is not None:
        raise ProposalError(_l("Your organization has already answered this demand; edit that proposal instead."))
    listings = _check_input(data, actor)
    uploads = attachments.check_uploads(files)
    proposal = Proposal(demand=demand, organization_id=actor.organization_id, created_by_id=actor.id)
    _apply(proposal, data, listings)
    db.session.add(proposal)
    try:
        db.session.flush()
    except IntegrityError:  # a colleague's proposal won the race: the partial unique index refused this one
        db.session.rollback()
        raise ProposalError(_l("Your organization has already answered this demand; edit that proposal instead."))
    written = attachments.add_attachments(proposal, uploads, actor)
    _audit(actor, "proposal_submitted", proposal)
    notify_organization(demand.organization_id, "proposals_submitted",
                        _l("New proposal for “%(title)s”", title=demand.title), f"{proposal.id}",
                        demand=demand, supplier_name=actor.organization.name,
                        url=link("proposals.for_demand", demand_id=demand.id, open=proposal.id))
    _commit_with_files(written)
    return proposal


def update_proposal(proposal: Proposal, data: ProposalInput, files: list, actor: User) -> Proposal:
    """Edit a proposal that is not shortlisted yet; new files are added to the old ones."""
    _require(permissions.can_edit_proposal(actor, proposal))
    listings = _check_input(data, actor)
    uploads = attachments.check_uploads(files, already_attached=len(proposal.attachments))
    _apply(proposal, data, listings)
    proposal.updated_at = utcnow()
    written = attachments.add_attachments(proposal, uploads, actor)
    _audit(actor, "proposal_updated", proposal)
    _commit_with_files(written)
    return proposal


def remove_attachment(proposal: Proposal, attachment_id: int, actor: User) -> None:
    _require(permissions.can_edit_proposal(actor, proposal))
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise ProposalError(_l("This attachment no longer exists."))
    path = attachments.attachment_path(attachment)
    proposal.attachments.remove(attachment)
    _audit(actor, "proposal_attachment_removed", proposal, name=attachment.original_name)
    db.session.commit()
    path.unlink(missing_ok=True)


def withdraw_proposal(proposal: Proposal, actor: User) -> Proposal:
    """The supplier takes its proposal back; the organization may then answer again."""
    _require(permissions.can_withdraw_proposal(actor, proposal))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.withdrawn_at = utcnow()
    _audit(actor, "proposal_withdrawn", proposal)
    db.session.commit()
    return proposal


# ---------------------------------------------------------------- both sides

def _mark_response(proposal: Proposal) -> None:
    """The enterprise's first action on a proposal starts nothing and ends its response time."""
    if proposal.first_response_at is None:
        proposal.first_response_at = utcnow()


def _allow_message(actor: User, proposal: Proposal, side: MessageSide) -> bool:
    """Count a message per author and per thread side: every message emails the other side,
    so without a limit one member (or several of one organization) could flood its inbox."""
    by_author = rate_limits.allow("PROPOSAL_MESSAGE_LIMIT_PER_AUTHOR", "proposal-message-author", str(actor.id))
    by_thread = rate_limits.allow("PROPOSAL_MESSAGE_LIMIT_PER_THREAD", "proposal-message-thread",
                                  f"{proposal.id}:{side.value}")
    return by_author and by_thread


def post_message(proposal: Proposal, body: str, actor: User) -> ProposalMessage:
    """Add a message to the proposal's thread and email the other side."""
    _require(permissions.can_post_message(actor, proposal))
    body = body.strip()
    if not has_visible_text(body):
        raise ProposalError(_l("Write a message."), "body")
    if len(body) > MESSAGE_MAX:
        raise ProposalError(_l("At most %(max)d characters.", max=MESSAGE_MAX), "body")
    from_enterprise = permissions.is_demand_enterprise(actor, proposal.demand)
    side = MessageSide.ENTERPRISE if from_enterprise else MessageSide.SUPPLIER
    if not _allow_message(actor, proposal, side):
        raise TooManyMessages(_l("You sent many messages in a short time. Please wait a while before sending more."),
                              "body")
    message = ProposalMessage(proposal=proposal, author_id=actor.id, side=side, body=body)
    db.session.add(message)
    if from_enterprise:
        _mark_response(proposal)
    db.session.flush()
    _audit(actor, "proposal_message", proposal, message_id=message.id, side=side.value)
    demand = proposal.demand
    other_org = proposal.organization_id if from_enterprise else demand.organization_id
    notify_organization(other_org, "proposals_message", _l("New message about “%(title)s”", title=demand.title),
                        f"{message.id}", demand=demand, author_org=actor.organization.name, body=body,
                        url=link("proposals.detail", proposal_id=proposal.id, _anchor="thread"))
    db.session.commit()
    return message


# ---------------------------------------------------------------- the enterprise's side

def _notify_supplier(proposal: Proposal, template: str, subject, **context) -> None:
    notify_organization(proposal.organization_id, template, subject, f"{proposal.id}:{proposal.status.value}",
                        demand=proposal.demand, proposal=proposal,
                        url=link("proposals.detail", proposal_id=proposal.id), **context)


def shortlist_proposal(proposal: Proposal, actor: User) -> Proposal:
    """Shortlist; the demand's first shortlist moves it from open to in talks."""
    _require(permissions.can_shortlist_proposal(actor, proposal))
    proposal.status = ProposalStatus.SHORTLISTED
    proposal.decided_at = utcnow()
    _mark_response(proposal)
    _audit(actor, "proposal_shortlisted", proposal)
    demand = proposal.demand
    if demand.status is DemandStatus.PUBLISHED:
        demand.status = DemandStatus.IN_TALKS
        record(actor, "demand_in_talks", demand, proposal_id=proposal.id)
    _notify_supplier(proposal, "proposals_shortlisted", _l("Shortlisted: “%(title)s”", title=demand.title))
    db.session.commit()
    return proposal


def decline_proposal(proposal: Proposal, reason: DeclineReason | None, note: str, actor: User) -> Proposal:
    """Decline with a reason from the fixed list; "other" needs a note. The supplier sees both."""
    _require(permissions.can_decline_proposal(actor, proposal))
    note = (note or "").strip()
    if reason is None:
        raise ProposalError(_l("Choose a reason."), "reason")
    if reason is DeclineReason.OTHER and not note:
        raise ProposalError(_l("Explain the reason when you choose “Other”."), "note")
    if len(note) > DECLINE_NOTE_MAX:
        raise ProposalError(_l("At most %(max)d characters.", max=DECLINE_NOTE_MAX), "note")
    proposal.status = ProposalStatus.DECLINED
    proposal.decline_reason, proposal.decline_note = reason, note
    proposal.decided_at = utcnow()
    _mark_response(proposal)
    _audit(actor, "proposal_declined", proposal, reason=reason.value)
    _notify_supplier(proposal, "proposals_declined", _l("Not taken forward: “%(title)s”", title=proposal.demand.title),
                     reason=reason, note=note)
    db.session.commit()
    return proposal


def record_agreement(proposal: Proposal, amount: int | None, note: str, actor: User) -> IntentAgreement:
    """Record the intent agreement (意向协议) on a shortlisted proposal; the demand is solved."""
    _require(permissions.can_record_agreement(actor, proposal))
    note = (note or "").strip()
    if amount is None or not 0 <= amount <= AMOUNT_MAX:
        raise ProposalError(_l("Enter an amount between 0 and %(max)d.", max=AMOUNT_MAX), "amount")
    if len(note) > AGREEMENT_NOTE_MAX:
        raise ProposalError(_l("At most %(max)d characters.", max=AGREEMENT_NOTE_MAX), "note")
    agreement = IntentAgreement(proposal=proposal, demand_id=proposal.demand_id, amount=amount, note=note,
                                recorded_by_id=actor.id)
    db.session.add(agreement)
    proposal.status = ProposalStatus.AGREED
    proposal.decided_at = utcnow()
    db.session.flush()
    _audit(actor, "intent_agreement_recorded", proposal, agreement_id=agreement.id, amount=amount)
    demand = proposal.demand
    previous = demand.status
    demand.status = DemandStatus.SOLVED
    record(actor, "demand_solved", demand, proposal_id=proposal.id, previous=previous.value)
    _notify_supplier(proposal, "proposals_agreement", _l("Intent agreement recorded: “%(title)s”", title=demand.title),
                     amount=amount)
    db.session.commit()
    return agreement


# ---------------------------------------------------------------- figures

def response_times(organization_id: int) -> list[timedelta]:
    """Submitted → first enterprise action, for every answered proposal to the organization's demands."""
    rows = db.session.execute(
        sa.select(Proposal.submitted_at, Proposal.first_response_at)
        .join(Demand, Demand.id == Proposal.demand_id)
        .where(Demand.organization_id == organization_id, Proposal.first_response_at.is_not(None)))
    return [responded - submitted for submitted, responded in rows]


def median_response_time(organization_id: int) -> timedelta | None:
    """The enterprise's median response time; None before its first response."""
    times = response_times(organization_id)
    if not times:
        return None
    return timedelta(seconds=statistics.median(t.total_seconds() for t in times))


@dataclass
class DealCounts:
    demands_answered: int
    proposals: int
    agreements: int
    agreement_amount: int  # 万元


def deal_counts(organization: Organization | None = None) -> DealCounts:
    """Demands with at least one proposal, proposals, intent agreements and their total (万元).

    Platform-wide by default; for an organization, the deals it took part in on either
    side (its demands, or its proposals). Withdrawn proposals do not count. One statement.
    """
    live = sa.select(Proposal.id, Proposal.demand_id).join(Demand, Demand.id == Proposal.demand_id).where(
        Proposal.status != ProposalStatus.WITHDRAWN)
    if organization is not None:
        live = live.where(sa.or_(Proposal.organization_id == organization.id,
                                 Demand.organization_id == organization.id))
    live = live.subquery()
    agreements = sa.select(IntentAgreement.amount).join(live, live.c.id == IntentAgreement.proposal_id).subquery()
    row = db.session.execute(sa.select(
        sa.select(sa.func.count(sa.distinct(live.c.demand_id))).scalar_subquery(),
        sa.select(sa.func.count(live.c.id)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(agreements).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(agreements.c.amount), 0)).scalar_subquery(),
    )).one()
    return DealCounts(*(int(value) for value in row))
