"""Enquiries (询价 / 咨询): an enterprise asks a supplier organization directly.

An enquiry belongs to two organizations, the sender's (an enterprise) and the recipient
(the supplier whose listing or profile it came from); every member of either sees the
thread and nobody else does. Contacts are exchanged only once the supplier accepts:
`accepted_at` is the switch, and the contact itself is never copied into a row, so a
contact updated on the organization's profile is the one shown.

`first_reply_at` is set once, by the supplier's first action (message, accept or
decline); the supplier's median first-reply time and reply rate are computed from it.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.accounts import User
from catalog_app.models.demands import Demand
from catalog_app.models.listings import Listing
from catalog_app.models.organizations import Organization


class EnquiryStatus(enum.Enum):
    PENDING = "pending"    # waiting for the supplier to accept or decline
    ACCEPTED = "accepted"  # contacts shared both ways
    DECLINED = "declined"  # the supplier will not take it up; the thread is closed


class EnquirySide(enum.Enum):
    ENTERPRISE = "enterprise"  # the sender's organization
    SUPPLIER = "supplier"      # the recipient organization


class Enquiry(db.Model):
    __tablename__ = "enquiries"
    __table_args__ = (
        sa.Index("ix_enquiries_organization_activity", "organization_id", "last_message_at"),
        sa.Index("ix_enquiries_sender_activity", "sender_organization_id", "last_message_at"),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="enquiry_budget_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    sender_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    listing_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("listings.id", ondelete="SET NULL"))
    demand_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("demands.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    # Budget in units of 10,000 yuan (万元), as demands and proposals quote it.
    budget: Mapped[Optional[int]]
    deadline: Mapped[Optional[date]]
    status: Mapped[EnquiryStatus] = mapped_column(
        str_enum(EnquiryStatus), default=EnquiryStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_reply_at: Mapped[Optional[datetime]]
    accepted_at: Mapped[Optional[datetime]]
    accepted_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    declined_at: Mapped[Optional[datetime]]
    # The newest activity and who made it; each side's read mark makes the unread count.
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_side: Mapped[EnquirySide] = mapped_column(str_enum(EnquirySide), default=EnquirySide.ENTERPRISE)
    enterprise_read_at: Mapped[Optional[datetime]]
    supplier_read_at: Mapped[Optional[datetime]]

    sender_organization: Mapped[Organization] = relationship(foreign_keys=[sender_organization_id])
    sender: Mapped[Optional[User]] = relationship(foreign_keys=[sender_id])
    organization: Mapped[Organization] = relationship(foreign_keys=[organization_id])
    listing: Mapped[Optional[Listing]] = relationship()
    demand: Mapped[Optional[Demand]] = relationship()
    accepted_by: Mapped[Optional[User]] = relationship(foreign_keys=[accepted_by_id])
    messages: Mapped[list["EnquiryMessage"]] = relationship(
        back_populates="enquiry", order_by="EnquiryMessage.id", cascade="all, delete-orphan")

    @property
    def is_accepted(self) -> bool:
        return self.status is EnquiryStatus.ACCEPTED


class EnquiryMessage(db.Model):
    """One message of an enquiry's thread; `side` says which organization wrote it."""

    __tablename__ = "enquiry_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(sa.ForeignKey("enquiries.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    side: Mapped[EnquirySide] = mapped_column(str_enum(EnquirySide))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enquiry: Mapped[Enquiry] = relationship(back_populates="messages")
    author: Mapped[Optional[User]] = relationship()


class EnquiryReport(db.Model):
    """A recipient's "this is spam" about an enquiry, for moderators.

    `reported_text` is a copy of the enquiry's request as it was reported: moderators
    judge that text without being given the thread, which stays the two parties' business.
    """

    __tablename__ = "enquiry_reports"
    __table_args__ = (sa.UniqueConstraint("enquiry_id", name="uq_enquiry_reports_enquiry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(sa.ForeignKey("enquiries.id", ondelete="CASCADE"))
    reporter_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    reported_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[Optional[datetime]]
    resolved_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    upheld: Mapped[Optional[bool]]  # True: spam confirmed; False: dismissed; None: open

    enquiry: Mapped[Enquiry] = relationship()
    reporter: Mapped[Optional[User]] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[Optional[User]] = relationship(foreign_keys=[resolved_by_id])
