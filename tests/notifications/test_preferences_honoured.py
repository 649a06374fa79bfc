"""Moderation and proposal e-mails respect a recipient who switched them off."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import ListingStatus, UserRole
from catalog_app.models.notification_settings import Frequency, NotificationPreference
from catalog_app.models.outbox import OutboxMessage
from catalog_app.moderation.services import approve_and_notify, submit_for_review
from catalog_app.proposals.services import ProposalInput, submit_proposal


def _mail_to(user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.recipient == user.email))


def _switch_off(user, kind: str) -> None:
    db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=Frequency.OFF))
    db.session.commit()


def _approve_listing_of(supplier, create_listing, create_user):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    submit_for_review(listing, supplier)
    db.session.commit()
    approve_and_notify(listing, create_user(UserRole.MODERATOR, organization=None))


def test_moderation_decision_is_mailed_by_default(app, create_user, create_listing):
    supplier = create_user(UserRole.SUPPLIER)
    _approve_listing_of(supplier, create_listing, create_user)
    assert _mail_to(supplier) == 1


def test_moderation_mail_switched_off_is_not_queued(app, create_user, create_listing):
    supplier = create_user(UserRole.SUPPLIER)
    _switch_off(supplier, "moderation")
    _approve_listing_of(supplier, create_listing, create_user)
    assert _mail_to(supplier) == 0


def test_proposal_mail_follows_the_enterprise_preference(app, create_user, create_demand):
    keen, quiet = create_user(UserRole.ENTERPRISE), create_user(UserRole.ENTERPRISE)
    _switch_off(quiet, "proposals")
    supplier = create_user(UserRole.SUPPLIER)
    for enterprise in (keen, quiet):
        demand = create_demand(organization=enterprise.organization)
        db.session.commit()
        submit_proposal(demand, ProposalInput("视觉检测方案", "三个月", 10, 20, []), [], supplier)
    assert _mail_to(keen) == 1
    assert _mail_to(quiet) == 0
