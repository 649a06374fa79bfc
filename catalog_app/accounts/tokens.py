"""Signed, expiring, single-use tokens for the links we email.

itsdangerous signs the payload with SECRET_KEY and a salt per purpose, so a token made for
one purpose never passes for another, and `max_age` makes it expire. Single use comes from
the payload: it carries a fingerprint of the state that using the token changes (the
password hash for a reset, the verification state for an email check), so once used the
fingerprint no longer matches. Invitations name a row that records its own use.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

EMAIL_VERIFICATION = "accounts.verify-email"
PASSWORD_RESET = "accounts.reset-password"
INVITATION = "accounts.invitation"

MAX_AGE_SETTING = {
    EMAIL_VERIFICATION: "EMAIL_VERIFICATION_MAX_AGE",
    PASSWORD_RESET: "PASSWORD_RESET_MAX_AGE",
    INVITATION: "INVITATION_MAX_AGE",
}


class InvalidToken(Exception):
    """Expired, tampered with, made for another purpose, or already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def fingerprint(*parts: object) -> str:
    """A short digest of state; the token reveals nothing of it (e.g. of the password hash)."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


def make_token(purpose: str, payload: list) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str) -> list:
    """The payload of a valid token, or InvalidToken."""
    if not token or len(token) > 1000:
        raise InvalidToken
    max_age = current_app.config[MAX_AGE_SETTING[purpose]]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidToken from error
    if not isinstance(payload, list):
        raise InvalidToken
    return payload
