"""Proposals: suppliers' answers to demands, the question thread, intent agreements,
and the enterprise-controlled access to a demand's confidential details.

A proposal belongs to the supplier organization, not to the person who wrote it, as a
listing does. `first_response_at` is set once, by the service that records the
enterprise's first action on the proposal (message, shortlist, decline): the median
response time is computed from it.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.accounts import User
from catalog_app.models.demands import Demand
from catalog_app.models.listings import Listing
from catalog_app.models.organizations import Organization


class ProposalStatus(enum.Enum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    DECLINED = "declined"
    AGREED = "agreed"  # an intent agreement (意向协议) was recorded
    WITHDRAWN = "withdrawn"


class DeclineReason(enum.Enum):
    """The fixed list the source platform uses; OTHER needs a written note."""

    NOT_A_FIT = "not_a_fit"
    TOO_EARLY = "too_early"
    COST = "cost"
    UNCLEAR_BENEFIT = "unclear_benefit"
    OTHER = "other"


class MessageSide(enum.Enum):
    ENTERPRISE = "enterprise"
    SUPPLIER = "supplier"


class AccessStatus(enum.Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


proposal_listings = sa.Table(
    "proposal_listings",
    db.metadata,
    sa.Column("proposal_id", sa.ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        # One active proposal per supplier organization and demand; withdrawn ones stay as history.
        sa.Index("uq_proposals_active", "demand_id", "organization_id", unique=True,
                 sqlite_where=sa.text("status != 'withdrawn'"),
                 postgresql_where=sa.text("status != 'withdrawn'")),
        sa.CheckConstraint("price_min IS NULL OR price_min >= 0", name="proposal_price_min_positive"),
        sa.CheckConstraint("price_min IS NULL OR price_max IS NULL OR price_min <= price_max",
                           name="proposal_price_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    approach: Mapped[str] = mapped_column(sa.Text)
    timeline: Mapped[str] = mapped_column(sa.String(200), default="")
    # Price range in units of 10,000 yuan (万元), like the demand's budget.
    price_min: Mapped[Optional[int]]
    price_max: Mapped[Optional[int]]
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus), default=ProposalStatus.SUBMITTED, index=True)
    decline_reason: Mapped[Optional[DeclineReason]] = mapped_column(str_enum(DeclineReason))
    decline_note: Mapped[str] = mapped_column(sa.String(500), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_response_at: Mapped[Optional[datetime]]
    decided_at: Mapped[Optional[datetime]]
    withdrawn_at: Mapped[Optional[datetime]]

    demand: Mapped[Demand] = relationship()
    organization: Mapped[Organization] = relationship()
    created_by: Mapped[Optional[User]] = relationship()
    listings: Mapped[list[Listing]] = relationship(secondary=proposal_listings)
    attachments: Mapped[list["ProposalAttachment"]] = relationship(
        back_populates="proposal", order_by="ProposalAttachment.id", cascade="all, delete-orphan")
    messages: Mapped[list["ProposalMessage"]] = relationship(
        back_populates="proposal", order_by="ProposalMessage.id", cascade="all, delete-orphan")
    agreement: Mapped[Optional["IntentAgreement"]] = relationship(back_populates="proposal", uselist=False)


class ProposalAttachment(db.Model):
    """A PDF or image; stored under instance/uploads/proposals with a random name."""

    __tablename__ = "proposal_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(120))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")


class ProposalMessage(db.Model):
    """One message in a proposal's question thread; `side` says who wrote it."""

    __tablename__ = "proposal_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    side: Mapped[MessageSide] = mapped_column(str_enum(MessageSide))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="messages")
    author: Mapped[Optional[User]] = relationship()


class IntentAgreement(db.Model):
    """An intent agreement (意向协议) on a shortlisted proposal; the amount in 万元."""

    __tablename__ = "intent_agreements"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="agreement_amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int]
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    recorded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The matchmaking event (对接会 / 揭榜比拼) the agreement came out of, if any.
    event_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="agreement")
    recorded_by: Mapped[Optional[User]] = relationship()


class ConfidentialAccess(db.Model):
    """A supplier organization's access to a summary-only demand's confidential details.

    Details unlock only when the enterprise approved the organization AND a member of
    that organization accepted the confidentiality terms (`terms_accepted_at`).
    """

    __tablename__ = "confidential_access"
    __table_args__ = (sa.UniqueConstraint("demand_id", "organization_id", name="uq_confidential_access"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    requested_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[AccessStatus] = mapped_column(str_enum(AccessStatus), default=AccessStatus.REQUESTED)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]]
    terms_accepted_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    terms_accepted_at: Mapped[Optional[datetime]]

    demand: Mapped[Demand] = relationship()
    organization: Mapped[Organization] = relationship()
    requested_by: Mapped[Optional[User]] = relationship(foreign_keys=[requested_by_id])
    terms_accepted_by: Mapped[Optional[User]] = relationship(foreign_keys=[terms_accepted_by_id])

    @property
    def is_unlocked(self) -> bool:
        return self.status is AccessStatus.APPROVED and self.terms_accepted_at is not None


class ConfidentialView(db.Model):
    """Every display of confidential details: who, from which organization, when. Insert only."""

    __tablename__ = "confidential_views"
    __table_args__ = (sa.Index("ix_confidential_views_demand", "demand_id", "viewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"))
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    organization_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organizations.id"))
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")

    user: Mapped[Optional[User]] = relationship()
    organization: Mapped[Optional[Organization]] = relationship()
