"""The review queue and its use-cases, over every `Reviewable` (see reviewables.py).

Owners' services call `submit_for_review` (a draft goes to review) or `propose_edit` (a
public item's edit waits beside the approved version); moderators' views call the
use-cases at the end of this module (`approve_and_notify`, `reject_and_notify`,
`verify_organization`). The workflow steps in the adapters never commit: the use-case
commits once, so the status change, the revision, the audit entry and the owner's email
are one transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden

from catalog_app import public_urls
from catalog_app.audit import object_type, record
from catalog_app.email_queue import send_email
from catalog_app.extensions import db
from catalog_app.models import AuditEntry, Listing, ListingKind, Organization, ReviewDecision, Revision, User
from catalog_app.models._types import utcnow
from catalog_app.public_urls import SECTION_BY_KIND
from catalog_app.moderation.content import CONTENT_KEY, last_approved_revision, pending_revision
from catalog_app.moderation.permissions import can_moderate
from catalog_app.moderation.protocol import QueueEntry, Reviewable, ReviewError
from catalog_app.moderation.reviewables import REVIEWABLES, reviewable_for
from catalog_app.notifications.members import active_members
from catalog_app.notifications.preferences import MODERATION, wants_email_now
from catalog_app.i18n import locale_of

__all__ = ["ReviewError", "last_approved_revision", "pending_revision"]  # re-exported for the owners' services


def snapshot_of(obj) -> dict:
    """The reviewable content of a listing or demand as JSON-safe data."""
    return reviewable_for(obj).snapshot(obj)


RENEWAL_FIELDS_IGNORED = ("expires_at",)


def changed_since_approval(obj) -> bool:
    """Whether the reviewable content differs from what a moderator last approved.

    With an approved revision, its snapshot is the baseline (the expiry date aside: a
    renewal changes it). Content published without one (demo data, rows older than the
    revision history) has no snapshot; then any edit recorded since publication counts.
    """
    approved = last_approved_revision(obj)
    if approved is not None:
        current = snapshot_of(obj)
        baseline = {name: value.replace("\r\n", "\n") if isinstance(value, str) else value  # older snapshots: CRLF
                    for name, value in approved.snapshot.items()}
        for name in (*RENEWAL_FIELDS_IGNORED, CONTENT_KEY):
            current.pop(name, None)
            baseline.pop(name, None)
        return current != baseline
    since = obj.published_at or obj.created_at
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry)
        .where(AuditEntry.object_type == object_type(obj), AuditEntry.object_id == obj.id,
               AuditEntry.action == "edited", AuditEntry.created_at >= since)) > 0


def submit_for_review(obj, actor: User) -> Revision:
    """Move a draft, rejected or edited object into the moderation queue with a snapshot."""
    return reviewable_for(obj).submit(obj, actor)


def propose_edit(obj, proposed, actor: User) -> Revision:
    """Queue an edit of a public listing or demand; the approved text stays public until approval.

    :param proposed: a detached copy of `obj` carrying the new values (see `proposed_version`).
    """
    return reviewable_for(obj).propose(obj, proposed, actor)


def proposed_version(obj):
    """What the owner's editor shows: the pending edit of a public item, else the item itself."""
    return reviewable_for(obj).proposed_version(obj)


def approve(obj, moderator: User):
    """Publish the pending version (flushes); the use-case below emails the owner."""
    return reviewable_for(obj).approve(obj, moderator)


