"""Use-cases of a supplier's own listings, called directly."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.listings import services
from catalog_app.listings.services import ListingActionError, ListingInput, OutcomeInput
from catalog_app.models import (
    AuditEntry,
    ListingKind,
    ListingStatus,
    OutcomeMetric,
    ReviewDecision,
    Revision,
    Scenario,
    UserRole,
)


def _scenario(index=0) -> Scenario:
    return db.session.scalars(sa.select(Scenario).order_by(Scenario.id)).all()[index]


def test_editing_a_published_listing_queues_the_edit_and_keeps_it_public(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED, title="旧标题")
    resubmitted = services.update_listing(listing, ListingInput(title="新标题", summary="摘要"), supplier)
    assert resubmitted is True
    db.session.expire_all()
    assert listing.status is ListingStatus.PUBLISHED and listing.title == "旧标题"  # the approved text stays
    revision = db.session.scalar(sa.select(Revision).where(Revision.object_id == listing.id))
    assert revision.decision is ReviewDecision.PENDING and revision.snapshot["title"] == "新标题"
    assert services.editable_version(listing).title == "新标题"  # the owner's editor shows the edit


def test_editing_a_draft_keeps_it_a_draft(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    assert services.update_listing(listing, ListingInput(title="草稿"), supplier) is False
    assert listing.status is ListingStatus.DRAFT


def test_changing_only_taxonomy_moves_updated_at(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    before = listing.updated_at = listing.updated_at - timedelta(hours=1)
    db.session.commit()
    values = ListingInput(title=listing.title, summary=listing.summary, body=listing.body,
                          expires_at=listing.expires_at, scenario_ids=(_scenario().id,))
    services.update_listing(listing, values, supplier)
    assert listing.updated_at > before


def test_case_outcomes_and_links_are_saved(supplier, create_listing):
    solution = create_listing(organization=supplier.organization)
    case = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT)
    values = ListingInput(title="某电子厂排产案例", customer_name="某电子厂", linked_ids=(solution.id,), outcomes=(
        OutcomeInput(OutcomeMetric.CYCLE_TIME, "研发周期", 90, 36, "天"),
        OutcomeInput(OutcomeMetric.YIELD, "良率", 92.5, 98.1, "%")))
    services.update_listing(case, values, supplier)
    assert [(o.label, o.before_value, o.after_value, o.position) for o in case.outcomes] == [
        ("研发周期", 90, 36, 0), ("良率", 92.5, 98.1, 1)]
    assert case.linked == [solution]
    assert case.customer_name == "某电子厂"


def test_a_case_cannot_link_another_organizations_listing(supplier, create_listing):
    foreign = create_listing()
    case = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT,
                          title="原标题")
    with pytest.raises(ListingActionError):
        services.update_listing(case, ListingInput(title="改了", linked_ids=(foreign.id,)), supplier)
    db.session.rollback()
    assert case.title == "原标题" and case.linked == []


def test_expiry_in_the_past_is_refused(supplier):
    with pytest.raises(ListingActionError):
        services.create_listing(ListingKind.SOLUTION, ListingInput(title="x", expires_at=date.today() - timedelta(days=1)),
                                supplier)


def test_submit_uses_the_moderation_workflow(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    services.submit_listing(listing, supplier)
    assert listing.status is ListingStatus.PENDING_REVIEW
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_id == listing.id)).all()
    assert "submitted" in actions


def test_withdraw_takes_a_listing_out_of_the_catalog_and_the_queue(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    services.submit_listing(listing, supplier)
    services.withdraw_listing(listing, supplier)
    assert listing.status is ListingStatus.DRAFT
    decisions = db.session.scalars(sa.select(Revision.decision).where(Revision.object_id == listing.id)).all()
    assert decisions == [ReviewDecision.WITHDRAWN]


@pytest.mark.parametrize("days_left, allowed", [(61, False), (60, True), (5, True), (-30, True)])
def test_renewal_window(supplier, create_listing, days_left, allowed):
    today = date.today()
    listing = create_listing(organization=supplier.organization, expires_at=today + timedelta(days=days_left))
    if not allowed:
        with pytest.raises(ListingActionError):
            services.renew_listing(listing, supplier, today=today)
        return
    new_expiry = services.renew_listing(listing, supplier, today=today)
    assert new_expiry == max(today + timedelta(days=days_left), today) + timedelta(days=365)


def test_renewing_an_expired_published_listing_brings_it_back(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED,
                             expires_at=date.today() - timedelta(days=3))
    listing.status = ListingStatus.EXPIRED
    services.renew_listing(listing, supplier)
    assert listing.status is ListingStatus.PUBLISHED


def test_duplicate_makes_a_draft_copy_with_taxonomy_and_outcomes(supplier, create_listing):
    case = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT)
    services.update_listing(case, ListingInput(title="原案例", scenario_ids=(_scenario().id,), outcomes=(
        OutcomeInput(OutcomeMetric.COST, "成本", 100, 80, "万元"),)), supplier)
    copy = services.duplicate_listing(case, supplier)
    assert copy.id != case.id and copy.status is ListingStatus.DRAFT
    assert copy.title == "原案例（副本）"
    assert [s.id for s in copy.scenarios] == [_scenario().id]
    assert [(o.label, o.after_value) for o in copy.outcomes] == [("成本", 80)]
    assert case.outcomes[0].id != copy.outcomes[0].id


def test_archive_makes_a_listing_read_only(supplier, create_listing):
    listing = create_listing(organization=supplier.organization)
    services.archive_listing(listing, supplier)
    assert listing.status is ListingStatus.ARCHIVED
    with pytest.raises(ListingActionError):
        services.update_listing(listing, ListingInput(title="x"), supplier)


@pytest.mark.parametrize("action", ["update", "withdraw", "archive", "renew", "duplicate", "submit"])
def test_another_suppliers_listing_is_refused_by_every_use_case(create_user, create_listing, action):
    intruder = create_user(role=UserRole.SUPPLIER)
    listing = create_listing(status=ListingStatus.PUBLISHED, expires_at=date.today() + timedelta(days=3), title="别家")
    use_case = {
        "update": lambda: services.update_listing(listing, ListingInput(title="被改"), intruder),
        "withdraw": lambda: services.withdraw_listing(listing, intruder),
        "archive": lambda: services.archive_listing(listing, intruder),
        "renew": lambda: services.renew_listing(listing, intruder),
        "duplicate": lambda: services.duplicate_listing(listing, intruder),
        "submit": lambda: services.submit_listing(listing, intruder),
    }[action]
    with pytest.raises(ListingActionError):
        use_case()
    db.session.rollback()
    assert listing.title == "别家" and listing.status is ListingStatus.PUBLISHED
