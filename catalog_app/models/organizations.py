"""Organizations: the enterprises that post demands and the suppliers that answer them."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.taxonomy import Industry, Region


class OrganizationKind(enum.Enum):
    ENTERPRISE = "enterprise"
    SUPPLIER = "supplier"
    INSTITUTE = "institute"
    SERVICE = "service"


class OrganizationTier(enum.Enum):
    """Size tiers as the Guangdong platform reports them (链主 / 规上 / 中小 / 一人公司)."""

    CHAIN_LEADER = "chain_leader"
    ABOVE_SIZE = "above_size"
    SME = "sme"
    ONE_PERSON = "one_person"


organization_industries = sa.Table(
    "organization_industries",
    db.metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("industry_id", sa.ForeignKey("industries.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    kind: Mapped[OrganizationKind] = mapped_column(str_enum(OrganizationKind), index=True)
    tier: Mapped[OrganizationTier] = mapped_column(str_enum(OrganizationTier), index=True)
    region_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(60), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    founded_year: Mapped[Optional[int]]
    is_verified: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    region: Mapped[Optional[Region]] = relationship()
    industries: Mapped[list[Industry]] = relationship(secondary=organization_industries)
