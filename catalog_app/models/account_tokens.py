"""Invitations: an organization admin asks a colleague, by email, to join the organization.

The emailed link carries a signed, expiring token naming one row here; the row makes the
link single-use (`accepted_at`) and revocable (`revoked_at`). Email verification and
password reset need no table: their tokens carry a fingerprint of the state they change.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import utcnow
from catalog_app.models.accounts import User
from catalog_app.models.organizations import Organization


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    invited_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]

    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[Optional[User]] = relationship()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
