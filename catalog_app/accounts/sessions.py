"""Server-side sessions on top of Flask-Login.

The signed cookie holds a random session token (as Flask-Login's user id) and the time of
the last request. The token's hash must match a live `UserSession` row, so logout and a
password change end every copy of the cookie. Idle and absolute timeouts are checked on
each request; the idle clock lives in the signed cookie so that a GET never writes to the
database.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, login_user, logout_user

from catalog_app.extensions import db
from catalog_app.models import ApiToken, User, UserSession
from catalog_app.models._types import utcnow

LAST_SEEN_KEY = "last_seen"

login_manager = LoginManager()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a new session row for `user` and log them in; the caller commits.

    A fresh token at every login means a session id planted before login (fixation) is
    never the one that becomes authenticated.
    """
    token = create_session_row(user, request.remote_addr or "", request.user_agent.string or "")
    session.clear()
    user.session_token = token
    login_user(user)
    session[LAST_SEEN_KEY] = int(time.time())
    return token


def create_session_row(user: User, ip_address: str = "", user_agent: str = "") -> str:
    """Store a new session for `user` and return its token (only the hash is stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token),
                               ip_address=ip_address[:45], user_agent=user_agent[:200]))
    db.session.flush()
    return token


def end_session() -> None:
    """Revoke the current session row and clear the cookie; the caller commits."""
    token = session.get("_user_id")
    if token:
        db.session.execute(
            sa.update(UserSession).where(UserSession.token_hash == _hash(token),
                                         UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
    logout_user()
    session.clear()


def revoke_all_sessions(user: User, keep_token: str | None = None) -> int:
    """Revoke every live session of a user (after a password change or reset)."""
    condition = [UserSession.user_id == user.id, UserSession.revoked_at.is_(None)]
    if keep_token:
        condition.append(UserSession.token_hash != _hash(keep_token))
    result = db.session.execute(sa.update(UserSession).where(*condition).values(revoked_at=utcnow()))
    return result.rowcount or 0


def revoke_api_tokens(user: User) -> int:
    """Revoke every active API token of a user (after a password change or reset).

    A token is a standing credential like a session: whoever copied one along with the old
    password must lose it too. The owner makes new tokens on the account page.
    """
    result = db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.revoked_at.is_(None))
                                .values(revoked_at=utcnow()))
    return result.rowcount or 0


def _load_user(token: str) -> User | None:
    row = db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    absolute = timedelta(seconds=current_app.config["SESSION_ABSOLUTE_TIMEOUT"])
    if utcnow() - row.created_at > absolute:
        return None
    user = row.user
    if user is None or not user.is_active:
        return None
    user.session_token = token
    return user


def _enforce_idle_timeout() -> None:
    if "_user_id" not in session:
        return
    now = int(time.time())
    last_seen = session.get(LAST_SEEN_KEY, 0)
    if now - last_seen > current_app.config["SESSION_IDLE_TIMEOUT"]:
        logout_user()
        session.clear()
        return
    if now - last_seen > 60:
        session[LAST_SEEN_KEY] = now


def _forget_cached_user() -> None:
    """Flask-Login caches the user on `g`; when one app context spans several requests (the
    test client inside an app context, as in tests/conftest.py), a logged-out or copied
    cookie would be judged by the previous request's user. Each request loads its own."""
    g.pop("_login_user", None)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the session table does the revocation
    app.before_request(_forget_cached_user)
    app.before_request(_enforce_idle_timeout)
