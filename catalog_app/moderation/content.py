"""Listings and demands under review: revisions, snapshots, and their `Reviewable` adapters.

A listing or demand is reviewed through `Revision` rows holding a JSON snapshot. The
steps here flush and never commit; `services.py` holds the use-cases that commit.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from catalog_app.audit import object_type, record
from catalog_app.extensions import db
from catalog_app.models import (
    DEMAND_CONTENT_FIELDS,
    LISTING_CONTENT_FIELDS,
    PUBLIC_DEMAND_STATUSES,
    CaseOutcome,
    Demand,
    DemandStatus,
    Industry,
    Listing,
    ListingStatus,
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
from catalog_app.moderation.protocol import QueueEntry, ReviewError

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


def pending_revision_exists(type_name: str, id_column) -> sa.ColumnElement[bool]:
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
                              pending_revision_exists(self.type_name, self.model.id)))

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
