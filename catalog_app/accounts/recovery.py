"""Email verification and password reset, by signed, expiring, single-use links.

The reset form answers the same whether or not the address has an account, so it cannot
be used to find out who is registered.
"""
from __future__ import annotations

from flask_babel import gettext as _

from catalog_app.accounts import throttle, tokens
from catalog_app.accounts.emails import queue_password_reset_email, queue_verification_email
from catalog_app.accounts.errors import AccountError, TooManyAttempts
from catalog_app.accounts.passwords import hash_password, password_problem
from catalog_app.accounts.services import find_user_by_email
from catalog_app.accounts.sessions import revoke_all_sessions, revoke_api_tokens
from catalog_app.accounts.timing import response_floor
from catalog_app.accounts.tokens import InvalidToken
from catalog_app.extensions import db
from catalog_app.models import User
from catalog_app.models._types import utcnow


def resend_verification(user: User) -> None:
    if user.email_verified_at is not None:
        raise AccountError(_("Your email address is already confirmed."))
    if not throttle.allow_account_email(user.email):
        raise TooManyAttempts(_("We sent several emails already. Please wait a few minutes."))
    queue_verification_email(user)
    db.session.commit()


def verify_email(token: str) -> User:
    """Mark the address confirmed; the token stops working once used or when the email changes."""
    payload = tokens.read_token(tokens.EMAIL_VERIFICATION, token)
    if len(payload) != 3:
        raise InvalidToken
    user_id, email, state = payload
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if (user is None or user.email != email
            or state != tokens.fingerprint(user.email, user.email_verified_at)):
        raise InvalidToken
    user.email_verified_at = utcnow()
    db.session.commit()
    return user


def request_password_reset(email: str, ip_address: str) -> None:
    """Mail a reset link when the address has an active account; silent otherwise.

    Limited per client address (a refusal says so: it reveals nothing about accounts) and
    per recipient address (silently). The request is padded to
    ACCOUNT_RESPONSE_FLOOR_SECONDS, so a known address, which costs a queued mail, takes
    as long as an unknown one.
    """
    if not throttle.allow_password_reset_request(ip_address):
        raise TooManyAttempts(_("Too many password reset requests from your network. Please try again later."))
    with response_floor():
        user = find_user_by_email(email)
        if user is None or not user.is_active:
            return
        if not throttle.allow_account_email(user.email):
            return  # the same answer as for an unknown address: no hint either way
        queue_password_reset_email(user)
        db.session.commit()


def user_for_reset_token(token: str) -> User:
    """The user a valid, unused reset token belongs to, or InvalidToken."""
    payload = tokens.read_token(tokens.PASSWORD_RESET, token)
    if len(payload) != 2 or not isinstance(payload[0], int):
        raise InvalidToken
    user = db.session.get(User, payload[0])
    if user is None or not user.is_active or payload[1] != tokens.fingerprint(user.password_hash):
        raise InvalidToken
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password, end every session and revoke every API token: whoever had the old
    password is logged out.

    The new hash changes the fingerprint in the token, which makes the link single-use.
    Following the link proves the address, so it also counts as email verification.
    """
    user = user_for_reset_token(token)
    problem = password_problem(new_password, user.email)
    if problem:
        raise AccountError(str(problem), "password")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    revoke_all_sessions(user)
    revoke_api_tokens(user)
    throttle.forget_login_attempts(user.email)
    db.session.commit()
    return user
