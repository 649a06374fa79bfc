"""Moderation use-cases: the queue, decisions with their emails, verification, the audit trail."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    DemandStatus,
    ListingKind,
    ListingStatus,
    ReviewDecision,
    Revision,
    UserRole,
)
from catalog_app.moderation import services
from catalog_app.moderation.queries import review_detail
from catalog_app.credit_code import make_credit_code


def _audit_actions(obj_type, obj_id):
    return db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == obj_type, AuditEntry.object_id == obj_id).order_by(AuditEntry.id)).all()


# ---------------------------------------------------------------- queue

def test_queue_lists_pending_items_oldest_first_with_counts(create_listing, create_demand, supplier, submit,
                                                             create_user):
    enterprise_user = create_user(role=UserRole.ENTERPRISE)
    product = create_listing(ListingKind.PRODUCT, organization=supplier.organization, status=ListingStatus.DRAFT)
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT)
    solution = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    for obj, user in ((product, supplier), (demand, enterprise_user), (solution, supplier)):
        submit(obj, user)
    # The product was sent first; make the clock say so regardless of test speed.
    revisions = db.session.scalars(sa.select(Revision).order_by(Revision.id)).all()
    for offset, revision in enumerate(revisions):
        revision.submitted_at = revision.submitted_at - timedelta(hours=10 - offset)
    db.session.commit()

    queue = services.review_queue()

    # The owners' organizations were registered and nobody verified them: they wait too.
    assert [item.obj.id for item in queue.items if item.object_type != "organization"] == [
        product.id, demand.id, solution.id]
    assert queue.counts["organization"] == 2 and queue.counts["all"] == 5
    assert queue.counts["listing"] == 2 and queue.counts["demand"] == 1
    assert queue.counts["product"] == 1 and queue.counts["solution"] == 1 and queue.counts["case"] == 0
    assert [item.obj.id for item in services.review_queue("demand").items] == [demand.id]
    assert [item.obj.id for item in services.review_queue(kind=ListingKind.PRODUCT).items] == [product.id]


def test_queue_skips_decided_withdrawn_and_no_longer_pending_items(pending_listing, create_listing, supplier,
                                                                   moderator, submit):
    resubmitted = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    submit(resubmitted, supplier)
    submit(resubmitted, supplier)  # the first revision is now withdrawn
    pulled_back = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    submit(pulled_back, supplier)
    pulled_back.status = ListingStatus.DRAFT  # the owner took it back to draft
    services.approve_and_notify(pending_listing, moderator)

    queue = services.review_queue("listing")

    assert [item.obj.id for item in queue.items] == [resubmitted.id]
    assert queue.counts["listing"] == 1


def test_queue_marks_edits_of_approved_items(pending_listing, supplier, moderator, submit):
    services.approve_and_notify(pending_listing, moderator)
    pending_listing.title = "机器视觉缺陷检测方案（第二版）"
    submit(pending_listing, supplier)

    (item,) = services.review_queue("listing").items

    assert item.is_update is True


# ---------------------------------------------------------------- approve / reject

def test_approve_publishes_records_and_emails_the_owner_in_their_locale(pending_listing, supplier, moderator,
                                                                         create_user, sent_emails):
    colleague = create_user(role=UserRole.SUPPLIER, organization=supplier.organization, locale="en")
    create_user(role=UserRole.SUPPLIER, organization=supplier.organization, is_active=False)

    revision = services.approve_and_notify(pending_listing, moderator)

    db.session.expire_all()
    assert pending_listing.status is ListingStatus.PUBLISHED and pending_listing.published_at is not None
    assert revision.decision is ReviewDecision.APPROVED and revision.decided_by_id == moderator.id
    assert _audit_actions("listing", pending_listing.id) == ["submitted", "approved"]
    assert [(mail["recipient"], mail["locale"]) for mail in sent_emails] == [(supplier.email, "zh"),
                                                                             (colleague.email, "en")]
    assert sent_emails[0]["subject"] == "已发布：机器视觉缺陷检测方案"
    assert sent_emails[1]["subject"] == "Published: 机器视觉缺陷检测方案"
    assert {mail["template"] for mail in sent_emails} == {"moderation_approved"}


def test_reject_stores_the_reason_and_sends_it(pending_listing, supplier, moderator, sent_emails):
    from catalog_app.email_queue import render_email

    services.reject_and_notify(pending_listing, moderator, "缺少验收指标：请补充检测准确率")

    db.session.expire_all()
    assert pending_listing.status is ListingStatus.REJECTED
    rejected = db.session.scalar(sa.select(Revision).where(Revision.decision == ReviewDecision.REJECTED))
    assert rejected.reason == "缺少验收指标：请补充检测准确率"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "rejected"))
    assert entry.actor_id == moderator.id and entry.detail == {"reason": "缺少验收指标：请补充检测准确率"}
    (mail,) = sent_emails
    assert mail["recipient"] == supplier.email and mail["template"] == "moderation_rejected"
    text, html = render_email(mail["template"], mail["locale"], **mail["context"])
    assert "缺少验收指标：请补充检测准确率" in text and "机器视觉缺陷检测方案" in html


def test_reject_needs_a_reason(pending_listing, moderator, sent_emails):
    with pytest.raises(services.ReviewError):
        services.reject_and_notify(pending_listing, moderator, "   ")

    assert pending_listing.status is ListingStatus.PENDING_REVIEW
    assert sent_emails == []


@pytest.mark.parametrize("decide", [
    lambda obj, moderator: services.approve_and_notify(obj, moderator),
    lambda obj, moderator: services.reject_and_notify(obj, moderator, "重复发布"),
])
def test_deciding_twice_is_refused_without_writing(pending_listing, moderator, sent_emails, decide):
    services.approve_and_notify(pending_listing, moderator)
    entries_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    with pytest.raises(services.ReviewError):
        decide(pending_listing, moderator)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries_before
    assert pending_listing.status is ListingStatus.PUBLISHED
    assert len(sent_emails) == 1


def test_only_moderators_may_decide(pending_listing, supplier, create_user):
    admin = create_user(role=UserRole.ADMIN)

    with pytest.raises(Forbidden):
        services.approve_and_notify(pending_listing, supplier)
    with pytest.raises(Forbidden):
        services.reject_and_notify(pending_listing, supplier, "其他")
    services.approve_and_notify(pending_listing, admin)
    assert pending_listing.status is ListingStatus.PUBLISHED


def test_a_failing_email_rolls_the_decision_back(pending_listing, moderator, monkeypatch):
    def broken_send_email(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(services, "send_email", broken_send_email)

    with pytest.raises(RuntimeError):
        services.approve_and_notify(pending_listing, moderator)

    db.session.expire_all()
    assert pending_listing.status is ListingStatus.PENDING_REVIEW
    assert services.pending_revision(pending_listing) is not None
    assert _audit_actions("listing", pending_listing.id) == ["submitted"]


def test_demands_are_approved_like_listings(create_demand, create_user, moderator, submit, sent_emails):
    owner = create_user(role=UserRole.ENTERPRISE)
    demand = create_demand(organization=owner.organization, status=DemandStatus.DRAFT, created_by_id=owner.id)
    submit(demand, owner)

    services.approve_and_notify(demand, moderator)

    assert demand.status is DemandStatus.PUBLISHED
    assert [mail["recipient"] for mail in sent_emails] == [owner.email]
    assert _audit_actions("demand", demand.id) == ["submitted", "approved"]


# ---------------------------------------------------------------- review detail

def test_review_detail_diffs_against_the_last_approved_version(pending_listing, supplier, moderator, submit,
                                                               any_scenario):
    services.approve_and_notify(pending_listing, moderator)
    pending_listing.body = "适用于五金、陶瓷行业的表面缺陷检测。"
    pending_listing.scenarios.append(any_scenario)
    submit(pending_listing, supplier)

    detail = review_detail("listing", pending_listing.id)

    assert not detail.is_first_submission
    assert {change.name for change in detail.changes} == {"body", "scenarios"}
    body = next(change for change in detail.changes if change.name == "body")
    assert ("insert", "、陶瓷") in [(segment.op, segment.text) for segment in body.segments]
    scenarios = next(change for change in detail.changes if change.name == "scenarios")
    assert scenarios.added == [any_scenario.name_zh]


def test_review_detail_of_a_first_submission_has_no_diff(pending_listing):
    detail = review_detail("listing", pending_listing.id)

    assert detail.is_first_submission and detail.changes == []
    assert detail.snapshot["title"] == "机器视觉缺陷检测方案"


# ---------------------------------------------------------------- organizations

def test_verify_and_unverify_an_organization_with_audit(create_organization, moderator):
    organization = create_organization(credit_code=make_credit_code("91440300MA5FXXXX0"[:17]))

    services.verify_organization(organization, moderator, True)
    assert organization.is_verified is True
    services.verify_organization(organization, moderator, False)
    assert organization.is_verified is False

    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "organization")
                                 .order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["organization_verified", "organization_unverified"]
    assert entries[0].object_id == organization.id and entries[0].actor_id == moderator.id
    assert entries[0].detail["credit_code_valid"] is True


def test_verification_records_a_failing_credit_code(create_organization, moderator):
    organization = create_organization(credit_code="91440300MA5FXXXX01")
    services.verify_organization(organization, moderator, True)

    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "organization_verified"))
    assert entry.detail == {"credit_code": "91440300MA5FXXXX01", "credit_code_valid": False}


def test_verifying_twice_is_refused(create_organization, moderator, supplier):
    organization = create_organization()
    services.verify_organization(organization, moderator, True)

    with pytest.raises(services.ReviewError):
        services.verify_organization(organization, moderator, True)
    with pytest.raises(Forbidden):
        services.verify_organization(organization, supplier, False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1
