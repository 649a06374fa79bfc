"""One-click unsubscribe (RFC 8058) with a signed token naming the user and the kind of email.

Every recommendation email and digest carries `List-Unsubscribe: <…/notifications/unsubscribe/TOKEN>`
and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. Mail clients POST
`List-Unsubscribe=One-Click` to that URL without cookies or a CSRF token; the signature is
the authorisation, so the POST endpoint is exempt from CSRF and validates the token instead.
A person following the link in the body gets a page with one button (the same POST):
a GET never changes anything, so link scanners cannot unsubscribe anyone.
"""
from __future__ import annotations

from dataclasses import dataclass

from catalog_app.extensions import db
from catalog_app.models import Frequency, User
from catalog_app.notifications.links import UNSUBSCRIBE, InvalidLink, read_token
from catalog_app.notifications.preferences import DIGEST_PERIODS, KINDS, frequencies, set_frequency

DIGEST = "digest"  # the token kind of digest emails: switches off every kind that goes to a digest


@dataclass(frozen=True)
class UnsubscribeLink:
    user: User
    kind: str


def read_unsubscribe_link(token: str) -> UnsubscribeLink:
    """Validate without changing anything. Raises InvalidLink."""
    user_id, kind = read_token(UNSUBSCRIBE, token, 2)
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or (kind not in KINDS and kind != DIGEST):
        raise InvalidLink
    return UnsubscribeLink(user, kind)


def unsubscribe(token: str) -> UnsubscribeLink:
    """Switch the kind off (or, for a digest, every digest kind). Idempotent; commits. Raises InvalidLink."""
    link = read_unsubscribe_link(token)
    if link.kind == DIGEST:
        for kind, frequency in frequencies(link.user).items():
            if frequency in DIGEST_PERIODS:
                set_frequency(link.user, kind, Frequency.OFF)
    else:
        set_frequency(link.user, link.kind, Frequency.OFF)
    db.session.commit()
    return link
