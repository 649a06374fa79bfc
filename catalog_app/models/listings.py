"""Supplier listings: solutions, products and application cases, in one table.

One table (single-table inheritance on `kind`) because the catalog searches, facets
and matches across all three kinds at once; kind-specific columns are nullable.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.organizations import Organization
from catalog_app.models.taxonomy import Industry, Scenario, Technology


class ListingKind(enum.Enum):
    SOLUTION = "solution"
    PRODUCT = "product"
    CASE = "case"


class ListingStatus(enum.Enum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    PUBLISHED = "published"
    REJECTED = "rejected"
    EXPIRED = "expired"
    ARCHIVED = "archived"


class MaturityStage(enum.Enum):
    PILOT = "pilot"
    PRODUCTION = "production"
    AT_SCALE = "at_scale"


def _link_table(name: str, column: str, target: str) -> sa.Table:
    return sa.Table(
        name,
        db.metadata,
        sa.Column("listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(column, sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


listing_industries = _link_table("listing_industries", "industry_id", "industries")
listing_scenarios = _link_table("listing_scenarios", "scenario_id", "scenarios")
listing_technologies = _link_table("listing_technologies", "technology_id", "technologies")

listing_links = sa.Table(
    "listing_links",
    db.metadata,
    sa.Column("from_listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("to_listing_id", sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True, index=True),
)


# The columns a supplier writes and a moderator reviews (taxonomy links and outcomes aside):
# the editor, the API, the review snapshot and duplication all read this one tuple.
LISTING_CONTENT_FIELDS = ("title", "summary", "body", "keywords", "maturity_trl", "maturity_stage", "expires_at",
                          "model_number", "price_text", "delivery_mode", "delivery_weeks", "customer_name",
                          "problem", "deployment", "deployed_year")


class Listing(db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        sa.Index("ix_listings_kind_status_published", "kind", "status", "published_at"),
        sa.Index("ix_listings_status_expires", "status", "expires_at"),
        sa.CheckConstraint("maturity_trl IS NULL OR (maturity_trl BETWEEN 1 AND 9)", name="trl_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ListingKind] = mapped_column(str_enum(ListingKind))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    keywords: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[ListingStatus] = mapped_column(
        str_enum(ListingStatus), default=ListingStatus.DRAFT
    )
    maturity_trl: Mapped[Optional[int]]
    maturity_stage: Mapped[Optional[MaturityStage]] = mapped_column(str_enum(MaturityStage))
    expires_at: Mapped[Optional[date]]
    is_featured: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    # Product columns.
    model_number: Mapped[Optional[str]] = mapped_column(sa.String(60))
    price_text: Mapped[Optional[str]] = mapped_column(sa.String(60))
    # Solution columns.
    delivery_mode: Mapped[Optional[str]] = mapped_column(sa.String(30))
    delivery_weeks: Mapped[Optional[int]]
    # Case columns.
    customer_name: Mapped[Optional[str]] = mapped_column(sa.String(120))
    problem: Mapped[Optional[str]] = mapped_column(sa.Text)
    deployment: Mapped[Optional[str]] = mapped_column(sa.Text)
    deployed_year: Mapped[Optional[int]]

    organization: Mapped[Organization] = relationship()
    industries: Mapped[list[Industry]] = relationship(secondary=listing_industries)
    scenarios: Mapped[list[Scenario]] = relationship(secondary=listing_scenarios)
    technologies: Mapped[list[Technology]] = relationship(secondary=listing_technologies)
    linked: Mapped[list["Listing"]] = relationship(
        secondary=listing_links,
        primaryjoin=lambda: Listing.id == listing_links.c.from_listing_id,
        secondaryjoin=lambda: Listing.id == listing_links.c.to_listing_id,
    )
    outcomes: Mapped[list["CaseOutcome"]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="CaseOutcome.position"
    )

    __mapper_args__ = {"polymorphic_on": "kind"}

    # The one rule for a listing to appear anywhere: published and not past its expiry date.
    # `is_public` asks it of a loaded row, `visible_on` in SQL (catalog_app.visibility caches
    # the expression per day); both read the same two columns the same way.
    @property
    def is_public(self) -> bool:
        return self.status is ListingStatus.PUBLISHED and (self.expires_at is None
                                                           or self.expires_at >= date.today())

    @classmethod
    def visible_on(cls, today: date) -> sa.ColumnElement[bool]:
        return sa.and_(cls.status == ListingStatus.PUBLISHED,
                       sa.or_(cls.expires_at.is_(None), cls.expires_at >= today))


class Solution(Listing):
    __mapper_args__ = {"polymorphic_identity": ListingKind.SOLUTION}


class Product(Listing):
    __mapper_args__ = {"polymorphic_identity": ListingKind.PRODUCT}


class Case(Listing):
    __mapper_args__ = {"polymorphic_identity": ListingKind.CASE}


LISTING_CLASS_BY_KIND: dict[ListingKind, type[Listing]] = {
    ListingKind.SOLUTION: Solution,
    ListingKind.PRODUCT: Product,
    ListingKind.CASE: Case,
}


class OutcomeMetric(enum.Enum):
    CYCLE_TIME = "cycle_time"
    EFFICIENCY = "efficiency"
    COST = "cost"
    DEFECT_RATE = "defect_rate"
    YIELD = "yield"
    ENERGY = "energy"
    LABOR = "labor"
    INVENTORY = "inventory"
    DOWNTIME = "downtime"
    ACCURACY = "accuracy"


class CaseOutcome(db.Model):
    """One before/after measurement of a case, e.g. R&D cycle 90 -> 36 days."""

    __tablename__ = "case_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    metric: Mapped[OutcomeMetric] = mapped_column(str_enum(OutcomeMetric))
    label: Mapped[str] = mapped_column(sa.String(60))
    before_value: Mapped[float]
    after_value: Mapped[float]
    unit: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)

    listing: Mapped[Listing] = relationship(back_populates="outcomes")

    @property
    def change_percent(self) -> Optional[float]:
        """Relative change; None when the baseline is zero (a percentage would be meaningless)."""
        if not self.before_value:
            return None
        return round((self.after_value - self.before_value) / self.before_value * 100, 1)


class ListingMedia(db.Model):
    """An image attached to a listing, stored under instance/uploads, never in static/.

    `stored_name` is random and is the only name used on disk: the name the browser sent
    (`original_name`) is shown to people but never becomes part of a path.
    """

    __tablename__ = "listing_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(120), default="")
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    listing: Mapped[Listing] = relationship()


class ListingViewDay(db.Model):
    """How many visitor sessions opened a listing's public page on one day (display timezone).

    One row per listing and day, incremented with an upsert by the view beacon
    (catalog_app.listing_views): a daily table lets the supplier see "the last 30 days" as
    well as a total, and holds no visitor data at all, only the count.
    """

    __tablename__ = "listing_view_days"

    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    views: Mapped[int] = mapped_column(default=0)
