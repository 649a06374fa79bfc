"""Who may do what with a supplier's listings.

Every rule is a named function so that services check it first and templates can ask the
same question before showing a button. A listing belongs to an organization, not to a
person: any supplier member of that organization may manage it.
"""
from __future__ import annotations

from datetime import date, timedelta

from catalog_app.models import Listing, ListingStatus, UserRole
from catalog_app.models.listings import ListingMedia
from catalog_app.moderation.files import is_file_approved

RENEWAL_WINDOW = timedelta(days=60)

WITHDRAWABLE = (ListingStatus.PUBLISHED, ListingStatus.PENDING_REVIEW)
SUBMITTABLE = (ListingStatus.DRAFT, ListingStatus.REJECTED)


def _is_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role is UserRole.SUPPLIER \
        and user.organization_id is not None


def can_manage_listings(user) -> bool:
    """Supplier members of an organization; enterprises, staff and anonymous visitors are not."""
    return _is_member(user)


def owns_listing(user, listing: Listing) -> bool:
    return _is_member(user) and listing.organization_id == user.organization_id


def can_edit_listing(user, listing: Listing) -> bool:
    """Archived listings are read-only; duplicate one to start again."""
    return owns_listing(user, listing) and listing.status is not ListingStatus.ARCHIVED


def can_submit_listing(user, listing: Listing) -> bool:
    return owns_listing(user, listing) and listing.status in SUBMITTABLE


def can_withdraw_listing(user, listing: Listing) -> bool:
    return owns_listing(user, listing) and listing.status in WITHDRAWABLE


def can_archive_listing(user, listing: Listing) -> bool:
    return owns_listing(user, listing) and listing.status is not ListingStatus.ARCHIVED


def can_duplicate_listing(user, listing: Listing) -> bool:
    return owns_listing(user, listing)


def is_renewable(listing: Listing, today: date | None = None) -> bool:
    """Within 60 days of expiry or already expired; listings without an expiry never need it."""
    if listing.expires_at is None or listing.status is ListingStatus.ARCHIVED:
        return False
    return listing.expires_at - (today or date.today()) <= RENEWAL_WINDOW


def can_renew_listing(user, listing: Listing, today: date | None = None) -> bool:
    return owns_listing(user, listing) and is_renewable(listing, today)


def can_view_listing_image(user, image: ListingMedia) -> bool:
    """Approved images of a public listing are public; the others only for the owners and
    moderators (a new image waits for review even when its listing is published)."""
    if getattr(user, "is_authenticated", False) and (user.is_staff or owns_listing(user, image.listing)):
        return True
    return is_public_image(image)


def is_public_image(image: ListingMedia) -> bool:
    return image.listing.is_public and is_file_approved(image)
