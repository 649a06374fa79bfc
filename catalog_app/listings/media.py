"""Listing images: checked by their first bytes, stored outside the web root.

The browser's filename and Content-Type are not trusted: the type is decided by the
file's magic bytes, the name on disk is random, and the file is served only through
`listings.image`, which checks the listing's visibility first. SVG is not accepted: it
can carry script. A new image waits for a moderator (`moderation.files`) before anyone
but the owners and moderators sees it, even on a published listing.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _

from catalog_app.audit import record
from catalog_app.extensions import db
from catalog_app.listings import permissions
from catalog_app.listings.services import ListingActionError
from catalog_app.models import Listing, User
from catalog_app.models._types import utcnow
from catalog_app.models.listings import ListingMedia
from catalog_app.moderation import files as file_review

ALLOWED_EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                      ".gif": "image/gif", ".webp": "image/webp"}
EXTENSION_BY_TYPE = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}


def sniff_image_type(head: bytes) -> str | None:
    """The image type from the magic bytes, or None when it is not an image we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def media_dir() -> Path:
    return Path(current_app.config["LISTING_MEDIA_DIR"])


def media_path(media: ListingMedia) -> Path:
    return media_dir() / media.stored_name


def review_states(images: list[ListingMedia]) -> dict[int, str]:
    """Review state ("pending", "rejected") of each image that is not approved, for the editor."""
    decisions = file_review.file_decisions(file_review.LISTING_IMAGE, [image.id for image in images])
    return {image_id: decision.value for image_id, decision in decisions.items()
            if decision in file_review.HIDDEN_DECISIONS}


def listing_media(listing: Listing) -> list[ListingMedia]:
    return list(db.session.scalars(
        sa.select(ListingMedia).where(ListingMedia.listing_id == listing.id)
        .order_by(ListingMedia.position, ListingMedia.id)))


def _check_name(filename: str) -> str:
    name = (filename or "").strip()
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name or len(name) > 120:
        raise ListingActionError(_("The file name must be a plain name without folders."))
    if Path(name).suffix.lower() not in ALLOWED_EXTENSIONS:
        raise ListingActionError(_("Only PNG, JPEG, GIF and WebP images can be uploaded."))
    return name


def add_listing_image(listing: Listing, filename: str, stream, actor: User) -> ListingMedia:
    """Store one image; reads at most the size limit + 1 bytes, so a huge upload costs nothing."""
    if not permissions.can_edit_listing(actor, listing):
        raise ListingActionError(_("You cannot change this listing."))
    name = _check_name(filename)
    max_bytes = current_app.config["LISTING_MEDIA_MAX_BYTES"]
    if len(listing_media(listing)) >= current_app.config["LISTING_MEDIA_MAX_COUNT"]:
        raise ListingActionError(_("A listing can have at most %(count)d images.",
                                   count=current_app.config["LISTING_MEDIA_MAX_COUNT"]))
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ListingActionError(_("The image is larger than %(size)s MB.", size=f"{max_bytes / 1048576:g}"))
    content_type = sniff_image_type(content[:16])
    if content_type is None:
        raise ListingActionError(_("The file is not a PNG, JPEG, GIF or WebP image."))
    stored_name = secrets.token_hex(16) + EXTENSION_BY_TYPE[content_type]
    media = ListingMedia(listing_id=listing.id, stored_name=stored_name, original_name=name,
                         content_type=content_type, size_bytes=len(content),
                         position=len(listing_media(listing)))
    db.session.add(media)
    listing.updated_at = utcnow()
    db.session.flush()
    file_review.submit_file(media, actor)
    record(actor, "image_added", listing, media_id=media.id)
    directory = media_dir()
    directory.mkdir(parents=True, exist_ok=True)
    media_path(media).write_bytes(content)
    try:
        db.session.commit()
    except Exception:
        media_path(media).unlink(missing_ok=True)
        raise
    return media


def remove_listing_image(listing: Listing, media: ListingMedia, actor: User) -> None:
    if not permissions.can_edit_listing(actor, listing) or media.listing_id != listing.id:
        raise ListingActionError(_("You cannot change this listing."))
    path = media_path(media)
    file_review.withdraw_file(media)
    db.session.delete(media)
    listing.updated_at = utcnow()
    record(actor, "image_removed", listing, media_id=media.id)
    db.session.commit()
    path.unlink(missing_ok=True)
