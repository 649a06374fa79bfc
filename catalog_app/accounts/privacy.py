"""A person's rights over their account data (PIPL articles 45 and 47): a copy, and deletion.

What deletion does, and why (also stated on /privacy and the "My data" page):

- The person's own data goes: name, e-mail address, password, sessions, API tokens,
  notification preferences, digest entries, match feedback, saved searches, and the e-mails
  addressed to them in the outbox. The user row itself stays, emptied (`deleted_at` set, an
  unusable password, an address under `.invalid`), because reviews, the audit trail and the
  organization's demands, listings and proposals refer to it; those now show no name.
- The organization's content belongs to the organization, not to the person: demands,
  listings, proposals and messages stay, and the other members keep managing them. If the
  person was the organization's only administrator, the longest-standing other member becomes
  one. If the organization's contact was this person, the contact fields are cleared.
- If nobody else is left in the organization, nothing it published stays public without
  someone answerable: its published demands are closed and its published listings archived.
  The organization record stays (its credit code is reserved); a colleague asks the operator
  to restore access.
- Staff accounts (moderators, administrators) are removed by another administrator, not here,
  so that the platform is never left without one.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from catalog_app.accounts.errors import AccountError, NotAllowed
from catalog_app.accounts.passwords import hash_password, verify_password
from catalog_app.extensions import db
from catalog_app.models import (
    ApiToken,
    Demand,
    DemandStatus,
    DigestEntry,
    Listing,
    ListingStatus,
    MatchFeedback,
    NotificationPreference,
    OutboxMessage,
    Proposal,
    ProposalMessage,
    SavedSearch,
    User,
    UserSession,
)
from catalog_app.models._types import utcnow

EXPORT_FORMAT_VERSION = 1
DELETED_EMAIL_DOMAIN = "deleted.invalid"


def _iso(value) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"  # stored as UTC
    if isinstance(value, date):
        return value.isoformat()
    return value


def _enum(value) -> str | None:
    return value.value if value is not None else None


def export_account_data(user: User) -> dict:
    """Everything the platform holds about this person, as JSON-ready data.

    Organization content is listed as far as this person wrote it (their demands, proposals
    and messages): it is theirs to take along; the rest belongs to the organization.
    """
    organization = user.organization
    sessions = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)
                                  .order_by(UserSession.created_at)).all()
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at)).all()
    preferences = db.session.scalars(sa.select(NotificationPreference)
                                     .where(NotificationPreference.user_id == user.id)).all()
    searches = db.session.scalars(sa.select(SavedSearch).where(SavedSearch.user_id == user.id)).all()
    demands = db.session.scalars(sa.select(Demand).where(Demand.created_by_id == user.id)
                                 .order_by(Demand.id)).all()
    proposals = db.session.scalars(sa.select(Proposal).where(Proposal.created_by_id == user.id)
                                   .order_by(Proposal.id)).all()
    messages = db.session.scalars(sa.select(ProposalMessage).where(ProposalMessage.author_id == user.id)
                                  .order_by(ProposalMessage.id)).all()
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(utcnow()),
        "site": current_app.config["SITE_NAME_EN"],
        "account": {
            "id": user.id, "email": user.email, "display_name": user.display_name, "role": _enum(user.role),
            "locale": user.locale, "is_org_admin": user.is_org_admin, "created_at": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
            "password_changed_at": _iso(user.password_changed_at),
            "terms_accepted_at": _iso(user.terms_accepted_at), "terms_version": user.terms_version,
        },
        "organization": None if organization is None else {
            "id": organization.id, "name": organization.name, "credit_code": organization.credit_code,
            "kind": _enum(organization.kind), "tier": _enum(organization.tier),
            "contact_name": organization.contact_name, "contact_phone": organization.contact_phone,
            "contact_email": organization.contact_email,
        },
        "sessions": [{"created_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at),
                      "revoked_at": _iso(s.revoked_at), "ip_address": s.ip_address, "user_agent": s.user_agent}
                     for s in sessions],
        "api_tokens": [{"name": t.name, "prefix": t.prefix, "scopes": t.scopes, "created_at": _iso(t.created_at),
                        "last_used_at": _iso(t.last_used_at), "revoked_at": _iso(t.revoked_at)} for t in tokens],
        "notification_preferences": [{"kind": p.kind, "frequency": _enum(p.frequency)} for p in preferences],
        "saved_searches": [{"section": s.section, "query": s.query_string, "created_at": _iso(s.created_at)}
                           for s in searches],
        "demands_created": [{"id": d.id, "title": d.title, "status": _enum(d.status),
                             "created_at": _iso(getattr(d, "created_at", None))} for d in demands],
        "proposals_created": [{"id": p.id, "demand_id": p.demand_id, "status": _enum(p.status),
                               "submitted_at": _iso(p.submitted_at)} for p in proposals],
        "messages_written": [{"proposal_id": m.proposal_id, "body": m.body, "created_at": _iso(m.created_at)}
                             for m in messages],
    }


def delete_account(user: User, password: str) -> None:
    """Erase the person's data as the module docstring says; commits.

    :raises NotAllowed: for staff accounts.
    :raises AccountError: when the password is wrong (nothing is changed).
    """
    if user.is_staff:
        raise NotAllowed(_("Staff accounts are removed by another administrator."))
    if not verify_password(user.password_hash, password or ""):
        raise AccountError(_("The password is not correct."), "password")
    organization, email = user.organization, user.email
    for model in (UserSession, ApiToken, NotificationPreference, DigestEntry, MatchFeedback, SavedSearch):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    db.session.execute(sa.delete(OutboxMessage).where(sa.func.lower(OutboxMessage.recipient) == email.lower()))
    user.email = f"deleted-{user.id}@{DELETED_EMAIL_DOMAIN}"
    user.display_name = ""
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it
    user.is_active = False
    user.is_org_admin = False
    user.organization_id = None
    user.email_verified_at = None
    user.deleted_at = utcnow()
    if organization is not None:
        _hand_over(organization, email, user)
    db.session.commit()


def _hand_over(organization, email: str, leaving: User) -> None:
    """The organization after a member left: a contact that was theirs cleared, an
    administrator kept, and nothing public left without a member."""
    if (organization.contact_email or "").lower() == email.lower():
        organization.contact_name = organization.contact_phone = organization.contact_email = ""
    remaining = db.session.scalars(sa.select(User).where(
        User.active_member_of(organization.id), User.id != leaving.id,
    ).order_by(User.created_at, User.id)).all()
    if remaining:
        if not any(member.is_org_admin for member in remaining):
            remaining[0].is_org_admin = True
        return
    # Through the ORM, so `updated_at` moves and the search indexes drop the rows.
    for demand in db.session.scalars(sa.select(Demand).where(Demand.organization_id == organization.id,
                                                             Demand.status == DemandStatus.PUBLISHED)):
        demand.status = DemandStatus.CLOSED
    for listing in db.session.scalars(sa.select(Listing).where(Listing.organization_id == organization.id,
                                                               Listing.status == ListingStatus.PUBLISHED)):
        listing.status = ListingStatus.ARCHIVED
