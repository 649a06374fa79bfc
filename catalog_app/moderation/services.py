"""Review workflow shared by listings and demands: submit, approve, reject, audit.

Owners' services call `submit_for_review`; moderators' views call `approve` / `reject`.
None of these commit: the calling use-case commits once, so the status change, the
revision, the audit entry and the notification are one transaction.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    AuditEntry,
    Demand,
    DemandStatus,
    Listing,
    ListingStatus,
    ReviewDecision,
    Revision,
    User,
)
from catalog_app.models._types import utcnow

LISTING_FIELDS = ("title", "summary", "body", "keywords", "maturity_trl", "maturity_stage", "expires_at",
                  "model_number", "price_text", "delivery_mode", "delivery_weeks", "customer_name",
                  "problem", "deployment", "deployed_year")
DEMAND_FIELDS = ("title", "summary", "background", "requirements", "expected_outcomes",
                 "confidential_details", "confidentiality", "budget_min", "budget_max", "deadline",
                 "is_challenge", "prize_amount", "challenge_deadline")


class ReviewError(ValueError):
    """The object is not in a state that allows this step."""


def object_type(obj) -> str:
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
    record(moderator, "approved", obj)
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

