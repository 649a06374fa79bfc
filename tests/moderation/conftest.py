"""Moderation fixtures: a moderator, a supplier's listing waiting for review, a signed-in client."""
from __future__ import annotations

import pytest

from catalog_app.extensions import db
from catalog_app.models import ListingStatus, UserRole
from catalog_app.moderation import services
from tests.conftest import login_as


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR, display_name="审核员小王")


@pytest.fixture
def supplier(create_user):
    return create_user(role=UserRole.SUPPLIER, display_name="供应商张工")


@pytest.fixture
def submit(app):
    """Submit an object for review as `user`, committed, as the owners' services will."""
    def submit(obj, user):
        revision = services.submit_for_review(obj, user)
        db.session.commit()
        return revision

    return submit


@pytest.fixture
def pending_listing(create_listing, supplier, submit):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT,
                             title="机器视觉缺陷检测方案", body="适用于五金行业的表面缺陷检测。")
    submit(listing, supplier)
    return listing


@pytest.fixture
def moderator_client(client, moderator):
    login_as(client, moderator)
    return client


@pytest.fixture
def sent_emails(monkeypatch):
    """Calls to send_email made by moderation, recorded and passed on to the real function."""
    calls = []
    real_send_email = services.send_email

    def recording_send_email(recipient, subject, template, locale="zh", **context):
        calls.append({"recipient": recipient, "subject": subject, "template": template, "locale": locale,
                      "context": context})
        return real_send_email(recipient, subject, template, locale, **context)

    monkeypatch.setattr(services, "send_email", recording_send_email)
    return calls
