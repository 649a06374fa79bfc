"""Signed links in emails: feedback, tracked opens, unsubscribe; absolute URLs on PUBLIC_BASE_URL.

Tokens are itsdangerous signatures over `[purpose-specific payload]` with SECRET_KEY and a
salt per purpose, so a feedback token never passes as an unsubscribe token. They expire
(`NOTIFICATIONS_LINK_MAX_AGE`, `NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE`). They are not single
use: the actions they allow are idempotent (record a verdict, mark viewed, switch a kind
off), so a second click changes nothing, and the outbox row keeps the rendered links, so a
resent message carries the same ones.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from catalog_app.public_urls import public_url

FEEDBACK = "notifications.feedback"
OPEN = "notifications.open"
UNSUBSCRIBE = "notifications.unsubscribe"


class InvalidLink(Exception):
    """Forged, expired, made for another purpose, or malformed."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _max_age(purpose: str) -> int:
    if purpose == UNSUBSCRIBE:
        return int(current_app.config["NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE"])
    return int(current_app.config["NOTIFICATIONS_LINK_MAX_AGE"])


def make_token(purpose: str, payload: list) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, length: int) -> list:
    """The payload (a list of `length` items) of a valid token, or InvalidLink."""
    if not token or len(token) > 1000:
        raise InvalidLink
    try:
        payload = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidLink from error
    if not isinstance(payload, list) or len(payload) != length:
        raise InvalidLink
    return payload


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on `PUBLIC_BASE_URL`, the same from a request, the CLI or Celery."""
    return public_url(endpoint, **values)


def feedback_url(match_id: int, user_id: int, verdict: str) -> str:
    return external_url("notifications.feedback", token=make_token(FEEDBACK, [match_id, user_id, verdict]))


def open_url(match_id: int, user_id: int, target: str) -> str:
    """A tracked link: opening it marks the match viewed, then redirects to `target` ("demand"/"listing")."""
    return external_url("notifications.open_link", token=make_token(OPEN, [match_id, user_id, target]))


def unsubscribe_url(user_id: int, kind: str) -> str:
    return external_url("notifications.unsubscribe", token=make_token(UNSUBSCRIBE, [user_id, kind]))


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: mail clients offer a one-click button that POSTs to the URL."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
