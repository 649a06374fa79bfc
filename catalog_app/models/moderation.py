"""Moderation records: submitted revisions awaiting a decision, and the audit log.

A revision keeps a JSON snapshot of what was submitted, so the moderator can be shown what
changed since the last approved version, and the owner can see why a version was rejected.
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


class ReviewDecision(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Revision(db.Model):
    __tablename__ = "revisions"
    __table_args__ = (sa.Index("ix_revisions_object", "object_type", "object_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(20))  # "listing" or "demand"
    object_id: Mapped[int]
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[ReviewDecision] = mapped_column(
        str_enum(ReviewDecision), default=ReviewDecision.PENDING, index=True)
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]]
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    submitted_by: Mapped[Optional[User]] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])


class AuditEntry(db.Model):
    """Who did what to which object, and when. Rows are only ever inserted."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(20))
    object_id: Mapped[Optional[int]]
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[Optional[User]] = relationship()
