"""Stored recommendations between a demand and a listing, so emails and statistics can use them."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.demands import Demand
from catalog_app.models.listings import Listing


class MatchStatus(enum.Enum):
    SUGGESTED = "suggested"
    VIEWED = "viewed"
    CONTACTED = "contacted"
    DISMISSED = "dismissed"


class Match(db.Model):
    __tablename__ = "matches"
    __table_args__ = (sa.UniqueConstraint("demand_id", "listing_id", name="uq_matches_demand_listing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]  # the engine's older relative score, kept for reference
    # The engine's absolute confidence (0..1) when the match was stored: the bar, "strong
    # match" and the e-mail floor read it. 0 on rows stored before it existed.
    confidence: Mapped[float] = mapped_column(default=0.0, server_default="0")
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[MatchStatus] = mapped_column(str_enum(MatchStatus), default=MatchStatus.SUGGESTED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    demand: Mapped[Demand] = relationship()
    listing: Mapped[Listing] = relationship()
