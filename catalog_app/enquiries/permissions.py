"""Who may do what with enquiries.

Named functions, checked first by every service and asked again by templates before they
show a button. An enquiry has two sides: the members of the sending enterprise and the
members of the recipient supplier organization. Staff get no access to a thread: they see
only what a recipient chose to report (`EnquiryReport.reported_text`).
"""
from __future__ import annotations

from catalog_app.accounts.permissions import is_enterprise_member, is_member_of, is_staff
from catalog_app.models import Enquiry, EnquiryStatus, Organization

OPEN_THREAD = (EnquiryStatus.PENDING, EnquiryStatus.ACCEPTED)


def _in_organization(user, organization_id: int) -> bool:
    return (bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", False)
            and user.organization_id is not None and user.organization_id == organization_id)


def can_send_enquiry(user, organization: Organization | None) -> bool:
    """Enterprise members ask any other organization; nobody asks their own."""
    return (organization is not None and is_enterprise_member(user)
            and not is_member_of(user, organization))


def is_enquiry_sender(user, enquiry: Enquiry) -> bool:
    """A member of the enterprise that sent the enquiry (not only the person who wrote it)."""
    return _in_organization(user, enquiry.sender_organization_id)


def is_enquiry_recipient(user, enquiry: Enquiry) -> bool:
    """A member of the supplier organization the enquiry was sent to."""
    return _in_organization(user, enquiry.organization_id)


def can_view_enquiry(user, enquiry: Enquiry) -> bool:
    return is_enquiry_sender(user, enquiry) or is_enquiry_recipient(user, enquiry)


def can_post_message(user, enquiry: Enquiry) -> bool:
    """Both sides write while the enquiry is pending or accepted; a declined one is closed."""
    return enquiry.status in OPEN_THREAD and can_view_enquiry(user, enquiry)


def can_accept_enquiry(user, enquiry: Enquiry) -> bool:
    """The supplier accepts, which shares both sides' contacts."""
    return is_enquiry_recipient(user, enquiry) and enquiry.status is EnquiryStatus.PENDING


def can_decline_enquiry(user, enquiry: Enquiry) -> bool:
    return is_enquiry_recipient(user, enquiry) and enquiry.status is EnquiryStatus.PENDING


def can_see_contacts(user, enquiry: Enquiry) -> bool:
    """Contacts only once the supplier accepted, and only to the two sides."""
    return enquiry.status is EnquiryStatus.ACCEPTED and can_view_enquiry(user, enquiry)


def can_report_enquiry(user, enquiry: Enquiry, already_reported: bool) -> bool:
    """The recipient reports unsolicited or abusive enquiries, once per enquiry."""
    return is_enquiry_recipient(user, enquiry) and not already_reported


def can_review_reports(user) -> bool:
    return is_staff(user)
