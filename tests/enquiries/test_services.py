"""The enquiry use-cases: sending, the thread, accepting, declining, reports, inbox, figures."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden, NotFound

from catalog_app.enquiries import figures, reports, services
from catalog_app.extensions import db
from catalog_app.models import (DemandStatus, Enquiry, EnquiryReport, EnquirySide, EnquiryStatus, ListingStatus,
                                UserRole)
from catalog_app.models._types import utcnow


def test_send_enquiry_stores_the_request(send, enterprise, supplier, listing, create_demand):
    demand = create_demand(organization=enterprise.organization, title="皮具划痕检测需求")
    deadline = date.today() + timedelta(days=30)
    enquiry = send(budget=80, deadline=deadline, demand_id=demand.id)
    stored = db.session.get(Enquiry, enquiry.id)
    assert stored.sender_organization_id == enterprise.organization_id
    assert stored.sender_id == enterprise.id
    assert stored.organization_id == supplier.organization_id
    assert stored.listing_id == listing.id and stored.demand_id == demand.id
    assert (stored.budget, stored.deadline) == (80, deadline)
    assert stored.status is EnquiryStatus.PENDING and stored.first_reply_at is None


def test_only_enterprise_members_send_and_never_to_their_own_organization(listing, supplier, outsider_supplier,
                                                                            create_user):
    data = services.EnquiryInput(body="想了解报价")
    with pytest.raises(Forbidden):
        services.send_enquiry(listing.organization, listing, data, outsider_supplier)
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    with pytest.raises(Forbidden):
        services.send_enquiry(listing.organization, listing, data, moderator)
    # An enterprise member of the supplier's own organization (unusual, but possible) may not ask itself.
    insider = create_user(role=UserRole.ENTERPRISE, organization=supplier.organization)
    with pytest.raises(Forbidden):
        services.send_enquiry(listing.organization, listing, data, insider)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enquiry)) == 0


@pytest.mark.parametrize("kwargs, field", [
    ({"body": "   "}, "body"),
    ({"body": "\u200b\u200b"}, "body"),
    ({"body": "x" * (services.BODY_MAX + 1)}, "body"),
    ({"body": "报价？", "budget": -1}, "budget"),
    ({"body": "报价？", "deadline": date.today() - timedelta(days=1)}, "deadline"),
])
def test_bad_input_is_refused_with_the_field(send, kwargs, field):
    with pytest.raises(services.EnquiryError) as raised:
        send(**kwargs)
    assert raised.value.field == field


def test_only_own_open_demands_can_be_linked(send, create_demand, enterprise):
    foreign = create_demand(title="别人的需求")
    with pytest.raises(services.EnquiryError) as raised:
        send(demand_id=foreign.id)
    assert raised.value.field == "demand_id"
    closed = create_demand(organization=enterprise.organization, status=DemandStatus.CLOSED)
    with pytest.raises(services.EnquiryError):
        send(demand_id=closed.id)


def test_targets_must_be_published(create_listing, supplier, create_organization):
    draft = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    with pytest.raises(NotFound):
        services.listing_target(draft.id)
    with pytest.raises(NotFound):
        services.organization_target(create_organization().id)  # nothing published: takes no enquiries


def test_thread_messages_mark_the_first_reply_and_unread(send, enterprise, supplier):
    enquiry = send()
    assert services.inbox_summary(supplier).received_unread == 1
    services.mark_read(enquiry, supplier)
    assert services.inbox_summary(supplier).received_unread == 0
    services.post_message(enquiry, "可以，先安排一次线上沟通。", supplier)
    assert enquiry.first_reply_at is not None
    first = enquiry.first_reply_at
    assert services.inbox_summary(enterprise).sent_unread == 1
    services.post_message(enquiry, "好的，周三下午方便。", enterprise)
    services.post_message(enquiry, "周三见。", supplier)
    assert enquiry.first_reply_at == first  # set once
    assert [m.side for m in enquiry.messages] == [EnquirySide.SUPPLIER, EnquirySide.ENTERPRISE, EnquirySide.SUPPLIER]


def test_outsiders_cannot_post_accept_or_read(send, outsider_supplier, outsider_enterprise, enterprise):
    enquiry = send()
    for outsider in (outsider_supplier, outsider_enterprise):
        with pytest.raises(Forbidden):
            services.post_message(enquiry, "hello", outsider)
        with pytest.raises(Forbidden):
            services.accept_enquiry(enquiry, "", outsider)
        with pytest.raises(Forbidden):
            services.mark_read(enquiry, outsider)
        assert services.shared_contacts(enquiry, outsider) is None
    with pytest.raises(Forbidden):  # the sender cannot accept its own enquiry
        services.accept_enquiry(enquiry, "", enterprise)


def test_accept_shares_both_contacts_only_with_the_two_sides(send, enterprise, supplier, supplier_colleague,
                                                             outsider_enterprise):
    enquiry = send()
    assert services.shared_contacts(enquiry, enterprise) is None
    assert services.shared_contacts(enquiry, supplier) is None
    services.accept_enquiry(enquiry, "欢迎联系。", supplier)
    assert enquiry.status is EnquiryStatus.ACCEPTED and enquiry.first_reply_at is not None
    assert enquiry.messages[-1].body == "欢迎联系。"
    for viewer in (enterprise, supplier, supplier_colleague):
        contacts = services.shared_contacts(enquiry, viewer)
        assert contacts["supplier"].contact_phone == supplier.organization.contact_phone
        assert contacts["supplier"].person_email == supplier.email  # the member who accepted
        assert contacts["enterprise"].person_email == enterprise.email
        assert contacts["enterprise"].contact_phone == enterprise.organization.contact_phone
    assert services.shared_contacts(enquiry, outsider_enterprise) is None


def test_decline_closes_the_thread_without_contacts(send, enterprise, supplier):
    enquiry = send()
    services.decline_enquiry(enquiry, "暂不承接该类项目。", supplier)
    assert enquiry.status is EnquiryStatus.DECLINED
    assert services.shared_contacts(enquiry, enterprise) is None
    with pytest.raises(Forbidden):
        services.post_message(enquiry, "为什么？", enterprise)
    with pytest.raises(Forbidden):
        services.accept_enquiry(enquiry, "", supplier)


def test_report_goes_to_moderators_once_and_upholding_closes(send, supplier, supplier_colleague, enterprise,
                                                             create_user):
    enquiry = send(body="低价推广，加微信领取优惠")
    with pytest.raises(Forbidden):  # the sender does not report its own enquiry
        reports.report_enquiry(enquiry, "", enterprise)
    report = reports.report_enquiry(enquiry, "广告", supplier)
    assert report.reported_text == "低价推广，加微信领取优惠"
    with pytest.raises(Forbidden):
        reports.report_enquiry(enquiry, "again", supplier_colleague)
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    with pytest.raises(Forbidden):
        reports.open_reports(supplier)
    assert [r.id for r in reports.open_reports(moderator)] == [report.id]
    reports.resolve_report(report, True, moderator)
    assert enquiry.status is EnquiryStatus.DECLINED
    with pytest.raises(services.EnquiryError):
        reports.resolve_report(report, False, moderator)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EnquiryReport)) == 1


def test_inbox_boxes_and_summary(send, enterprise, supplier, outsider_supplier):
    first = send(body="第一条询价")
    second = send(body="第二条询价")
    assert [row.enquiry.id for row in services.inbox(supplier, "received")] == [second.id, first.id]
    assert services.inbox(supplier, "sent") == []
    assert [row.enquiry.id for row in services.inbox(enterprise, "sent")] == [second.id, first.id]
    assert services.inbox(outsider_supplier, "received") == []
    services.post_message(first, "收到，稍后回复报价。", supplier)
    summary = services.inbox_summary(supplier)
    assert (summary.received, summary.received_awaiting_reply, summary.received_unread) == (2, 1, 1)
    assert summary.newest[0].enquiry.id == first.id  # newest activity first
    enterprise_summary = services.inbox_summary(enterprise)
    assert (enterprise_summary.sent, enterprise_summary.sent_unread, enterprise_summary.unread) == (2, 1, 1)


def test_reply_figures_median_and_rate(send, supplier, app):
    enquiries = [send(body=f"询价 {n}") for n in range(4)]
    now = utcnow()
    for enquiry, hours in zip(enquiries, (2, 4, 30)):
        enquiry.created_at = now - timedelta(hours=hours)
        enquiry.first_reply_at = now
    db.session.commit()
    reply = figures.reply_figures(supplier.organization_id)
    assert (reply.received, reply.replied) == (4, 3)
    assert reply.reply_rate == 0.75
    assert reply.median_first_reply == timedelta(hours=4)
    app.config["ENQUIRY_FIGURES_MIN_RECEIVED"] = 5
    assert figures.public_reply_figures(supplier.organization_id) is None
    app.config["ENQUIRY_FIGURES_MIN_RECEIVED"] = 4
    assert figures.public_reply_figures(supplier.organization_id).replied == 3
