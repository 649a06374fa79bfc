"""Members of an organization: invitations by email, joining, removal.

A person belongs to at most one organization. Only its admins (`is_org_admin`) invite and
remove; an invitation link is signed, expires, and works once (the row records its use).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from catalog_app.accounts import permissions, throttle, tokens
from catalog_app.accounts.emails import queue_invitation_email
from catalog_app.accounts.errors import AccountError, NotAllowed, TooManyAttempts
from catalog_app.accounts.passwords import hash_password, password_problem
from catalog_app.accounts.services import ROLE_BY_KIND, find_user_by_email, normalize_email
from catalog_app.accounts.sessions import revoke_all_sessions, start_session
from catalog_app.accounts.tokens import InvalidToken
from catalog_app.extensions import db
from catalog_app.models import Invitation, Organization, User
from catalog_app.models._types import utcnow


def organization_members(organization: Organization) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.organization_id == organization.id)
        .order_by(User.is_org_admin.desc(), User.created_at, User.id)))


def open_invitations(organization: Organization) -> list[Invitation]:
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.organization_id == organization.id,
                                    Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc())))


def invite_member(actor: User, email: str, locale: str) -> Invitation:
    """Invite `email` to the actor's organization; a new invitation replaces an open one.

    The answer is the same whether or not the address has an account elsewhere: the form
    must not tell an admin who belongs to which organization. Such a person gets the
    invitation and is told, when they follow it, to leave their organization first.
    Invitations are limited per sender, per organization and per address (they carry the
    inviting organization's name into someone's inbox).
    """
    organization = actor.organization
    if not permissions.can_manage_members(actor, organization):
        raise NotAllowed()
    email = normalize_email(email)
    if not throttle.allow_invitation(actor.id, organization.id, email):
        raise TooManyAttempts(_("Too many invitations in a short time. Please try again later."))
    existing = find_user_by_email(email)
    if existing is not None and existing.organization_id == organization.id:
        # Members are listed on the same page: this tells the admin nothing new.
        raise AccountError(_("This person is already a member of your organization."), "email")
    for previous in db.session.scalars(sa.select(Invitation).where(
            Invitation.organization_id == organization.id, Invitation.email == email,
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        previous.revoked_at = utcnow()
    invitation = Invitation(organization=organization, email=email, invited_by=actor)
    db.session.add(invitation)
    db.session.flush()
    queue_invitation_email(invitation, locale)
    db.session.commit()
    return invitation


def load_invitation(token: str) -> Invitation:
    """The open invitation a valid token names, or InvalidToken (expired, used, revoked)."""
    payload = tokens.read_token(tokens.INVITATION, token)
    if len(payload) != 2 or not isinstance(payload[0], int):
        raise InvalidToken
    invitation = db.session.get(Invitation, payload[0])
    if invitation is None or not invitation.is_open or invitation.email != payload[1]:
        raise InvalidToken
    return invitation


def _join(user: User, invitation: Invitation) -> None:
    user.organization = invitation.organization
    user.role = ROLE_BY_KIND[invitation.organization.kind]
    user.is_org_admin = False
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link reached this address
    invitation.accepted_at = utcnow()


def accept_invitation_as_new_user(token: str, display_name: str, password: str, locale: str,
                                  terms_version: str | None = None) -> User:
    """Create the invited person's account, join the organization and log in; the person's
    consent to the terms and privacy policy (`terms_version`) is required and recorded."""
    if not terms_version:
        raise AccountError(_("Please agree to the Terms of Use and the Privacy Policy to register."), "accept_terms")
    invitation = load_invitation(token)
    if find_user_by_email(invitation.email) is not None:
        raise AccountError(_("You already have an account: log in to accept the invitation."))
    problem = password_problem(password, invitation.email)
    if problem:
        raise AccountError(str(problem), "password")
    user = User(email=invitation.email, password_hash=hash_password(password),
                display_name=display_name.strip(), role=ROLE_BY_KIND[invitation.organization.kind],
                locale=locale, terms_accepted_at=utcnow(), terms_version=terms_version)
    db.session.add(user)
    _join(user, invitation)
    db.session.flush()
    start_session(user)
    db.session.commit()
    return user


def accept_invitation_as_user(token: str, user: User) -> None:
    """Join with an existing account that belongs to no organization yet."""
    invitation = load_invitation(token)
    if user.email != invitation.email:
        raise AccountError(_("This invitation was sent to another email address."))
    if user.organization_id is not None:
        raise AccountError(_("You are already a member of an organization."))
    _join(user, invitation)
    db.session.commit()


def remove_member(actor: User, member_id: int) -> User:
    """Detach a member from the organization and end their sessions; the account remains."""
    member = db.session.get(User, member_id)
    if member is None or not permissions.can_remove_member(actor, member):
        raise NotAllowed()
    member.organization_id = None
    member.is_org_admin = False
    revoke_all_sessions(member)
    db.session.commit()
    return member


def revoke_invitation(actor: User, invitation_id: int) -> None:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not permissions.can_manage_members(actor, invitation.organization):
        raise NotAllowed()
    if invitation.is_open:
        invitation.revoked_at = utcnow()
    db.session.commit()
