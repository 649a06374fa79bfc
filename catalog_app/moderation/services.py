"""Review workflow shared by listings and demands: submit, approve, reject, audit.

Owners' services call `submit_for_review`; moderators' views call the use-cases at the
end of this module (`approve_and_notify`, `reject_and_notify`, `verify_organization`).
The workflow steps never commit: the use-case commits once, so the status change, the
revision, the audit entry and the owner's email are one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from catalog_app import public_urls
from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    Demand,
    DemandStatus,
    Listing,
    ListingKind,
    ListingStatus,
    Organization,
    ReviewDecision,
    Revision,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.moderation import files
from catalog_app.moderation.permissions import can_moderate
from catalog_app.notifications.services import send_email
from catalog_app.organizations.credit_code import is_valid_credit_code

LISTING_FIELDS = ("title", "summary", "body", "keywords", "maturity_trl", "maturity_stage", "expires_at",
                  "model_number", "price_text", "delivery_mode", "delivery_weeks", "customer_name",
                  "problem", "deployment", "deployed_year")
DEMAND_FIELDS = ("title", "summary", "background", "requirements", "expected_outcomes", "data_available",
                 "confidential_details", "confidentiality", "budget_min", "budget_max", "deadline",
                 "is_challenge", "prize_amount", "challenge_deadline")


class ReviewError(ValueError):
    """The object is not in a state that allows this step."""


def object_type(obj) -> str:
    if isinstance(obj, Organization):
        return "organization"
    return "listing" if isinstance(obj, Listing) else "demand"


def _plain(value):
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def snapshot_of(obj) -> dict:
    """The reviewable content of a listing or demand as JSON-safe data."""
    fields = LISTING_FIELDS if isinstance(obj, Listing) else DEMAND_FIELDS
    snapshot = {name: _plain(getattr(obj, name)) for name in fields}
    snapshot["industries"] = sorted(i.name_zh for i in obj.industries)
    snapshot["scenarios"] = sorted(s.name_zh for s in obj.scenarios)
    snapshot["technologies"] = sorted(t.name_zh for t in obj.technologies)
    if isinstance(obj, Listing):
        snapshot["kind"] = obj.kind.value
        snapshot["outcomes"] = [
            {"label": o.label, "before": o.before_value, "after": o.after_value, "unit": o.unit}
            for o in obj.outcomes
        ]
    elif obj.region is not None:
        snapshot["region"] = obj.region.name_zh
    return snapshot


def record(actor: User | None, action: str, obj=None, **detail) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor else None, action=action,
        object_type=object_type(obj) if obj is not None else detail.pop("object_type", "system"),
        object_id=getattr(obj, "id", None) if obj is not None else detail.pop("object_id", None),
        detail=detail,
    )
    db.session.add(entry)
    return entry


def pending_revision(obj) -> Revision | None:
    return db.session.scalar(
        sa.select(Revision).where(Revision.object_type == object_type(obj), Revision.object_id == obj.id,
                                  Revision.decision == ReviewDecision.PENDING)
        .order_by(Revision.submitted_at.desc()))


RENEWAL_FIELDS_IGNORED = ("expires_at",)


def changed_since_approval(obj) -> bool:
    """Whether the reviewable content differs from what a moderator last approved.

    With an approved revision, its snapshot is the baseline (the expiry date aside: a
    renewal changes it). Content published without one (demo data, rows older than the
    revision history) has no snapshot; then any edit recorded since publication counts.
    """
    approved = last_approved_revision(obj)
    if approved is not None:
        current, baseline = snapshot_of(obj), dict(approved.snapshot)
        for name in RENEWAL_FIELDS_IGNORED:
            current.pop(name, None)
            baseline.pop(name, None)
        return current != baseline
    since = obj.published_at or obj.created_at
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry)
        .where(AuditEntry.object_type == object_type(obj), AuditEntry.object_id == obj.id,
               AuditEntry.action == "edited", AuditEntry.created_at >= since)) > 0


def last_approved_revision(obj) -> Revision | None:
    return db.session.scalar(
        sa.select(Revision).where(Revision.object_type == object_type(obj), Revision.object_id == obj.id,
                                  Revision.decision == ReviewDecision.APPROVED)
        .order_by(Revision.decided_at.desc()))


def submit_for_review(obj, actor: User) -> Revision:
    """Move a draft, rejected or edited object into the moderation queue with a snapshot."""
    pending_status = ListingStatus.PENDING_REVIEW if isinstance(obj, Listing) else DemandStatus.PENDING_REVIEW
    previous = pending_revision(obj)
    if previous is not None:  # resubmitting replaces the version waiting in the queue
        previous.decision = ReviewDecision.WITHDRAWN
    obj.status = pending_status
    obj.updated_at = utcnow()
    db.session.flush()
    revision = Revision(object_type=object_type(obj), object_id=obj.id, snapshot=snapshot_of(obj),
                        submitted_by_id=actor.id)
    db.session.add(revision)
    record(actor, "submitted", obj)
    db.session.flush()
    return revision


def approve(obj, moderator: User) -> Revision:
    """Publish the pending version; the owner is told by email."""
    revision = pending_revision(obj)
    if revision is None:
        raise ReviewError("nothing is waiting for review")
    now = utcnow()
    revision.decision, revision.decided_by_id, revision.decided_at = ReviewDecision.APPROVED, moderator.id, now
    obj.status = ListingStatus.PUBLISHED if isinstance(obj, Listing) else DemandStatus.PUBLISHED
    obj.published_at = obj.published_at or now
    obj.updated_at = now
    approved_files = files.approve_files_of(obj, moderator)  # shown on the same review page
    record(moderator, "approved", obj, **({"files_approved": approved_files} if approved_files else {}))
    db.session.flush()
    return revision


def reject(obj, moderator: User, reason: str) -> Revision:
    """Send the pending version back to its owner with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("a reason is required")
    revision = pending_revision(obj)
    if revision is None:
        raise ReviewError("nothing is waiting for review")
    now = utcnow()
    revision.decision, revision.decided_by_id, revision.decided_at = ReviewDecision.REJECTED, moderator.id, now
    revision.reason = reason
    obj.status = ListingStatus.REJECTED if isinstance(obj, Listing) else DemandStatus.REJECTED
    obj.updated_at = now
    record(moderator, "rejected", obj, reason=reason)
    db.session.flush()
    return revision



