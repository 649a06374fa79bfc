"""Expert reviewers: accounts created by staff, assigned to events, and their events.

An expert belongs to no organization, so the organization invitation (which joins one) does
not fit. Staff create the account with an unusable random password and the person gets a
"choose your password" link: the password-reset token and page of catalog_app.accounts, so
the link is signed, expires and works once, exactly like a reset. When it expired, the
login page's "forgot password" (or staff's "send the link again") gives a new one.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from catalog_app.accounts.emails import reset_token
from catalog_app.accounts.passwords import hash_password
from catalog_app.accounts.services import find_user_by_email, normalize_email
from catalog_app.challenges import permissions
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import Event, EventExpert, EventStatus, User, UserRole
from catalog_app.models._types import utcnow
from catalog_app.notifications.services import send_email
from catalog_app.public_urls import public_url


def all_experts() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role == UserRole.EXPERT, User.deleted_at.is_(None), User.is_active.is_(True))
        .order_by(User.display_name, User.id)))


def event_experts(event: Event) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(EventExpert, EventExpert.user_id == User.id)
        .where(EventExpert.event_id == event.id).order_by(EventExpert.assigned_at, User.id)))


def queue_expert_invitation(expert: User, event: Event | None) -> None:
    """The "choose your password" mail; the link is the password-reset link (see module doc)."""
    link = public_url("accounts.reset_password", token=reset_token(expert))
    with force_locale(expert.locale):
        subject = _("You are invited as an expert reviewer")
    send_email(expert.email, subject, "challenges_expert_invitation", expert.locale, expert=expert, event=event,
               link=link, login_link=public_url("accounts.login"),
               hours=max(1, round(current_app.config["PASSWORD_RESET_MAX_AGE"] / 3600)))


def create_expert(actor: User, event: Event, display_name: str, email: str, locale: str = "zh") -> User:
    """A new expert account assigned to `event`, or the existing expert with that address.

    An address that belongs to an enterprise, supplier or staff account is refused: one
    person, one role, and an expert must not score a round their own company takes part in.
    """
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    email = normalize_email(email)
    display_name = (display_name or "").strip()
    if not display_name:
        raise RoundError(_("Enter the expert's name."), "display_name")
    expert = find_user_by_email(email)
    if expert is not None and expert.role is not UserRole.EXPERT:
        raise RoundError(_("This address belongs to an account that is not an expert account."), "email")
    if expert is None:
        expert = User(email=email, display_name=display_name[:60], role=UserRole.EXPERT, locale=locale,
                      password_hash=hash_password(secrets.token_urlsafe(32)))
        db.session.add(expert)
        db.session.flush()
        queue_expert_invitation(expert, event)
    _assign(event, expert)
    db.session.commit()
    return expert


def _assign(event: Event, expert: User) -> None:
    if db.session.get(EventExpert, (event.id, expert.id)) is None:
        db.session.add(EventExpert(event_id=event.id, user_id=expert.id))
        db.session.flush()


def assign_expert(actor: User, event: Event, user_id: int) -> User:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    expert = db.session.get(User, user_id)
    if expert is None or expert.role is not UserRole.EXPERT or expert.deleted_at is not None:
        raise RoundError(_("Choose an expert from the list."), "user_id")
    _assign(event, expert)
    db.session.commit()
    return expert


def unassign_expert(actor: User, event: Event, user_id: int) -> None:
    """The expert's scores stay (they were given); the expert no longer sees the event."""
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    link = db.session.get(EventExpert, (event.id, user_id))
    if link is not None:
        db.session.delete(link)
    db.session.commit()


def resend_invitation(actor: User, event: Event, user_id: int) -> User:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    expert = db.session.get(User, user_id)
    if expert is None or db.session.get(EventExpert, (event.id, user_id)) is None:
        raise Forbidden()
    queue_expert_invitation(expert, event)
    db.session.commit()
    return expert


def assigned_events(expert: User) -> list[Event]:
    """The published events the expert reviews, upcoming first, then past (latest first)."""
    if getattr(expert, "role", None) is not UserRole.EXPERT:
        return []
    events = list(db.session.scalars(
        sa.select(Event).join(EventExpert, EventExpert.event_id == Event.id)
        .where(EventExpert.user_id == expert.id, Event.status == EventStatus.PUBLISHED)
        .options(joinedload(Event.region))))
    now = utcnow()
    upcoming = sorted((event for event in events if event.ends_at >= now), key=lambda event: event.starts_at)
    past = sorted((event for event in events if event.ends_at < now), key=lambda event: event.starts_at, reverse=True)
    return upcoming + past
