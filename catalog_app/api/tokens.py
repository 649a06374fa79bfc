"""Personal API tokens: create, list, revoke, and authenticate a request with one.

A token is `sc_` + 43 URL-safe characters (256 bits from `secrets`), so a plain SHA-256 is
enough to store it: there is nothing to brute-force that a slow hash would protect. The
token is returned once by `create_token`; afterwards only its hash and prefix exist.

The request's token is read once per request by `authenticate_request` (a before-request
hook of the API) and kept in `g.api_token`; views ask `require_scope(...)`.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden, Unauthorized

from catalog_app.extensions import db
from catalog_app.form_errors import Refusal
from catalog_app.models import ApiToken, User, UserRole
from catalog_app.models._types import utcnow

TOKEN_PREFIX = "sc_"
MAX_ACTIVE_TOKENS = 10

SCOPE_DEMANDS_WRITE = "demands:write"
SCOPE_LISTINGS_WRITE = "listings:write"
SCOPE_LABELS = {
    SCOPE_DEMANDS_WRITE: _l("Post and edit your organization's demands"),
    SCOPE_LISTINGS_WRITE: _l("Create and edit your organization's listings"),
}
# Which scopes make sense for which role: an enterprise posts demands, a supplier lists.
SCOPES_BY_ROLE = {
    UserRole.ENTERPRISE: (SCOPE_DEMANDS_WRITE,),
    UserRole.SUPPLIER: (SCOPE_LISTINGS_WRITE,),
    UserRole.MODERATOR: (),
    UserRole.EXPERT: (),
    UserRole.ADMIN: (),
}


class TokenError(Refusal):
    """A token that cannot be made (name, scopes, how many a user may hold)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the token itself: shown once, never stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def scopes_for(user: User) -> tuple[str, ...]:
    return SCOPES_BY_ROLE.get(user.role, ())


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, active first, newest first."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def create_token(user: User, name: str, scopes: tuple[str, ...] | list[str]) -> NewToken:
    """A new token for `user` with `scopes` (a subset of what the role allows); commits.

    :raises TokenError: for a scope the role cannot have, or too many active tokens.
    """
    allowed = set(scopes_for(user))
    if set(scopes) - allowed:
        raise TokenError(_l("Your account cannot have this permission."))
    active = db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)
                               .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if active >= MAX_ACTIVE_TOKENS:
        raise TokenError(_l("You have too many active tokens: revoke one first."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:60], token_hash=hash_token(secret),
                     prefix=secret[:10], scopes=" ".join(sorted(set(scopes))))
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent); commits.

    :raises TokenError: when the token is not the user's (someone else's id looks unknown).
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise TokenError(_l("Unknown token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def authenticate_request() -> None:
    """Set `g.api_token` from `Authorization: Bearer ...`; refuse a bad token with 401.

    No header means an anonymous (read-only) request. A header with a wrong, revoked or
    deactivated user's token is refused at once rather than treated as anonymous, so a
    script with a broken token fails loudly instead of silently reading public data.
    """
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    secret = _bearer_secret()
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        raise Unauthorized(str(_l("The API token is missing or malformed.")))
    digest = hash_token(secret)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest) or not token.is_active \
            or not token.user.is_active:
        raise Unauthorized(str(_l("The API token is invalid or has been revoked.")))
    g.api_token = token


def has_token() -> bool:
    return g.get("api_token") is not None


def require_scope(scope: str) -> User:
    """The token's user when the request carries a token with `scope`.

    :raises Unauthorized: without a token.
    :raises Forbidden: when the token lacks the scope.
    """
    token: ApiToken | None = g.get("api_token")
    if token is None:
        raise Unauthorized(str(_l("This operation needs an API token (Authorization: Bearer ...).")))
    if scope not in token.scope_names:
        raise Forbidden(str(_l("The API token lacks the scope %(scope)s.", scope=scope)))
    _touch(token)
    return token.user


def token_user() -> User | None:
    """The token's user whatever its scopes (reading one's own drafts needs no write scope)."""
    token: ApiToken | None = g.get("api_token")
    if token is None:
        return None
    _touch(token)
    return token.user


def _touch(token: ApiToken) -> None:
    """Record use at most once a minute: a write per request would serialize busy scripts."""
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        db.session.commit()
