"""Who may moderate: the one rule every moderation view and use-case checks first."""
from __future__ import annotations

from catalog_app.models import User, UserRole


def can_moderate(user: User | None) -> bool:
    """Moderators and administrators review submissions and verify organizations."""
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False) and user.role in (UserRole.MODERATOR, UserRole.ADMIN))
