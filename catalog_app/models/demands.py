"""Demands: problems that enterprises post for suppliers to answer (龙头企业出题)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.organizations import Organization
from catalog_app.models.taxonomy import Industry, Region, Scenario, Technology


class DemandStatus(enum.Enum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    PUBLISHED = "published"
    IN_TALKS = "in_talks"
    SOLVED = "solved"
    CLOSED = "closed"
    REJECTED = "rejected"


# Demands a supplier can still see and answer in the public catalog.
PUBLIC_DEMAND_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.SOLVED)


class Confidentiality(enum.Enum):
    PUBLIC = "public"
    SUMMARY_ONLY = "summary_only"


def _link_table(name: str, column: str, target: str) -> sa.Table:
    return sa.Table(
        name,
        db.metadata,
        sa.Column("demand_id", sa.ForeignKey("demands.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(column, sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


demand_industries = _link_table("demand_industries", "industry_id", "industries")
demand_scenarios = _link_table("demand_scenarios", "scenario_id", "scenarios")
demand_technologies = _link_table("demand_technologies", "technology_id", "technologies")


# The columns an enterprise writes and a moderator reviews (taxonomy links and region aside;
# the review snapshot shows the region by name): the editor and the snapshot read this tuple.
DEMAND_CONTENT_FIELDS = ("title", "summary", "background", "requirements", "expected_outcomes", "data_available",
                         "confidential_details", "confidentiality", "budget_min", "budget_max", "deadline",
                         "is_challenge", "prize_amount", "challenge_deadline")


class Demand(db.Model):
    __tablename__ = "demands"
    __table_args__ = (
        sa.Index("ix_demands_status_published", "status", "published_at"),
        sa.CheckConstraint(
            "budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max", name="budget_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    background: Mapped[str] = mapped_column(sa.Text, default="")
    requirements: Mapped[str] = mapped_column(sa.Text, default="")
    expected_outcomes: Mapped[str] = mapped_column(sa.Text, default="")
    # What data the enterprise can provide (images, MES records …): suppliers size a proposal by it.
    data_available: Mapped[str] = mapped_column(sa.Text, default="")
    # Details that only suppliers approved by the enterprise may read.
    confidential_details: Mapped[str] = mapped_column(sa.Text, default="")
    confidentiality: Mapped[Confidentiality] = mapped_column(
        str_enum(Confidentiality), default=Confidentiality.PUBLIC
    )
    # Budget in units of 10,000 yuan (万元), as the source platforms quote it.
    budget_min: Mapped[Optional[int]]
    budget_max: Mapped[Optional[int]]
    deadline: Mapped[Optional[date]]
    region_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    is_challenge: Mapped[bool] = mapped_column(default=False, index=True)
    prize_amount: Mapped[Optional[int]]
    challenge_deadline: Mapped[Optional[date]]
    status: Mapped[DemandStatus] = mapped_column(str_enum(DemandStatus), default=DemandStatus.DRAFT)
    published_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    organization: Mapped[Organization] = relationship()
    region: Mapped[Optional[Region]] = relationship()
    industries: Mapped[list[Industry]] = relationship(secondary=demand_industries)
    scenarios: Mapped[list[Scenario]] = relationship(secondary=demand_scenarios)
    technologies: Mapped[list[Technology]] = relationship(secondary=demand_technologies)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_DEMAND_STATUSES


class DemandAttachment(db.Model):
    """A PDF or image attached to a demand, stored under instance/uploads/demands.

    `is_public` is the owner's choice per file: a public file of a public demand is for
    everyone; any other file only for the owner organization, moderators and the suppliers
    the enterprise approved (see `demands.permissions.can_view_attachment`).
    """

    __tablename__ = "demand_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(sa.ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(120))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    is_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    demand: Mapped[Demand] = relationship()