def reject(obj, moderator: User, reason: str):
    """Send the pending version back with the reason (flushes)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("a reason is required")
    return reviewable_for(obj).reject(obj, moderator, reason)


# ---------------------------------------------------------------- the queue

@dataclass
class ReviewQueue:
    items: list[QueueEntry]
    # Rows awaiting review by type name ("listing", "demand", "organization", "listing_image",
    # "demand_file"), by listing kind value, and "all".
    counts: dict[str, int] = field(default_factory=dict)


QUEUE_TYPES = tuple(REVIEWABLES)


def _awaiting_rows(reviewable: Reviewable, kind: ListingKind | None = None) -> list:
    statement = sa.select(reviewable.model).where(reviewable.awaiting()).options(*reviewable.load_options())
    if kind is not None:
        statement = statement.where(Listing.kind == kind)
    return list(db.session.scalars(statement))


def queue_counts() -> dict[str, int]:
    """How many rows of each type await a decision: the same conditions the queue lists."""
    counts = {"all": 0, **{kind.value: 0 for kind in ListingKind}}
    for type_name, reviewable in REVIEWABLES.items():
        counts[type_name] = db.session.scalar(
            sa.select(sa.func.count()).select_from(reviewable.model).where(reviewable.awaiting()))
        counts["all"] += counts[type_name]
    for kind, count in db.session.execute(
            sa.select(Listing.kind, sa.func.count()).where(REVIEWABLES["listing"].awaiting()).group_by(Listing.kind)):
        counts[kind.value] = count
    return counts


def review_queue(object_type: str | None = None, kind: ListingKind | None = None) -> ReviewQueue:
    """Everything waiting for a moderator, oldest submission first, with counts.

    :param object_type: one of QUEUE_TYPES to show only that type.
    :param kind: a listing kind to show only solutions, products or cases (implies listings).
    :returns: the entries and the unfiltered counts.
    """
    if kind is not None:
        object_type = "listing"
    entries: list[QueueEntry] = []
    for type_name in ([object_type] if object_type else QUEUE_TYPES):
        reviewable = REVIEWABLES[type_name]
        entries += reviewable.entries(_awaiting_rows(reviewable, kind))
    entries.sort(key=lambda entry: (entry.submitted_at, entry.revision.id if entry.revision else 0))
    return ReviewQueue(items=entries, counts=queue_counts())


def load_reviewable(type_name: str, object_id: int):
    reviewable = REVIEWABLES.get(type_name)
    return reviewable.load(object_id) if reviewable is not None else None


def repair_pending_without_revision(actor: User | None = None) -> list[tuple[str, int]]:
    """Give every listing or demand that waits in `pending_review` without a revision one (commits).

    Such rows were written by imports and older code that set the status directly. They are
    decidable anyway (a decision snapshots the row), but the review page, the history and
    `changed_since_approval` read revisions, so the repair writes the snapshot the
    submission should have written, and records it.

    :returns: the (type, id) pairs repaired, oldest first.
    """
    repaired = []
    for type_name in ("listing", "demand"):
        reviewable = REVIEWABLES[type_name]
        missing = db.session.scalars(
            sa.select(reviewable.model).where(
                reviewable.model.status == reviewable.status_enum.PENDING_REVIEW,
                ~sa.exists().where(Revision.object_type == type_name, Revision.object_id == reviewable.model.id,
                                   Revision.decision == ReviewDecision.PENDING))
            .order_by(reviewable.model.id)).all()
        for obj in missing:
            db.session.add(Revision(object_type=type_name, object_id=obj.id, snapshot=reviewable.snapshot(obj),
                                    submitted_by_id=None, submitted_at=obj.updated_at or utcnow()))
            record(actor, "revision_repaired", obj)
            repaired.append((type_name, obj.id))
    db.session.commit()
    return repaired


# ---------------------------------------------------------------- notifying owners

def owner_recipients(obj, revision: Revision | None) -> list[User]:
    """The submitter first, then the other active members of the owning organization."""
    members = active_members(obj.organization_id)
    candidates = ([revision.submitted_by] if revision is not None and revision.submitted_by else []) + members
    recipients, seen = [], set()
    for user in candidates:
        if user.is_active and user.email.lower() not in seen:
            seen.add(user.email.lower())
            recipients.append(user)
    return recipients


def public_url(obj) -> str | None:
    """The public page of a published listing or demand, on PUBLIC_BASE_URL (catalog_app.public_urls)."""
    endpoints = {"listing": lambda: public_urls.public_url("catalog.listing", section=SECTION_BY_KIND[obj.kind],
                                                           listing_id=obj.id),
                 "demand": lambda: public_urls.public_url("demands.detail", demand_id=obj.id)}
    endpoint = endpoints.get(object_type(obj))
    return endpoint() if endpoint is not None else None


def _notify_owner(obj, revision: Revision, template: str, subject, **context) -> int:
    """Email every recipient in their own locale; `subject` is a lazy string."""
    recipients = [user for user in owner_recipients(obj, revision) if wants_email_now(user, MODERATION)]
    for user in recipients:
        with force_locale(locale_of(user)):
            subject_text = str(subject)
        send_email(user.email, subject_text, template, locale_of(user),
                   idempotency_key=f"{template}:{revision.id}:{user.id}", owner=user, obj=obj,
                   object_type=object_type(obj), revision=revision, **context)
    return len(recipients)


# ---------------------------------------------------------------- use-cases (commit once)

def _require_moderator(user: User) -> None:
    if not can_moderate(user):
        raise Forbidden()


# What else happens, in the same transaction, when a moderator approves an object of a type.
# Registered per app by the orchestration layer (catalog_app.publishing.init_app), so this
# feature never imports what follows an approval (recommendations, their e-mails).
AFTER_APPROVAL_KEY = "moderation_after_approval"


def register_after_approval(app: Flask, type_name: str, hook: Callable[[object], object]) -> None:
    """Call `hook(obj)` after an object of `type_name` is approved, before the commit."""
    app.extensions.setdefault(AFTER_APPROVAL_KEY, {}).setdefault(type_name, []).append(hook)


def _after_approval(type_name: str) -> list[Callable[[object], object]]:
    return current_app.extensions.get(AFTER_APPROVAL_KEY, {}).get(type_name, [])


def approve_and_notify(obj, moderator: User):
    """Approve whatever waits (listing, demand, organization, file), record it, email the owner.

    One transaction: the decision, the audit entry and the owner's email (for text) commit
    together or not at all.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when nothing is waiting for review (someone decided first).
    """
    _require_moderator(moderator)
    reviewable = reviewable_for(obj)
    try:
        decision = reviewable.approve(obj, moderator)
        if reviewable.notifies_owner():
            _notify_owner(obj, decision, "moderation_approved", _l("Published: %(title)s", title=obj.title),
                          url=public_url(obj))
        for hook in _after_approval(reviewable.type_name):
            hook(obj)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return decision


def reject_and_notify(obj, moderator: User, reason: str):
    """Send whatever waits back with the reason, record it, and email the owner (for text).

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when the reason is empty or nothing is waiting for review.
    """
    _require_moderator(moderator)
    reviewable = reviewable_for(obj)
    try:
        decision = reject(obj, moderator, reason)
        if reviewable.notifies_owner():
            _notify_owner(obj, decision, "moderation_rejected",
                          _l("Changes needed: %(title)s", title=obj.title), reason=decision.reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return decision


def decide_file_and_record(file_type: str, file_id: int, moderator: User, approve: bool,
                           reason: str = "") -> Revision:
    """Approve (publish with its listing or demand) or reject one file, and record it.

    The owner is not emailed: a file decision does not change whether the listing or
    demand is public, and the owner sees the state beside the file in the editor.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when rejecting without a reason, or when the file is not pending.
    """
    reviewable = REVIEWABLES[file_type]
    file = reviewable.load(file_id)
    if file is None:
        _require_moderator(moderator)
        raise ReviewError("nothing is waiting for review")
    return approve_and_notify(file, moderator) if approve else reject_and_notify(file, moderator, reason)


def verify_organization(org: Organization, moderator: User, verified: bool) -> AuditEntry:
    """Mark an organization verified (or withdraw it) and record who did it.

    The audit entry keeps whether the credit code passed the GB 32100-2015 check at that
    moment, so a later question "why was this verified?" has an answer.

    :raises Forbidden: when `moderator` may not moderate.
    :raises ReviewError: when the organization is already in that state.
    """
    _require_moderator(moderator)
    entry = REVIEWABLES["organization"].set_verified(org, moderator, verified)
    db.session.commit()
    return entry
