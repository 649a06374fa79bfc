"""The demo data holds enquiry threads the demo accounts can open."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.enquiries import figures, services
from catalog_app.extensions import db
from catalog_app.models import Enquiry, EnquiryStatus, User


def test_demo_enquiries_cover_every_state_and_reach_demo_accounts(demo_app):
    enquiries = list(db.session.scalars(sa.select(Enquiry)))
    statuses = {enquiry.status for enquiry in enquiries}
    assert statuses == {EnquiryStatus.PENDING, EnquiryStatus.ACCEPTED, EnquiryStatus.DECLINED}
    assert any(enquiry.messages for enquiry in enquiries if enquiry.status is EnquiryStatus.PENDING)
    assert any(not enquiry.messages for enquiry in enquiries if enquiry.status is EnquiryStatus.PENDING)
    for enquiry in enquiries:
        assert enquiry.sender_organization_id != enquiry.organization_id
        assert enquiry.listing.organization_id == enquiry.organization_id
        assert all(m.created_at >= enquiry.created_at for m in enquiry.messages)
    supplier = db.session.scalar(sa.select(User).where(User.email == "supplier1@demo.example.com"))
    enterprise = db.session.scalar(sa.select(User).where(User.email == "enterprise1@demo.example.com"))
    assert services.inbox(supplier, "received")
    assert services.inbox(enterprise, "sent")
    accepted = next(e for e in enquiries if e.status is EnquiryStatus.ACCEPTED)
    sender = db.session.get(User, accepted.sender_id)
    assert services.shared_contacts(accepted, sender)["supplier"].organization == accepted.organization.name


def test_a_demo_supplier_profile_has_reply_figures(demo_app):
    counts = db.session.execute(sa.select(Enquiry.organization_id, sa.func.count()).group_by(Enquiry.organization_id))
    busiest = max(counts, key=lambda row: row[1])[0]
    reply = figures.public_reply_figures(busiest)
    assert reply is not None and reply.median_first_reply is not None
    assert 0 < reply.reply_rate < 1