# ---------------------------------------------------------------- the queue

PENDING_STATUS = {"listing": ListingStatus.PENDING_REVIEW, "demand": DemandStatus.PENDING_REVIEW}


@dataclass
class QueueItem:
    revision: Revision
    obj: Listing | Demand
    is_update: bool  # an earlier version was approved, so the review page shows a diff

    @property
    def object_type(self) -> str:
        return self.revision.object_type


@dataclass
class ReviewQueue:
    items: list[QueueItem]
    # Pending submissions by "listing", "demand", each listing kind value, and "all".
    counts: dict[str, int] = field(default_factory=dict)


def _awaiting_review():
    """SQL condition on Revision: pending, and its object still waits in the review state.

    An owner who withdraws an object (back to draft) might leave its revision pending;
    such a revision is not work for a moderator.
    """
    listings, demands = Listing.__table__.alias(), Demand.__table__.alias()  # never correlate with a join
    listing_waits = sa.exists().where(listings.c.id == Revision.object_id,
                                      listings.c.status == ListingStatus.PENDING_REVIEW)
    demand_waits = sa.exists().where(demands.c.id == Revision.object_id,
                                     demands.c.status == DemandStatus.PENDING_REVIEW)
    return sa.and_(Revision.decision == ReviewDecision.PENDING, sa.or_(
        sa.and_(Revision.object_type == "listing", listing_waits),
        sa.and_(Revision.object_type == "demand", demand_waits)))


def queue_counts() -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Revision.object_type, Listing.kind, sa.func.count())
        .outerjoin(Listing, sa.and_(Revision.object_type == "listing", Listing.id == Revision.object_id))
        .where(_awaiting_review())
        .group_by(Revision.object_type, Listing.kind))
    counts = {"all": 0, "listing": 0, "demand": 0, **{kind.value: 0 for kind in ListingKind}}
    for type_name, kind, count in rows:
        counts["all"] += count
        counts[type_name] += count
        if kind is not None:
            counts[kind.value] += count
    return counts


def review_queue(object_type: str | None = None, kind: ListingKind | None = None) -> ReviewQueue:
    """Everything waiting for a moderator, oldest submission first, with counts.

    :param object_type: "listing" or "demand" to show only one type.
    :param kind: a listing kind to show only solutions, products or cases (implies listings).
    :returns: the items (with their objects and organizations loaded) and the unfiltered counts.
    """
    statement = sa.select(Revision).where(_awaiting_review())
    if kind is not None:
        object_type = "listing"
        statement = statement.where(Revision.object_id.in_(sa.select(Listing.id).where(Listing.kind == kind)))
    if object_type is not None:
        statement = statement.where(Revision.object_type == object_type)
    revisions = db.session.scalars(statement.options(selectinload(Revision.submitted_by))
                                   .order_by(Revision.submitted_at, Revision.id)).all()

    objects = _load_objects(revisions)
    approved = _approved_keys(revisions)
    keys = [(revision, (revision.object_type, revision.object_id)) for revision in revisions]
    items = [QueueItem(revision, objects[key], key in approved) for revision, key in keys if key in objects]
    return ReviewQueue(items=items, counts=queue_counts())


def _load_objects(revisions: list[Revision]) -> dict[tuple[str, int], Listing | Demand]:
    objects: dict[tuple[str, int], Listing | Demand] = {}
    for type_name, model in (("listing", Listing), ("demand", Demand)):
        ids = {r.object_id for r in revisions if r.object_type == type_name}
        if ids:
            rows = db.session.scalars(sa.select(model).where(model.id.in_(ids))
                                      .options(selectinload(model.organization)))
            objects.update({(type_name, row.id): row for row in rows})
    return objects


