"""Matchmaking events (对接会 / 揭榜比拼 / 路演): rounds, registrations, 1:1 meetings, pitches.

An event groups what the catalog already has (demands, listings, proposals, intent
agreements) into one dated occasion, the way the provincial innovation-challenge rounds and
the b2match-style brokerage days work:

- `Event`: the occasion itself, created by staff; public once published.
- `EventRegistration`: one organization taking part, on one side, with the listings it brings;
  approved by the organiser. Its `attendee` is the person who sits at the meeting tables, so
  "never double-book a person" means never two meetings for one registration in one slot.
- `EventDemand`: a demand entered into a challenge round, screened by the round's experts
  (`EventExpert`, `ScreeningScore`) and shortlisted; `position` is its on-site pitch order.
- `MeetingSlot` / `Meeting` / `MeetingSeat`: pre-booked 1:1 meetings. A seat row exists for each
  side of every accepted meeting, and the unique (slot, registration) index on seats is the
  database's own guarantee against double booking, whatever the scheduler does under races.
  The partial unique index on (slot, table) does the same for tables.
- `Pitch` / `PitchScore`: a supplier's on-site pitch for a round demand, scored by experts.
- `MeetingOutcome`: each side's answer after the event (no fit / follow-up / intent).
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
from catalog_app.models.proposals import Proposal
from catalog_app.models.taxonomy import Industry, Region, Scenario


class EventKind(enum.Enum):
    MATCHMAKING = "matchmaking"  # 对接会: pre-booked 1:1 meetings
    CHALLENGE = "challenge"  # 揭榜比拼: a round of demands, screened, pitched on site
    ROADSHOW = "roadshow"  # 路演: suppliers present to an audience


class EventStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EventSide(enum.Enum):
    ENTERPRISE = "enterprise"  # brings demands (出题)
    SUPPLIER = "supplier"  # brings listings (答题)


class RegistrationStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class RoundEntryStatus(enum.Enum):
    ENTERED = "entered"
    SHORTLISTED = "shortlisted"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"


class MeetingStatus(enum.Enum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class OutcomeKind(enum.Enum):
    NO_FIT = "no_fit"
    FOLLOW_UP = "follow_up"
    INTENT = "intent"  # intent agreement (意向协议)


def _link_table(name: str, column: str, target: str) -> sa.Table:
    return sa.Table(
        name,
        db.metadata,
        sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(column, sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True),
    )


event_industries = _link_table("event_industries", "industry_id", "industries")
event_scenarios = _link_table("event_scenarios", "scenario_id", "scenarios")

registration_listings = sa.Table(
    "event_registration_listings",
    db.metadata,
    sa.Column(
        "registration_id", sa.ForeignKey("event_registrations.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    """One matchmaking occasion. Times are naive UTC like every timestamp here."""

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at >= starts_at", name="event_ends_after_start"),
        sa.CheckConstraint("capacity >= 0", name="event_capacity_positive"),
        sa.CheckConstraint("meeting_tables >= 0", name="event_tables_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind), index=True)
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.DRAFT, index=True)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    # Published screening criteria, one per line ("技术可行性 | 30"): what experts score against.
    criteria: Mapped[str] = mapped_column(sa.Text, default="")
    organiser_name: Mapped[str] = mapped_column(sa.String(120), default="")
    organiser_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    online_url: Mapped[str] = mapped_column(sa.String(300), default="")
    region_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    registration_opens_at: Mapped[Optional[datetime]]
    registration_closes_at: Mapped[Optional[datetime]]
    capacity: Mapped[int] = mapped_column(default=0)  # organizations; 0 = no limit
    meeting_minutes: Mapped[int] = mapped_column(default=20)
    meeting_tables: Mapped[int] = mapped_column(default=10)
    shortlist_published_at: Mapped[Optional[datetime]]
    results_published_at: Mapped[Optional[datetime]]
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organiser: Mapped[Optional[Organization]] = relationship()
    region: Mapped[Optional[Region]] = relationship()
    industries: Mapped[list[Industry]] = relationship(secondary=event_industries)
    scenarios: Mapped[list[Scenario]] = relationship(secondary=event_scenarios)
    registrations: Mapped[list["EventRegistration"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    slots: Mapped[list["MeetingSlot"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="MeetingSlot.starts_at"
    )
    round_demands: Mapped[list["EventDemand"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class EventRegistration(db.Model):
    __tablename__ = "event_registrations"
    __table_args__ = (sa.UniqueConstraint("event_id", "organization_id", name="uq_event_registration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    attendee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    side: Mapped[EventSide] = mapped_column(str_enum(EventSide))
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus), default=RegistrationStatus.PENDING, index=True
    )
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[Optional[datetime]]
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))

    event: Mapped[Event] = relationship(back_populates="registrations")
    organization: Mapped[Organization] = relationship()
    attendee: Mapped[User] = relationship(foreign_keys=[attendee_id])
    listings: Mapped[list[Listing]] = relationship(secondary=registration_listings)


class EventExpert(db.Model):
    """A reviewer (role `expert`) assigned by staff to screen and score one event."""

    __tablename__ = "event_experts"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class EventDemand(db.Model):
    """A demand entered into a challenge round; `position` is its on-site pitch order."""

    __tablename__ = "event_demands"
    __table_args__ = (sa.UniqueConstraint("event_id", "demand_id", name="uq_event_demand"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    entered_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[RoundEntryStatus] = mapped_column(
        str_enum(RoundEntryStatus), default=RoundEntryStatus.ENTERED, index=True
    )
    position: Mapped[Optional[int]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="round_demands")
    demand: Mapped[Demand] = relationship()
    scores: Mapped[list["ScreeningScore"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan"
    )
    pitches: Mapped[list["Pitch"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="Pitch.position"
    )


class ScreeningScore(db.Model):
    """One expert's screening of one round demand: a score per published criterion (0-10)."""

    __tablename__ = "screening_scores"
    __table_args__ = (sa.UniqueConstraint("entry_id", "expert_id", name="uq_screening_score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("event_demands.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    total: Mapped[float] = mapped_column(default=0.0)  # weighted, 0-100
    comment: Mapped[str] = mapped_column(sa.String(1000), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[EventDemand] = relationship(back_populates="scores")
    expert: Mapped[User] = relationship()


class Pitch(db.Model):
    """A supplier's on-site pitch (现场揭榜) for a round demand, usually from its proposal."""

    __tablename__ = "pitches"
    __table_args__ = (sa.UniqueConstraint("entry_id", "organization_id", name="uq_pitch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("event_demands.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    proposal_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    is_winner: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[EventDemand] = relationship(back_populates="pitches")
    organization: Mapped[Organization] = relationship()
    proposal: Mapped[Optional[Proposal]] = relationship()
    scores: Mapped[list["PitchScore"]] = relationship(back_populates="pitch", cascade="all, delete-orphan")


class PitchScore(db.Model):
    __tablename__ = "pitch_scores"
    __table_args__ = (sa.UniqueConstraint("pitch_id", "expert_id", name="uq_pitch_score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pitch_id: Mapped[int] = mapped_column(sa.ForeignKey("pitches.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    total: Mapped[float] = mapped_column(default=0.0)  # weighted, 0-100
    comment: Mapped[str] = mapped_column(sa.String(1000), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pitch: Mapped[Pitch] = relationship(back_populates="scores")
    expert: Mapped[User] = relationship()


class MeetingSlot(db.Model):
    """A bookable time window of an event; breaks are simply the gaps between slots."""

    __tablename__ = "meeting_slots"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "starts_at", name="uq_meeting_slot"),
        sa.CheckConstraint("ends_at > starts_at", name="slot_ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="slots")


class Meeting(db.Model):
    """A requested or booked 1:1 meeting between two registrations of one event."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("requester_id <> invitee_id", name="meeting_two_parties"),
        sa.Index(
            "uq_meeting_table",
            "slot_id",
            "table_number",
            unique=True,
            sqlite_where=sa.text("status = 'accepted'"),
            postgresql_where=sa.text("status = 'accepted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_slots.id", ondelete="CASCADE"), index=True)
    table_number: Mapped[Optional[int]]
    requester_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True
    )
    invitee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus), default=MeetingStatus.REQUESTED, index=True
    )
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    # What the matching engine said when the meeting was requested (listing and reasons).
    listing_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("listings.id", ondelete="SET NULL"))
    demand_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("demands.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[Optional[datetime]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    slot: Mapped[MeetingSlot] = relationship()
    requester: Mapped[EventRegistration] = relationship(foreign_keys=[requester_id])
    invitee: Mapped[EventRegistration] = relationship(foreign_keys=[invitee_id])
    listing: Mapped[Optional[Listing]] = relationship()
    demand: Mapped[Optional[Demand]] = relationship()
    seats: Mapped[list["MeetingSeat"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    outcomes: Mapped[list["MeetingOutcome"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    # "Held": accepted, and its slot has ended (as far as the platform knows, it took place).
    # One rule for the outcome form, the follow-up e-mails and the events' figures.
    def is_held(self, now: datetime) -> bool:
        return self.status is MeetingStatus.ACCEPTED and self.slot.ends_at <= now

    @staticmethod
    def held_condition(now: datetime):
        """`is_held` in SQL, for a statement that joins the meeting's slot."""
        return sa.and_(Meeting.status == MeetingStatus.ACCEPTED, MeetingSlot.ends_at <= now)


class MeetingSeat(db.Model):
    """One side's seat in an accepted meeting: unique per (slot, registration)."""

    __tablename__ = "meeting_seats"
    __table_args__ = (sa.UniqueConstraint("slot_id", "registration_id", name="uq_meeting_seat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_slots.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True
    )

    meeting: Mapped[Meeting] = relationship(back_populates="seats")


class MeetingOutcome(db.Model):
    """One side's answer after the meeting; `amount` (万元) only for an intent agreement."""

    __tablename__ = "meeting_outcomes"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "registration_id", name="uq_meeting_outcome"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="outcome_amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[OutcomeKind] = mapped_column(str_enum(OutcomeKind))
    amount: Mapped[Optional[int]]
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    recorded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="outcomes")
