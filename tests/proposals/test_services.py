"""The proposal use-cases: rules, demand status, audit entries and emails, in one commit each."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    DeclineReason,
    DemandStatus,
    ListingStatus,
    OutboxMessage,
    Proposal,
    ProposalStatus,
    UserRole,
)
from catalog_app.proposals import services
from catalog_app.proposals.errors import ProposalError
from tests.proposals.conftest import proposal_input


def audit_actions(object_type: str, object_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id).order_by(AuditEntry.id)))


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_submit_stores_links_audits_and_emails_the_enterprise(submit, demand, supplier, enterprise, own_listing,
                                                              create_user):
    colleague = create_user(role=UserRole.ENTERPRISE, organization=enterprise.organization, locale="en")
    proposal = submit(listing_ids=[own_listing.id])
    db.session.expire_all()
    stored = db.session.get(Proposal, proposal.id)
    assert stored.status is ProposalStatus.SUBMITTED
    assert stored.organization_id == supplier.organization_id and stored.created_by_id == supplier.id
    assert [listing.id for listing in stored.listings] == [own_listing.id]
    assert (stored.price_min, stored.price_max) == (30, 50)
    assert audit_actions("proposal", proposal.id) == ["proposal_submitted"]
    emails = {message.recipient: message for message in outbox("proposals_submitted")}
    assert set(emails) == {enterprise.email, colleague.email}
    assert demand.title in emails[enterprise.email].body_text
    assert "New proposal" in emails[colleague.email].subject  # each recipient in their own language
    assert "收到新方案" in emails[enterprise.email].subject


def test_one_active_proposal_per_supplier_organization(submit, create_user, supplier, demand):
    submit()
    colleague = create_user(role=UserRole.SUPPLIER, organization=supplier.organization)
    with pytest.raises(ProposalError):
        submit(actor=colleague)
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 1


def test_after_withdrawing_the_organization_may_answer_again(submit, supplier):
    first = submit()
    services.withdraw_proposal(first, supplier)
    second = submit(approach="第二版方案")
    assert first.status is ProposalStatus.WITHDRAWN and first.withdrawn_at is not None
    assert second.id != first.id and second.status is ProposalStatus.SUBMITTED


@pytest.mark.parametrize("status", [DemandStatus.DRAFT, DemandStatus.PENDING_REVIEW, DemandStatus.SOLVED,
                                    DemandStatus.CLOSED, DemandStatus.REJECTED])
def test_only_open_or_in_talks_demands_take_answers(submit, create_demand, status):
    with pytest.raises(Forbidden):
        submit(target=create_demand(status=status))


def test_in_talks_demand_still_takes_answers(submit, create_demand):
    assert submit(target=create_demand(status=DemandStatus.IN_TALKS)).status is ProposalStatus.SUBMITTED


@pytest.mark.parametrize("role", [UserRole.ENTERPRISE, UserRole.MODERATOR, UserRole.ADMIN])
def test_only_suppliers_answer(submit, create_user, role):
    with pytest.raises(Forbidden):
        submit(actor=create_user(role=role))


def test_only_own_published_listings_can_be_linked(submit, create_listing, supplier):
    foreign = create_listing(title="别家的方案")
    draft = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    for listing in (foreign, draft):
        with pytest.raises(ProposalError) as error:
            submit(listing_ids=[listing.id])
        assert error.value.field == "listing_ids"
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


@pytest.mark.parametrize("overrides, field", [
    ({"price_min": 80, "price_max": 50}, "price_max"),
    ({"price_min": -1}, "price_min"),
    ({"approach": "  "}, "approach"),
    ({"approach": "长" * (services.APPROACH_MAX + 1)}, "approach"),
    ({"timeline": "x" * 201}, "timeline"),
])
def test_bad_input_is_refused_by_the_service(submit, overrides, field):
    with pytest.raises(ProposalError) as error:
        submit(**overrides)
    assert error.value.field == field


def test_supplier_edits_until_shortlisted(submit, supplier, enterprise):
    proposal = submit()
    services.update_proposal(proposal, proposal_input(approach="修订后的方案", price_max=60), [], supplier)
    assert proposal.approach == "修订后的方案" and proposal.price_max == 60
    services.shortlist_proposal(proposal, enterprise)
    with pytest.raises(Forbidden):
        services.update_proposal(proposal, proposal_input(approach="入围后偷改"), [], supplier)
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).approach == "修订后的方案"


def test_another_supplier_cannot_edit_or_withdraw(submit, other_supplier):
    proposal = submit()
    with pytest.raises(Forbidden):
        services.update_proposal(proposal, proposal_input(approach="篡改"), [], other_supplier)
    with pytest.raises(Forbidden):
        services.withdraw_proposal(proposal, other_supplier)


def test_first_shortlist_moves_the_demand_to_in_talks(submit, demand, enterprise, create_user):
    first = submit()
    second = submit(actor=create_user(role=UserRole.SUPPLIER))
    services.shortlist_proposal(first, enterprise)
    assert demand.status is DemandStatus.IN_TALKS
    assert audit_actions("demand", demand.id) == ["demand_in_talks"]
    services.shortlist_proposal(second, enterprise)
    assert audit_actions("demand", demand.id) == ["demand_in_talks"]  # only the first shortlist moves it
    assert audit_actions("proposal", first.id) == ["proposal_submitted", "proposal_shortlisted"]
    assert len(outbox("proposals_shortlisted")) == 2


@pytest.mark.parametrize("actor_fixture", ["supplier", "other_enterprise", "other_supplier"])
def test_only_the_demands_enterprise_decides(submit, request, actor_fixture):
    proposal = submit()
    actor = request.getfixturevalue(actor_fixture)
    with pytest.raises(Forbidden):
        services.shortlist_proposal(proposal, actor)
    with pytest.raises(Forbidden):
        services.decline_proposal(proposal, DeclineReason.COST, "", actor)
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status is ProposalStatus.SUBMITTED


def test_decline_needs_a_reason_and_other_needs_text(submit, enterprise):
    proposal = submit()
    with pytest.raises(ProposalError) as error:
        services.decline_proposal(proposal, None, "", enterprise)
    assert error.value.field == "reason"
    with pytest.raises(ProposalError) as error:
        services.decline_proposal(proposal, DeclineReason.OTHER, "   ", enterprise)
    assert error.value.field == "note"
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status is ProposalStatus.SUBMITTED


def test_declined_supplier_gets_the_reason(submit, enterprise, supplier):
    proposal = submit()
    services.decline_proposal(proposal, DeclineReason.OTHER, "已选定内部团队实施", enterprise)
    assert proposal.status is ProposalStatus.DECLINED and proposal.decline_reason is DeclineReason.OTHER
    [email] = outbox("proposals_declined")
    assert email.recipient == supplier.email
    assert "其他" in email.body_text and "已选定内部团队实施" in email.body_text
    assert audit_actions("proposal", proposal.id)[-1] == "proposal_declined"


def test_agreement_needs_a_shortlist_and_solves_the_demand(submit, demand, enterprise):
    proposal = submit()
    with pytest.raises(Forbidden):
        services.record_agreement(proposal, 40, "", enterprise)
    services.shortlist_proposal(proposal, enterprise)
    with pytest.raises(ProposalError):
        services.record_agreement(proposal, -5, "", enterprise)
    db.session.rollback()
    agreement = services.record_agreement(proposal, 45, "首期试点", enterprise)
    assert agreement.amount == 45 and proposal.status is ProposalStatus.AGREED
    assert demand.status is DemandStatus.SOLVED
    assert audit_actions("demand", demand.id) == ["demand_in_talks", "demand_solved"]
    assert "intent_agreement_recorded" in audit_actions("proposal", proposal.id)
    assert len(outbox("proposals_agreement")) == 1


def test_messages_go_both_ways_and_email_the_other_side(submit, enterprise, supplier):
    proposal = submit()
    services.post_message(proposal, "能否提供现场验证？", enterprise)
    services.post_message(proposal, "可以，两周内安排。", supplier)
    assert [m.side.value for m in proposal.messages] == ["enterprise", "supplier"]
    assert [m.recipient for m in outbox("proposals_message")] == [supplier.email, enterprise.email]
    assert proposal.first_response_at is not None


def test_supplier_message_is_not_an_enterprise_response(submit, supplier):
    proposal = submit()
    services.post_message(proposal, "补充说明", supplier)
    assert proposal.first_response_at is None


def test_outsiders_cannot_post_in_a_thread(submit, other_supplier, other_enterprise):
    proposal = submit()
    for outsider in (other_supplier, other_enterprise):
        with pytest.raises(Forbidden):
            services.post_message(proposal, "偷看", outsider)


def test_median_response_time(submit, demand, enterprise, create_user):
    proposals = [submit(actor=create_user(role=UserRole.SUPPLIER)) for _ in range(3)]
    for proposal, hours in zip(proposals, (2, 10, 30)):
        proposal.submitted_at = proposal.submitted_at - timedelta(hours=hours)
    db.session.commit()
    assert services.median_response_time(enterprise.organization_id) is None
    services.post_message(proposals[0], "请补充报价明细", enterprise)
    services.shortlist_proposal(proposals[1], enterprise)
    services.decline_proposal(proposals[2], DeclineReason.TOO_EARLY, "", enterprise)
    median = services.median_response_time(enterprise.organization_id)
    assert timedelta(hours=9, minutes=59) < median < timedelta(hours=10, minutes=1)


def test_deal_counts_platform_wide_and_per_organization(submit, demand, enterprise, supplier, create_user,
                                                        create_demand):
    other = create_user(role=UserRole.SUPPLIER)
    second_demand = create_demand()
    winning = submit()
    submit(actor=other)
    withdrawn = submit(target=second_demand, actor=other)
    services.withdraw_proposal(withdrawn, other)
    services.shortlist_proposal(winning, enterprise)
    services.record_agreement(winning, 120, "", enterprise)

    assert services.deal_counts() == services.DealCounts(demands_answered=1, proposals=2, agreements=1,
                                                         agreement_amount=120)
    assert services.deal_counts(enterprise.organization) == services.DealCounts(1, 2, 1, 120)
    assert services.deal_counts(supplier.organization) == services.DealCounts(1, 1, 1, 120)
    assert services.deal_counts(other.organization) == services.DealCounts(1, 1, 0, 0)
    assert services.deal_counts(second_demand.organization) == services.DealCounts(0, 0, 0, 0)


def test_a_lost_race_is_a_message_not_a_crash(submit, monkeypatch):
    submit()
    monkeypatch.setattr(services, "active_proposal", lambda demand, organization_id: None)  # both saw none
    with pytest.raises(ProposalError):
        submit(approach="同时提交的第二份")
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 1
