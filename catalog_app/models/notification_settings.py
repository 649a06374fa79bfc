"""What each user wants emailed, what is waiting for their digest, and what they told us back.

* `NotificationPreference`: one row per user and kind of email that differs from the
  default (see `notifications.preferences.KINDS`); no row means the kind's default.
* `DigestEntry`: an item (a match, or a new result of a saved search) routed to a user's
  daily or weekly digest. `item_key` is unique per user, so an item is digested at most
  once, whatever reruns or double publications happen; `sent_at` marks the ones sent.
* `MatchFeedback`: the "interested" / "not relevant" verdicts from email links, one per
  demand, listing and user; `flask emails export-feedback` writes them for the matching bench.
* `SavedSearch`: a catalog query string whose new results go into the digest;
  `checked_until` is the publication-time watermark of the results already seen.
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
from catalog_app.models.listings import Listing
from catalog_app.models.matches import Match


class Frequency(enum.Enum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class Verdict(enum.Enum):
    INTERESTED = "interested"
    NOT_RELEVANT = "not_relevant"


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DigestEntry(db.Model):
    __tablename__ = "digest_entries"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "item_key", name="uq_digest_entries_user_item"),
        sa.Index("ix_digest_entries_user_unsent", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    # "match:<id>" or "search:<saved search id>:listing:<id>": what makes an item the same item.
    item_key: Mapped[str] = mapped_column(sa.String(80))
    match_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("matches.id", ondelete="CASCADE"))
    listing_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    saved_search_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("saved_searches.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[Optional[datetime]]
    digest_key: Mapped[Optional[str]] = mapped_column(sa.String(120))

    user: Mapped[User] = relationship()
    match: Mapped[Optional[Match]] = relationship()
    listing: Mapped[Optional[Listing]] = relationship()
    saved_search: Mapped[Optional["SavedSearch"]] = relationship()


class MatchFeedback(db.Model):
    __tablename__ = "match_feedback"
    __table_args__ = (
        sa.UniqueConstraint("demand_id", "listing_id", "user_id", name="uq_match_feedback_pair_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[Verdict] = mapped_column(str_enum(Verdict))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SavedSearch(db.Model):
    __tablename__ = "saved_searches"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "section", "query_string", name="uq_saved_searches_user_query"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(sa.String(20))  # solutions | products | cases
    query_string: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_until: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
