"""People who sign in, and their server-side sessions.

Sessions are rows, not just signed cookies: Flask's cookie session cannot be revoked, so a
cookie copied before logout or before a password change would keep working. Here the cookie
carries only a random token whose hash must match a live row on every request.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import str_enum, utcnow
from catalog_app.models.organizations import Organization


class UserRole(enum.Enum):
    ENTERPRISE = "enterprise"
    SUPPLIER = "supplier"
    MODERATOR = "moderator"
    # Screens challenge-round demands and scores on-site pitches for the events staff assign.
    EXPERT = "expert"
    ADMIN = "admin"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(60), default="")
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole), index=True)
    organization_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("organizations.id"), index=True
    )
    is_org_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="zh")
    email_verified_at: Mapped[Optional[datetime]]
    password_changed_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Consent to the terms and privacy policy (PIPL): when, and to which version
    # (Config.LEGAL_DOCUMENTS_VERSION). Empty for accounts created before consent was recorded.
    terms_accepted_at: Mapped[Optional[datetime]]
    terms_version: Mapped[Optional[str]] = mapped_column(sa.String(20))
    # Set when the person deleted the account: the row stays, emptied of personal data, so
    # that the audit trail and the organization's content keep a valid reference.
    deleted_at: Mapped[Optional[datetime]]

    organization: Mapped[Optional[Organization]] = relationship()

    # Flask-Login protocol. The id Flask-Login stores in the cookie is the session token
    # (set by the login service), never the user id, so revoking the row logs the cookie out.
    session_token = None
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str | None:
        return self.session_token

    @classmethod
    def active_member_of(cls, organization_id) -> sa.ColumnElement[bool]:
        """SQL: an active account of the organization (`organization_id` an id or a column).

        The one rule for "the organization's members" that mail recipients, the review
        queue and the enquiry form share (notifications/members.py builds on it).
        """
        return sa.and_(cls.organization_id == organization_id, cls.is_active.is_(True))

    @property
    def is_staff(self) -> bool:
        return self.role in (UserRole.MODERATOR, UserRole.ADMIN)


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[Optional[datetime]]
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")

    user: Mapped[User] = relationship()
