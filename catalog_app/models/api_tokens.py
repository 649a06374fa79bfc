"""Personal API tokens: how scripts act for a user on the JSON API (`/api/v1`).

Only the SHA-256 of a token is stored: the token itself is shown once, when it is created,
and a copy of the database does not let anyone call the API. A token carries scopes
(`demands:write`, `listings:write`) so that a script given to a colleague can do one thing;
reads are public and need no token. Revoking sets `revoked_at`; the row stays for the audit.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import utcnow
from catalog_app.models.accounts import User


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters of the token, shown in the list so people can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    # Space-separated scope names, e.g. "demands:write listings:write".
    scopes: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]

    user: Mapped[User] = relationship()

    @property
    def scope_names(self) -> tuple[str, ...]:
        return tuple(self.scopes.split())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
