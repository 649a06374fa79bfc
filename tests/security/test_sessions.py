"""Sessions: a new token at login, copied cookies die at logout and password change, timeouts."""
from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa

from catalog_app.accounts.sessions import LAST_SEEN_KEY
from catalog_app.extensions import db
from catalog_app.models import UserSession
from catalog_app.models._types import utcnow
from tests.conftest import DEFAULT_PASSWORD, login_as

NEW_PASSWORD = "a brand new passphrase 7"


def _log_in(client, user):
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return response


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _is_logged_in(client) -> bool:
    response = client.get("/account")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def test_login_issues_a_new_session_token_and_drops_the_old_session(client, create_user):
    """Fixation: whatever session the visitor had before login is not the one authenticated."""
    user = create_user()
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = "token-chosen-by-an-attacker"
        session["planted"] = "value"
    planted_cookie = _session_cookie(client)
    _log_in(client, user)
    with client.session_transaction() as session:
        first_token = session["_user_id"]
        assert first_token != "token-chosen-by-an-attacker" and "planted" not in session
    assert _session_cookie(client) != planted_cookie

    client.post("/logout")
    _log_in(client, user)
    with client.session_transaction() as session:
        assert session["_user_id"] != first_token
    client.set_cookie("session", planted_cookie)
    assert not _is_logged_in(client)


def test_a_cookie_copied_before_logout_stops_working(client, create_user):
    user = create_user()
    db.session.commit()
    _log_in(client, user)
    assert _is_logged_in(client)
    copied = _session_cookie(client)
    client.post("/logout")
    client.set_cookie("session", copied)
    assert not _is_logged_in(client)


def test_a_cookie_copied_before_a_password_change_stops_working(app, client, create_user):
    user = create_user()
    db.session.commit()
    thief = app.test_client()
    _log_in(thief, user)
    stolen = _session_cookie(thief)

    _log_in(client, user)
    response = client.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _is_logged_in(client)  # this browser stays in

    other = app.test_client()
    other.set_cookie("session", stolen)
    assert not _is_logged_in(other)
    assert not _is_logged_in(thief)


def test_a_cookie_copied_before_a_password_reset_stops_working(app, client, create_user):
    from catalog_app.accounts.emails import reset_token

    user = create_user()
    db.session.commit()
    _log_in(client, user)
    copied = _session_cookie(client)
    with app.test_request_context():
        token = reset_token(user)
    stranger = app.test_client()
    assert stranger.post(f"/password/reset/{token}",
                         data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 302
    client.set_cookie("session", copied)
    assert not _is_logged_in(client)


def test_an_idle_session_expires(app, client, create_user):
    login_as(client, create_user())
    assert _is_logged_in(client)
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = int(time.time()) - app.config["SESSION_IDLE_TIMEOUT"] - 5
    assert not _is_logged_in(client)


def test_a_session_in_use_does_not_go_idle(app, client, create_user):
    login_as(client, create_user())
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = int(time.time()) - app.config["SESSION_IDLE_TIMEOUT"] + 60
    assert _is_logged_in(client)
    with client.session_transaction() as session:
        assert session[LAST_SEEN_KEY] >= int(time.time()) - 5  # the request refreshed the clock


def test_a_session_expires_after_the_absolute_timeout_even_when_active(app, client, create_user):
    user = create_user()
    login_as(client, user)
    assert _is_logged_in(client)
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == user.id))
    row.created_at = utcnow() - timedelta(seconds=app.config["SESSION_ABSOLUTE_TIMEOUT"] + 5)
    db.session.commit()
    assert not _is_logged_in(client)
