"""Demand attachments: PDFs and images, checked by their first bytes, stored outside the web root.

The browser's filename and Content-Type are not trusted: the type comes from the magic
bytes (a "drawing.pdf" that is really HTML is refused), the file on disk gets a random
name under instance/uploads/demands, and it is served only through
`demands.attachment`, which asks `permissions.can_view_attachment` first. A filename
with a folder in it is refused rather than cleaned: it is a sign of a crafted request.
A new file waits for a moderator (`moderation.files`) before anyone outside the owner
organization and the moderators sees it, even on a published demand.
"""
from __future__ import annotations

import secrets
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from catalog_app.audit import record
from catalog_app.demands import permissions
from catalog_app.demands.services import DemandError
from catalog_app.extensions import db
from catalog_app.listings.media import sniff_image_type
from catalog_app.models import Demand, User
from catalog_app.models._types import utcnow
from catalog_app.models.demands import DemandAttachment
from catalog_app.moderation import files as file_review

EXTENSION_BY_TYPE = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
                     "image/gif": ".gif", "image/webp": ".webp"}
MAX_NAME_LENGTH = 120


def sniff_type(head: bytes) -> str | None:
    """PDF or one of the image types the listings accept, from the magic bytes; else None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return sniff_image_type(head)


def max_bytes() -> int:
    return current_app.config["DEMAND_ATTACHMENT_MAX_BYTES"]


def max_count() -> int:
    return current_app.config["DEMAND_ATTACHMENT_MAX_COUNT"]


def readable_size(size_bytes: int) -> str:
    """10 MB, 1.5 MB, 512 KB: the limit as people read it."""
    if size_bytes >= 1024 * 1024:
        return f"{size_bytes / 1048576:.3g} MB"
    return f"{max(1, round(size_bytes / 1024))} KB"


def upload_dir() -> Path:
    return Path(current_app.config["DEMAND_UPLOAD_DIR"])


def attachment_path(attachment: DemandAttachment) -> Path:
    return upload_dir() / attachment.stored_name


def demand_attachments(demand: Demand) -> list[DemandAttachment]:
    return list(db.session.scalars(sa.select(DemandAttachment).where(DemandAttachment.demand_id == demand.id)
                                   .order_by(DemandAttachment.id)))


def visible_attachments(demand: Demand, user) -> list[DemandAttachment]:
    """The files `user` may open; review states are looked up once for all of them."""
    files = demand_attachments(demand)
    unapproved = file_review.unapproved_file_ids(file_review.DEMAND_FILE, [a.id for a in files])
    return [a for a in files if permissions.can_view_attachment(user, a, is_approved=a.id not in unapproved)]


def review_states(files: list[DemandAttachment]) -> dict[int, str]:
    """Review state ("pending", "rejected") of each file that is not approved, for the editor."""
    decisions = file_review.file_decisions(file_review.DEMAND_FILE, [a.id for a in files])
    return {file_id: decision.value for file_id, decision in decisions.items()
            if decision in file_review.HIDDEN_DECISIONS}


def check_name(filename: str | None) -> str:
    """The plain file name, or DemandError for an empty name or one with a folder in it."""
    name = (filename or "").strip()
    if not name:
        raise DemandError(_l("Choose a file."), "file")
    if "/" in name or "\\" in name or ".." in name or "\x00" in name or PurePosixPath(name).name != name:
        raise DemandError(_l("The file name must be a plain name without folders."), "file")
    if len(name) > MAX_NAME_LENGTH:
        raise DemandError(_l("The file name is longer than %(count)d characters.", count=MAX_NAME_LENGTH), "file")
    return name


def _display_name(name: str, content_type: str) -> str:
    """The uploaded name, with the extension of the real type when it claimed another."""
    extension = EXTENSION_BY_TYPE[content_type]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == extension or (suffix == ".jpeg" and extension == ".jpg"):
        return name
    return name[: MAX_NAME_LENGTH - len(extension)] + extension


def add_demand_attachment(demand: Demand, filename: str | None, stream, is_public: bool,
                          actor: User) -> DemandAttachment:
    """Check and store one file; reads at most the size limit + 1 bytes, so a huge upload costs nothing.

    :raises DemandError: on the "file" field for a bad name, too many files, a file too
        large or of a type that is not PDF, PNG, JPEG, GIF or WebP.
    """
    if not permissions.can_edit_demand(actor, demand):
        raise DemandError(_l("You cannot change this demand."))
    name = check_name(filename)
    if len(demand_attachments(demand)) >= max_count():
        raise DemandError(_l("A demand can have at most %(count)d attachments.", count=max_count()), "file")
    content = stream.read(max_bytes() + 1)
    if len(content) > max_bytes():
        raise DemandError(_l("The file is larger than %(size)s.", size=readable_size(max_bytes())), "file")
    content_type = sniff_type(content[:16])
    if content_type is None:
        raise DemandError(_l("Only PDF documents and PNG, JPEG, GIF or WebP images can be attached."), "file")
    attachment = DemandAttachment(
        demand_id=demand.id, uploaded_by_id=actor.id, stored_name=secrets.token_hex(16) + EXTENSION_BY_TYPE[content_type],
        original_name=_display_name(name, content_type), content_type=content_type, size_bytes=len(content),
        is_public=bool(is_public))
    db.session.add(attachment)
    demand.updated_at = utcnow()
    db.session.flush()
    file_review.submit_file(attachment, actor)
    record(actor, "attachment_added", demand, attachment_id=attachment.id)
    upload_dir().mkdir(parents=True, exist_ok=True)
    attachment_path(attachment).write_bytes(content)
    try:
        db.session.commit()
    except Exception:
        attachment_path(attachment).unlink(missing_ok=True)
        raise
    return attachment


def remove_demand_attachment(demand: Demand, attachment: DemandAttachment, actor: User) -> None:
    if not permissions.can_edit_demand(actor, demand) or attachment.demand_id != demand.id:
        raise DemandError(_l("You cannot change this demand."))
    path = attachment_path(attachment)
    file_review.withdraw_file(attachment)
    db.session.delete(attachment)
    demand.updated_at = utcnow()
    record(actor, "attachment_removed", demand, attachment_id=attachment.id)
    db.session.commit()
    path.unlink(missing_ok=True)
