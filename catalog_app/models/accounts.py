"""People who sign in. Sign-up, sessions and roles' permissions come with the accounts feature."""
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Optional[Organization]] = relationship()
