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

The steps here flush and never commit; `services.py` holds the use-cases that commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from catalog_app.audit import object_type, record
from catalog_app.extensions import db
from catalog_app.models import (
    DEMAND_CONTENT_FIELDS,
    LISTING_CONTENT_FIELDS,
    PUBLIC_DEMAND_STATUSES,
    AuditEntry,
    CaseOutcome,
    Demand,
    DemandStatus,
    Industry,
    Listing,
    ListingStatus,
    Organization,
    OutcomeMetric,
    Region,
    ReviewDecision,
    Revision,
    Scenario,
    Technology,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.moderation import files
from catalog_app.organizations.credit_code import is_valid_credit_code


class ReviewError(ValueError):
    """The object is not in a state that allows this step."""


@dataclass
class QueueEntry:
    """One row of the review queue, whatever its type."""

    object_type: str
    obj: Any
    title: str
    organization: Organization | None
    submitted_at: datetime
    revision: Revision | None  # None for a pending row that never got one (decided all the same)
    is_update: bool  # an approved version exists: the review page shows a diff
    review_type: str  # where it is decided: the page of (review_type, review_id)
    review_id: int
    parent_title: str = ""  # a file's listing or demand

    @property
    def submitted_by(self) -> User | None:
        return self.revision.submitted_by if self.revision is not None else None


@runtime_checkable
class Reviewable(Protocol):
    """The moderation face of one kind of object."""

    type_name: str  # "listing", "demand", "organization", "listing_image", "demand_file"
    model: type
    label: Any  # lazy, translated: the queue filter's name

    def load(self, object_id: int) -> Any | None: ...

    def awaiting(self) -> sa.ColumnElement[bool]:
        """SQL condition on `model`: the row waits for a moderator's decision."""

    def load_options(self) -> list:
        """Loader options for the queue's rows (what `entries` reads, loaded in bulk)."""

    def entries(self, rows: list) -> list[QueueEntry]: ...

    def approve(self, obj, moderator: User) -> Revision | AuditEntry: ...

    def reject(self, obj, moderator: User, reason: str) -> Revision | AuditEntry: ...

    def notifies_owner(self) -> bool:
        """Whether a decision is emailed to the owner (text yes; files and verification no)."""


# ---------------------------------------------------------------- revisions

def pending_revision(obj) -> Revision | None:
    return db.session.scalar(
        sa.select(Revision).where(Revision.object_type == object_type(obj), Revision.object_id == obj.id,
                                  Revision.decision == ReviewDecision.PENDING)
        .order_by(Revision.submitted_at.desc(), Revision.id.desc()))


def last_approved_revision(obj) -> Revision | None:
    return db.session.scalar(
        sa.select(Revision).where(Revision.object_type == object_type(obj), Revision.object_id == obj.id,
                                  Revision.decision == ReviewDecision.APPROVED)
        .order_by(Revision.decided_at.desc(), Revision.id.desc()))


def _pending_exists(type_name: str, id_column) -> sa.ColumnElement[bool]:
    return sa.exists().where(Revision.object_type == type_name, Revision.object_id == id_column,
                             Revision.decision == ReviewDecision.PENDING)


def _plain(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n")  # browsers post CRLF: a re-saved text must not diff on every line
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _decide(revision: Revision, moderator: User, decision: ReviewDecision, reason: str = "") -> None:
    revision.decision, revision.decided_by_id, revision.decided_at = decision, moderator.id, utcnow()
    revision.reason = reason


# ---------------------------------------------------------------- listings and demands

CONTENT_KEY = "content"  # in a revision snapshot: the proposed values, applied on approval


class ContentReviewable:
    """Listings and demands: text reviewed through revisions with snapshots.

    Two ways into the queue: a draft or rejected item is *submitted* (it goes to
    `pending_review`; its row holds the text), or a public item is *edited* (it stays
    public with the approved text; the revision carries the proposed values under
    `content`, written onto the row only when a moderator approves them).
    """

    type_name: str
    model: type
    label: Any
    fields: tuple[str, ...]
    status_enum: Any
    open_statuses: tuple  # public states in which an edit waits beside the approved version
    taxonomy = (("industries", Industry), ("scenarios", Scenario), ("technologies", Technology))
    links = taxonomy  # every many-to-many the owner edits: the taxonomy, and for listings the linked ones

    def load(self, object_id: int):
        return db.session.get(self.model, object_id)

    def awaiting(self):
        return sa.or_(self.model.status == self.status_enum.PENDING_REVIEW,
                      sa.and_(self.model.status.in_(self.open_statuses),
                              _pending_exists(self.type_name, self.model.id)))

    def notifies_owner(self) -> bool:
        return True

    def load_options(self) -> list:
        return [selectinload(self.model.organization)]

    # -- what is reviewed

    def snapshot(self, obj) -> dict:
        """The reviewable content as JSON-safe display values (what the diff compares)."""
        snapshot = {name: _plain(getattr(obj, name)) for name in self.fields}
        for name, _model in self.taxonomy:
            snapshot[name] = sorted(term.name_zh for term in getattr(obj, name))
        return snapshot

    def content(self, obj) -> dict:
        """The same content as values that can be written back onto a row (ids, not names)."""
        return {"fields": {name: _plain(getattr(obj, name)) for name in self.fields},
                **{f"{name}_ids": sorted(term.id for term in getattr(obj, name)) for name, _model in self.links}}

    def apply(self, obj, content: dict) -> None:
        """Write approved `content` onto the row (flushes nothing)."""
        columns = sa.inspect(self.model).columns
        for name, value in content["fields"].items():
            column_type = columns[name].type
            if value is not None and getattr(column_type, "enum_class", None) is not None:
                value = column_type.enum_class(value)
            elif value is not None and isinstance(column_type, sa.Date):
                value = date.fromisoformat(value)
            setattr(obj, name, value)
        for name, model in self.links:
            ids = content.get(f"{name}_ids", [])
            setattr(obj, name, list(db.session.scalars(sa.select(model).where(model.id.in_(ids)).order_by(model.id)))
                    if ids else [])
        obj.updated_at = utcnow()  # link-table changes do not fire onupdate; the matching index reads it

    def proposed_version(self, obj):
        """The object as its pending edit would make it: a detached copy, or `obj` itself."""
        revision = pending_revision(obj)
        if revision is None or CONTENT_KEY not in revision.snapshot:
            return obj
        copy = self.blank_copy(obj)
        self.apply(copy, revision.snapshot[CONTENT_KEY])
        return copy

    def blank_copy(self, obj):
        return self.model(organization_id=obj.organization_id)

    # -- workflow steps (flush, never commit)

    def submit(self, obj, actor: User) -> Revision:
        """Into the queue with the row's text; out of the catalog until approved."""
        self._withdraw_pending(obj)
        obj.status = self.status_enum.PENDING_REVIEW
        obj.updated_at = utcnow()
        db.session.flush()
        revision = Revision(object_type=self.type_name, object_id=obj.id, snapshot=self.snapshot(obj),
                            submitted_by_id=actor.id)
        db.session.add(revision)
        record(actor, "submitted", obj)
        db.session.flush()
        return revision

    def propose(self, obj, proposed, actor: User) -> Revision:
        """An edit of a public item: queued with its new values while the approved text stays public.

        :param proposed: a detached copy carrying the new values (never added to the session).
        """
        self._withdraw_pending(obj)
        snapshot = {**self.snapshot(proposed), CONTENT_KEY: self.content(proposed)}
        revision = Revision(object_type=self.type_name, object_id=obj.id, snapshot=snapshot,
                            submitted_by_id=actor.id)
        db.session.add(revision)
        record(actor, "submitted", obj, edit_of_public=True)
        db.session.flush()
        return revision

    def _withdraw_pending(self, obj) -> None:
        previous = pending_revision(obj)
        if previous is not None:  # resubmitting replaces the version waiting in the queue
            previous.decision = ReviewDecision.WITHDRAWN

    def _revision_to_decide(self, obj, moderator: User) -> Revision:
        """The pending revision; for a pending row that has none, one made from the row now."""
        revision = pending_revision(obj)
        if revision is not None:
            return revision
        if obj.status is not self.status_enum.PENDING_REVIEW:
            raise ReviewError("nothing is waiting for review")
        revision = Revision(object_type=self.type_name, object_id=obj.id, snapshot=self.snapshot(obj),
                            submitted_by_id=None, submitted_at=obj.updated_at or utcnow())
        db.session.add(revision)
        db.session.flush()
        return revision

    def approve(self, obj, moderator: User) -> Revision:
        """Publish the pending version (an edit's values are written onto the row now)."""
        if obj.status is not self.status_enum.PENDING_REVIEW and obj.status not in self.open_statuses:
            raise ReviewError("nothing is waiting for review")
        revision = self._revision_to_decide(obj, moderator)
        _decide(revision, moderator, ReviewDecision.APPROVED)
        if CONTENT_KEY in revision.snapshot:
            self.apply(obj, revision.snapshot[CONTENT_KEY])
        now = utcnow()
        if obj.status is self.status_enum.PENDING_REVIEW:
            obj.status = self.status_enum.PUBLISHED
        obj.published_at = obj.published_at or now
        obj.updated_at = now
        approved_files = files.approve_files_of(obj, moderator)  # shown on the same review page
        record(moderator, "approved", obj, **({"files_approved": approved_files} if approved_files else {}))
        db.session.flush()
        return revision

    def reject(self, obj, moderator: User, reason: str) -> Revision:
        """Send the pending version back; an edit of a public item leaves the approved text public."""
        if obj.status is not self.status_enum.PENDING_REVIEW and obj.status not in self.open_statuses:
            raise ReviewError("nothing is waiting for review")
        revision = self._revision_to_decide(obj, moderator)
        _decide(revision, moderator, ReviewDecision.REJECTED, reason)
        if obj.status is self.status_enum.PENDING_REVIEW:
            obj.status = self.status_enum.REJECTED
        obj.updated_at = utcnow()
        record(moderator, "rejected", obj, reason=reason)
        db.session.flush()
        return revision

    # -- the queue

    def entries(self, rows: list) -> list[QueueEntry]:
        ids = [row.id for row in rows]
        pending = {revision.object_id: revision for revision in db.session.scalars(
            sa.select(Revision).where(Revision.object_type == self.type_name, Revision.object_id.in_(ids),
                                      Revision.decision == ReviewDecision.PENDING)
            .options(selectinload(Revision.submitted_by))
            .order_by(Revision.submitted_at, Revision.id))} if ids else {}
        approved = set(db.session.scalars(
            sa.select(Revision.object_id).where(Revision.object_type == self.type_name, Revision.object_id.in_(ids),
                                                Revision.decision == ReviewDecision.APPROVED))) if ids else set()
        return [QueueEntry(self.type_name, row, row.title, row.organization,
                           pending[row.id].submitted_at if row.id in pending else row.updated_at,
                           pending.get(row.id), row.id in approved or row.status in self.open_statuses,
                           self.type_name, row.id) for row in rows]


class ListingReviewable(ContentReviewable):
    type_name, model, label = "listing", Listing, _l("All listings")
    fields, status_enum = LISTING_CONTENT_FIELDS, ListingStatus
    open_statuses = (ListingStatus.PUBLISHED, ListingStatus.EXPIRED)
    links = ContentReviewable.taxonomy + (("linked", Listing),)  # linked: not in the diff, kept on approval

    def snapshot(self, obj) -> dict:
        snapshot = super().snapshot(obj)
        snapshot["kind"] = obj.kind.value
        snapshot["outcomes"] = [{"label": o.label, "before": o.before_value, "after": o.after_value, "unit": o.unit}
                                for o in obj.outcomes]
        return snapshot

    def content(self, obj) -> dict:
        return {**super().content(obj), "outcomes": [
            {"metric": o.metric.value, "label": o.label, "before": o.before_value, "after": o.after_value,
             "unit": o.unit} for o in obj.outcomes]}

    def apply(self, obj, content: dict) -> None:
        super().apply(obj, content)
        obj.outcomes = [CaseOutcome(metric=OutcomeMetric(o["metric"]), label=o["label"], before_value=o["before"],
                                    after_value=o["after"], unit=o["unit"], position=position)
                        for position, o in enumerate(content.get("outcomes", []))]

    def blank_copy(self, obj):
        return type(obj)(organization_id=obj.organization_id, kind=obj.kind)


class DemandReviewable(ContentReviewable):
    type_name, model, label = "demand", Demand, _l("Demands")
    fields, status_enum = DEMAND_CONTENT_FIELDS, DemandStatus
    open_statuses = tuple(status for status in PUBLIC_DEMAND_STATUSES if status is not DemandStatus.PENDING_REVIEW)

    def snapshot(self, obj) -> dict:
        snapshot = super().snapshot(obj)
        # By id: a detached copy (an edit being proposed) has region_id but no loaded region.
        region = db.session.get(Region, obj.region_id) if obj.region_id is not None else None
        if region is not None:
            snapshot["region"] = region.name_zh
        return snapshot

    def content(self, obj) -> dict:
        content = super().content(obj)
        content["fields"]["region_id"] = obj.region_id
        return content

    def blank_copy(self, obj):
        return Demand(organization_id=obj.organization_id, created_by_id=obj.created_by_id)


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
        return sa.and_(_pending_exists(self.type_name, self.model.id), sa.exists().where(
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
        has_member = sa.exists().where(User.organization_id == Organization.id, User.is_active.is_(True))
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
