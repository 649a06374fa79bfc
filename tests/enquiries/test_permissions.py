"""The named permission functions, one rule at a time."""
from __future__ import annotations

from flask_login import AnonymousUserMixin

from catalog_app.enquiries import permissions
from catalog_app.models import EnquiryStatus, UserRole


def test_who_may_send(listing, enterprise, supplier, outsider_supplier, create_user):
    organization = listing.organization
    assert permissions.can_send_enquiry(enterprise, organization)
    assert not permissions.can_send_enquiry(AnonymousUserMixin(), organization)
    assert not permissions.can_send_enquiry(supplier, organization)
    assert not permissions.can_send_enquiry(outsider_supplier, organization)
    assert not permissions.can_send_enquiry(create_user(role=UserRole.ADMIN, organization=None), organization)
    assert not permissions.can_send_enquiry(enterprise, enterprise.organization)  # never its own
    enterprise.is_active = False
    assert not permissions.can_send_enquiry(enterprise, organization)


def test_the_two_sides_and_nobody_else(send, enterprise, supplier, supplier_colleague, outsider_enterprise,
                                       outsider_supplier, create_user):
    enquiry = send()
    colleague = create_user(role=UserRole.ENTERPRISE, organization=enterprise.organization)
    for member in (enterprise, colleague):
        assert permissions.is_enquiry_sender(member, enquiry) and permissions.can_view_enquiry(member, enquiry)
        assert not permissions.can_accept_enquiry(member, enquiry)
    for member in (supplier, supplier_colleague):
        assert permissions.is_enquiry_recipient(member, enquiry) and permissions.can_accept_enquiry(member, enquiry)
    staff = create_user(role=UserRole.MODERATOR, organization=None)
    for outsider in (outsider_enterprise, outsider_supplier, staff, AnonymousUserMixin()):
        assert not permissions.can_view_enquiry(outsider, enquiry)
        assert not permissions.can_post_message(outsider, enquiry)
        assert not permissions.can_see_contacts(outsider, enquiry)
    assert permissions.can_review_reports(staff) and not permissions.can_review_reports(supplier)


def test_contacts_follow_the_status(send, enterprise, supplier):
    enquiry = send()
    assert not permissions.can_see_contacts(enterprise, enquiry)
    enquiry.status = EnquiryStatus.ACCEPTED
    assert permissions.can_see_contacts(enterprise, enquiry) and permissions.can_see_contacts(supplier, enquiry)
    assert not permissions.can_accept_enquiry(supplier, enquiry)
    enquiry.status = EnquiryStatus.DECLINED
    assert not permissions.can_see_contacts(enterprise, enquiry)
    assert not permissions.can_post_message(enterprise, enquiry)


def test_reporting_is_the_recipients_and_once(send, enterprise, supplier):
    enquiry = send()
    assert permissions.can_report_enquiry(supplier, enquiry, already_reported=False)
    assert not permissions.can_report_enquiry(supplier, enquiry, already_reported=True)
    assert not permissions.can_report_enquiry(enterprise, enquiry, already_reported=False)
