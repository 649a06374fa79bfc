"""What a moderator reviews, behind one protocol: listings, demands, organizations, files.

The queue, the counts, the decision routes and the repair command never ask what type an
object is: they look up its `Reviewable` in `REVIEWABLES` and call the same methods. A
new kind of reviewable content is one more adapter here, not one more branch in seven
places.

What "awaiting review" means is each adapter's `awaiting()` SQL condition, and it is the
only definition: the queue lists exactly those rows, the counts count exactly them, and
every one of them can be approved or rejected (`approve`, `reject`). In particular a
listing or demand in `pending_review` is awaiting review whether or not a revision row
exists (rows written by imports or old code had none and could never be approved): the
decision snapshots the row as it stands when the revision is missing.

The adapters: listings and demands in content.py, files and organizations here; the
registry `REVIEWABLES` below. The steps flush and never commit; `services.py` holds the
use-cases that commit.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from catalog_app.audit import object_type, record
from catalog_app.extensions import db
from catalog_app.models import AuditEntry, Organization, Revision, User
from catalog_app.moderation import files
from catalog_app.moderation.content import (
    ContentReviewable,
    DemandReviewable,
    ListingReviewable,
    pending_revision_exists,
)
from catalog_app.moderation.protocol import QueueEntry, Reviewable, ReviewError
from catalog_app.credit_code import is_valid_credit_code


# ---------------------------------------------------------------- files

class FileReviewable:
    """A listing image or demand attachment: decided on its parent's review page (#files).

    A file waits in the queue on its own when its parent is public, rejected, expired...:
    any state but two. Files of a draft wait until the owner submits it; files of an item
    in `pending_review` are decided with it (the item's queue entry leads to them, and
    approving the item approves them).
    """

    label: Any

    def __init__(self, type_name: str, label, parent: ContentReviewable):
        self.type_name, self.label, self.parent = type_name, label, parent
        self.model, self.parent_column, self.parent_type = files.FILE_MODELS[type_name]

    def load(self, object_id: int):
        return db.session.get(self.model, object_id)

    def awaiting(self):
        parent = self.parent.model
        statuses = self.parent.status_enum
        return sa.and_(pending_revision_exists(self.type_name, self.model.id), sa.exists().where(
            parent.id == self.parent_column, parent.status.not_in([statuses.DRAFT, statuses.PENDING_REVIEW])))

    def notifies_owner(self) -> bool:
        return False  # the item's public state does not change; the owner sees the state in the editor

    def load_options(self) -> list:
        return []

    def entries(self, rows: list) -> list[QueueEntry]:
        revisions = files.pending_file_revisions(self.type_name, [row.id for row in rows])
        parent_model = self.parent.model
        parent_ids = {getattr(row, self.parent_column.key) for row in rows}
        parents = {p.id: p for p in db.session.scalars(
            sa.select(parent_model).where(parent_model.id.in_(parent_ids))
            .options(selectinload(parent_model.organization)))} if parent_ids else {}
        entries = []
        for row in rows:
            parent = parents[getattr(row, self.parent_column.key)]
            entries.append(QueueEntry(self.type_name, row, row.original_name, parent.organization,
                                      revisions[row.id].submitted_at, revisions[row.id], False,
                                      self.parent_type, parent.id, parent.title))
        return entries

    def _decide(self, obj, moderator: User, approve: bool, reason: str) -> Revision:
        try:
            revision = files.decide_file(self.type_name, obj.id, moderator, approve, reason)
        except files.FileReviewError as error:
            raise ReviewError(str(error)) from error
        snapshot = revision.snapshot
        record(moderator, "file_approved" if approve else "file_rejected", None,
               object_type=snapshot["parent_type"], object_id=snapshot["parent_id"], file_type=self.type_name,
               file_id=obj.id, name=snapshot.get("name"), **({"reason": reason} if reason else {}))
        return revision

    def approve(self, obj, moderator: User) -> Revision:
        return self._decide(obj, moderator, True, "")

    def reject(self, obj, moderator: User, reason: str) -> Revision:
        return self._decide(obj, moderator, False, reason)


# ---------------------------------------------------------------- organizations

ORGANIZATION_DECISIONS = ("organization_verified", "organization_unverified", "organization_declined")


class OrganizationReviewable:
    """An organization someone registered and no moderator has decided on yet.

    Awaiting = not verified, at least one active member account (an organization that
    only exists in imported catalog data has nobody waiting for an answer), and no
    verification decision in the audit log. Approving verifies it; rejecting declines
    the verification with a reason; either way it leaves the queue.
    """

    type_name, model, label = "organization", Organization, _l("Organizations")

    def load(self, object_id: int):
        return db.session.get(Organization, object_id)

    def awaiting(self):
        decided = sa.exists().where(AuditEntry.object_type == self.type_name, AuditEntry.object_id == Organization.id,
                                    AuditEntry.action.in_(ORGANIZATION_DECISIONS))
        has_member = sa.exists().where(User.active_member_of(Organization.id))
        return sa.and_(Organization.is_verified.is_(False), has_member, ~decided)

    def notifies_owner(self) -> bool:
        return False

    def load_options(self) -> list:
        return []

    def entries(self, rows: list) -> list[QueueEntry]:
        return [QueueEntry(self.type_name, row, row.name, row, row.created_at, None, False, self.type_name, row.id)
                for row in rows]

    def set_verified(self, org: Organization, moderator: User, verified: bool) -> AuditEntry:
        if org.is_verified == verified:
            raise ReviewError("already verified" if verified else "not verified")
        org.is_verified = verified
        return record(moderator, "organization_verified" if verified else "organization_unverified", org,
                      credit_code=org.credit_code, credit_code_valid=is_valid_credit_code(org.credit_code))

    def approve(self, obj: Organization, moderator: User) -> AuditEntry:
        return self.set_verified(obj, moderator, True)

    def reject(self, obj: Organization, moderator: User, reason: str) -> AuditEntry:
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Organization)
                                 .where(Organization.id == obj.id, self.awaiting())):
            raise ReviewError("nothing is waiting for review")
        return record(moderator, "organization_declined", obj, reason=reason, credit_code=obj.credit_code,
                      credit_code_valid=is_valid_credit_code(obj.credit_code))


_LISTINGS, _DEMANDS = ListingReviewable(), DemandReviewable()
REVIEWABLES: dict[str, Reviewable] = {reviewable.type_name: reviewable for reviewable in (
    _LISTINGS, _DEMANDS, OrganizationReviewable(),
    FileReviewable(files.LISTING_IMAGE, _l("Listing images"), _LISTINGS),
    FileReviewable(files.DEMAND_FILE, _l("Demand attachments"), _DEMANDS),
)}


def reviewable_for(obj) -> Reviewable:
    """The adapter of an object (by its audit object type: one name per table)."""
    return REVIEWABLES[object_type(obj)]
