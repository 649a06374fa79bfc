"""Review of files added to listings and demands: listing images and demand attachments.

A file is content too: an image added to a published listing, or a PDF added to a
published demand, must not become public before a moderator saw it. Files reuse the
revision mechanism of listings and demands: each new file gets a `Revision` of type
`listing_image` or `demand_file` whose snapshot names the file and its parent, PENDING
until a moderator decides it. So no table changed, and the audit trail and history
look the same as for text.

The rule, asked by `listings.permissions` and `demands.permissions`: a file is approved
when its revision was approved, or when it has no revision at all (files uploaded before
this review existed were public, and stay so). Owners and moderators see every file
whatever its state; others see only approved files of public objects.

Approving a listing or demand approves its pending files with it: the review page shows
them beside the text. Rejecting the object leaves them pending; rejecting a file hides
it for good (the owner deletes it and uploads another).

This module only reads and flushes; the use-cases that commit are in `services.py`,
which callers of `submit_file` (the listing and demand upload services) commit for.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.audit import object_type
from catalog_app.extensions import db
from catalog_app.models import ReviewDecision, Revision, User
from catalog_app.models._types import utcnow
from catalog_app.models.demands import DemandAttachment
from catalog_app.models.listings import ListingMedia

LISTING_IMAGE = "listing_image"
DEMAND_FILE = "demand_file"
FILE_TYPES = (LISTING_IMAGE, DEMAND_FILE)
FILE_TYPE_BY_PARENT = {"listing": LISTING_IMAGE, "demand": DEMAND_FILE}
# (file model, its parent id column, parent type) per file type
FILE_MODELS = {
    LISTING_IMAGE: (ListingMedia, ListingMedia.listing_id, "listing"),
    DEMAND_FILE: (DemandAttachment, DemandAttachment.demand_id, "demand"),
}
HIDDEN_DECISIONS = (ReviewDecision.PENDING, ReviewDecision.REJECTED)


class FileReviewError(ValueError):
    """The file is not waiting for a decision (decided already, or deleted)."""


def file_type_of(file) -> str:
    return object_type(file)


def parent_type_of(file_type: str) -> str:
    return FILE_MODELS[file_type][2]


def submit_file(file, actor: User) -> Revision:
    """Put a newly stored file in the queue (flushes; the caller commits)."""
    model, parent_column, parent_type = FILE_MODELS[file_type_of(file)]
    parent_id = getattr(file, parent_column.key)
    revision = Revision(object_type=file_type_of(file), object_id=file.id, submitted_by_id=actor.id,
                        snapshot={"parent_type": parent_type, "parent_id": parent_id, "name": file.original_name,
                                  "content_type": file.content_type, "size_bytes": file.size_bytes,
                                  "is_public": bool(getattr(file, "is_public", True))})
    db.session.add(revision)
    db.session.flush()
    return revision


def _latest_revisions(file_type: str, file_ids) -> dict[int, Revision]:
    ids = sorted(set(file_ids))
    if not ids:
        return {}
    latest: dict[int, Revision] = {}
    for revision in db.session.scalars(
            sa.select(Revision).where(Revision.object_type == file_type, Revision.object_id.in_(ids))
            .options(selectinload(Revision.submitted_by)).order_by(Revision.submitted_at, Revision.id)):
        latest[revision.object_id] = revision  # ordered oldest first: the last one wins
    return latest


def file_decisions(file_type: str, file_ids) -> dict[int, ReviewDecision]:
    """The review state of each file that has one; files without a revision are absent (approved)."""
    return {file_id: revision.decision for file_id, revision in _latest_revisions(file_type, file_ids).items()}


def unapproved_file_ids(file_type: str, file_ids) -> set[int]:
    """The files among `file_ids` that the public must not see: pending or rejected."""
    return {file_id for file_id, decision in file_decisions(file_type, file_ids).items()
            if decision in HIDDEN_DECISIONS}


def is_file_approved(file) -> bool:
    return not unapproved_file_ids(file_type_of(file), [file.id])


def files_of(parent) -> list:
    """Every file of a listing or demand, oldest first."""
    file_type = FILE_TYPE_BY_PARENT[object_type(parent)]
    model, parent_column, _parent = FILE_MODELS[file_type]
    return list(db.session.scalars(sa.select(model).where(parent_column == parent.id).order_by(model.id)))


def _decide(revision: Revision, moderator: User, decision: ReviewDecision, reason: str = "") -> Revision:
    revision.decision, revision.decided_by_id, revision.decided_at = decision, moderator.id, utcnow()
    revision.reason = reason
    return revision


def pending_file_revisions(file_type: str, file_ids) -> dict[int, Revision]:
    """The pending revision of each file among `file_ids` that has one."""
    return {file_id: revision for file_id, revision in _latest_revisions(file_type, file_ids).items()
            if revision.decision is ReviewDecision.PENDING}


def pending_file_revision(file_type: str, file_id: int) -> Revision | None:
    revision = _latest_revisions(file_type, [file_id]).get(file_id)
    return revision if revision is not None and revision.decision is ReviewDecision.PENDING else None


def decide_file(file_type: str, file_id: int, moderator: User, approve: bool, reason: str = "") -> Revision:
    """Approve or reject one pending file (flushes).

    :raises FileReviewError: when the file is gone or nothing about it is pending.
    """
    model = FILE_MODELS[file_type][0]
    revision = pending_file_revision(file_type, file_id)
    if db.session.get(model, file_id) is None or revision is None:
        raise FileReviewError("nothing is waiting for review")
    _decide(revision, moderator, ReviewDecision.APPROVED if approve else ReviewDecision.REJECTED, reason)
    db.session.flush()
    return revision


def approve_files_of(parent, moderator: User) -> int:
    """Approve every pending file of a listing or demand whose text is being approved (flushes)."""
    files = files_of(parent)
    if not files:
        return 0
    file_type = file_type_of(files[0])
    pending = [revision for revision in _latest_revisions(file_type, [f.id for f in files]).values()
               if revision.decision is ReviewDecision.PENDING]
    for revision in pending:
        _decide(revision, moderator, ReviewDecision.APPROVED)
    db.session.flush()
    return len(pending)


def withdraw_file(file) -> None:
    """The owner deleted the file: whatever was pending is no longer work (flushes)."""
    revision = pending_file_revision(file_type_of(file), file.id)
    if revision is not None:
        revision.decision = ReviewDecision.WITHDRAWN
        db.session.flush()