def _approved_keys(revisions: list[Revision]) -> set[tuple[str, int]]:
    if not revisions:
        return set()
    keys = {(r.object_type, r.object_id) for r in revisions}
    rows = db.session.execute(
        sa.select(Revision.object_type, Revision.object_id).distinct()
        .where(Revision.decision == ReviewDecision.APPROVED,
               Revision.object_id.in_(sorted({object_id for _type, object_id in keys}))))
    return {tuple(row) for row in rows} & keys


def load_reviewable(type_name: str, object_id: int) -> Listing | Demand | None:
    model = {"listing": Listing, "demand": Demand}.get(type_name)
    return db.session.get(model, object_id) if model is not None else None


# ---------------------------------------------------------------- notifying owners

def owner_recipients(obj, revision: Revision | None) -> list[User]:
    """The submitter first, then the other active members of the owning organization."""
    members = db.session.scalars(
        sa.select(User).where(User.organization_id == obj.organization_id, User.is_active.is_(True))
        .order_by(User.id)).all()
    candidates = ([revision.submitted_by] if revision is not None and revision.submitted_by else []) + list(members)
    recipients, seen = [], set()
    for user in candidates:
        if user.is_active and user.email.lower() not in seen:
            seen.add(user.email.lower())
            recipients.append(user)
    return recipients


def public_url(obj) -> str | None:
    """The public page of a published object, on PUBLIC_BASE_URL (catalog_app.public_urls)."""
    if isinstance(obj, Listing):
        from catalog_app.templating import SECTION_BY_KIND

        return public_urls.public_url("catalog.listing", section=SECTION_BY_KIND[obj.kind], listing_id=obj.id)
    return public_urls.public_url("demands.detail", demand_id=obj.id)


def _notify_owner(obj, revision: Revision, template: str, subject, **context) -> int:
    """Email every recipient in their own locale; `subject` is a lazy string."""
    from catalog_app.notifications.preferences import MODERATION, wants_email_now

    recipients = [user for user in owner_recipients(obj, revision) if wants_email_now(user, MODERATION)]
    for user in recipients:
        with force_locale(user.locale or "zh"):
            subject_text = str(subject)
        send_email(user.email, subject_text, template, user.locale or "zh",
                   idempotency_key=f"{template}:{revision.id}:{user.id}", owner=user, obj=obj,
                   object_type=object_type(obj), revision=revision, **context)
    return len(recipients)


# ---------------------------------------------------------------- use-cases (commit once)

def _require_moderator(user: User) -> None:
    if not can_moderate(user):
        raise Forbidden()


def approve_and_notify(obj, moderator: User) -> Revision:
    """Publish the pending version, record it, and email the owner, in one transaction.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when nothing is waiting for review (someone decided first).
    """
    _require_moderator(moderator)
    try:
        revision = approve(obj, moderator)
        _notify_owner(obj, revision, "moderation_approved", _l("Published: %(title)s", title=obj.title),
                      url=public_url(obj))
        if isinstance(obj, Demand):  # suppliers whose listings answer it hear about it (same transaction)
            from catalog_app.notifications.recommendations_mail import queue_demand_recommendations

            queue_demand_recommendations(obj)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return revision


def reject_and_notify(obj, moderator: User, reason: str) -> Revision:
    """Send the pending version back with the reason, record it, and email the owner.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when the reason is empty or nothing is waiting for review.
    """
    _require_moderator(moderator)
    try:
        revision = reject(obj, moderator, reason)
        _notify_owner(obj, revision, "moderation_rejected",
                      _l("Changes needed: %(title)s", title=obj.title), reason=revision.reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return revision


def decide_file_and_record(file_type: str, file_id: int, moderator: User, approve: bool,
                           reason: str = "") -> Revision:
    """Approve (publish with its listing or demand) or reject one file, and record it.

    The owner is not emailed: a file decision does not change whether the listing or
    demand is public, and the owner sees the state beside the file in the editor.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when rejecting without a reason, or when the file is not pending.
    """
    _require_moderator(moderator)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ReviewError("a reason is required")
    try:
        revision = files.decide_file(file_type, file_id, moderator, approve, reason)
    except files.FileReviewError as error:
        db.session.rollback()
        raise ReviewError(str(error)) from error
    snapshot = revision.snapshot
    record(moderator, "file_approved" if approve else "file_rejected", None, object_type=snapshot["parent_type"],
           object_id=snapshot["parent_id"], file_type=file_type, file_id=file_id, name=snapshot.get("name"),
           **({"reason": reason} if reason else {}))
    db.session.commit()
    return revision


def verify_organization(org: Organization, moderator: User, verified: bool) -> AuditEntry:
    """Mark an organization verified (or withdraw it) and record who did it.

    The audit entry keeps whether the credit code passed the GB 32100-2015 check at that
    moment, so a later question "why was this verified?" has an answer.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when the organization is already in that state.
    """
    _require_moderator(moderator)
    if org.is_verified == verified:
        raise ReviewError("already verified" if verified else "not verified")
    org.is_verified = verified
    entry = record(moderator, "organization_verified" if verified else "organization_unverified", org,
                   credit_code=org.credit_code, credit_code_valid=is_valid_credit_code(org.credit_code))
    db.session.commit()
    return entry
