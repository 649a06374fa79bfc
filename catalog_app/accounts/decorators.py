"""View decorators: `login_required` (Flask-Login's) and `role_required(*roles)`."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from catalog_app.accounts.permissions import has_role
from catalog_app.accounts.sessions import login_manager
from catalog_app.models import UserRole

__all__ = ["login_required", "role_required"]


def role_required(*roles: UserRole):
    """Only users with one of `roles`: anonymous visitors go to the login page, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
