"""Read-only look-ups behind the review page, the organization list and the audit log.

Nothing here writes: every moderation GET is served from these functions alone.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from catalog_app.extensions import db
from catalog_app.models import AuditEntry, Demand, Listing, Organization, ReviewDecision, Revision, User
from catalog_app.moderation import files
from catalog_app.moderation.diffing import FieldChange, compare_snapshots
from catalog_app.moderation.fields import kinds_for
from catalog_app.moderation.content import CONTENT_KEY, last_approved_revision, pending_revision
from catalog_app.moderation.reviewables import REVIEWABLES, reviewable_for
from catalog_app.moderation.services import load_reviewable
from catalog_app.credit_code import is_valid_credit_code

AUDIT_PAGE_SIZE = 30
ORGANIZATION_PAGE_SIZE = 30
HISTORY_LIMIT = 8


@dataclass
class Page:
    """One page of rows; `page` and `pages` are what the pagination macro reads."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _page(statement: sa.Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    if page < 1 or page > pages:
        raise NotFound()
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


# ---------------------------------------------------------------- review page

@dataclass
class OrganizationRecord:
    """How an organization has fared in review so far."""

    organization: Organization
    credit_code_valid: bool
    decision_counts: dict[str, int]
    recent_decisions: list[Revision]


@dataclass
class ReviewDetail:
    object_type: str
    obj: Listing | Demand
    pending: Revision | None
    approved: Revision | None
    changes: list[FieldChange]
    history: list[Revision]
    organization: OrganizationRecord
    snapshot: dict = field(default_factory=dict)
    # An edit of a public item: the diff compares with the public version (the row as it stands).
    is_edit_of_public: bool = False

    @property
    def is_first_submission(self) -> bool:
        return self.approved is None and not self.is_edit_of_public


def review_detail(type_name: str, object_id: int) -> ReviewDetail:
    """The pending version of an object, what changed since the last approval, and context.

    When nothing is pending (already decided, or withdrawn) the page still opens, showing
    the latest submitted version, so that a moderator following an old link sees what
    happened instead of an error.

    :raises NotFound: for an unknown type or id.
    """
    obj = load_reviewable(type_name, object_id)
    if obj is None:
        raise NotFound()
    reviewable = REVIEWABLES[type_name]
    pending, approved = pending_revision(obj), last_approved_revision(obj)
    if pending is None and _awaits_review(reviewable, obj):
        # A pending row without a revision (imported, or older code): show the row itself; the
        # decision writes the revision. Never added to the session: a GET writes nothing.
        pending = Revision(object_type=type_name, object_id=obj.id, snapshot=reviewable.snapshot(obj),
                           submitted_at=obj.updated_at, decision=ReviewDecision.PENDING)
    history = db.session.scalars(
        sa.select(Revision).where(Revision.object_type == type_name, Revision.object_id == obj.id)
        .options(selectinload(Revision.submitted_by), selectinload(Revision.decided_by))
        .order_by(Revision.submitted_at.desc(), Revision.id.desc())).all()
    shown = pending or (history[0] if history else None)
    snapshot = shown.snapshot if shown is not None else {}
    is_edit = pending is not None and CONTENT_KEY in pending.snapshot
    if is_edit:
        baseline = reviewable.snapshot(obj)  # the public version
    else:
        baseline = approved.snapshot if approved is not None and approved is not shown else None
    shown_fields = {name: value for name, value in snapshot.items() if name != CONTENT_KEY}  # values to write back
    changes = compare_snapshots(baseline, shown_fields, kinds_for(type_name)) if baseline is not None else []
    return ReviewDetail(object_type=type_name, obj=obj, pending=pending, approved=approved, changes=changes,
                        history=list(history), organization=organization_record(obj.organization),
                        snapshot=shown_fields, is_edit_of_public=is_edit)


def _awaits_review(reviewable, obj) -> bool:
    model = reviewable.model
    return bool(db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                  .where(model.id == obj.id, reviewable.awaiting())))


@dataclass
class FileReview:
    """One image or attachment of the reviewed item, and its review state."""

    file_type: str
    file: object
    decision: ReviewDecision | None  # None: uploaded before files were reviewed, public

    @property
    def is_pending(self) -> bool:
        return self.decision is ReviewDecision.PENDING

    @property
    def is_image(self) -> bool:
        return self.file.content_type.startswith("image/")


def file_reviews(obj: Listing | Demand) -> list[FileReview]:
    """Every file of a listing or demand with its review state, pending ones first."""
    items = files.files_of(obj)
    file_type = files.FILE_TYPE_BY_PARENT[reviewable_for(obj).type_name]
    decisions = files.file_decisions(file_type, [item.id for item in items])
    reviews = [FileReview(file_type, item, decisions.get(item.id)) for item in items]
    return sorted(reviews, key=lambda review: not review.is_pending)


def file_parent(file_type: str, file_id: int) -> Listing | Demand:
    """The listing or demand a file belongs to.

    :raises NotFound: for an unknown file.
    """
    model, parent_column, parent_type = files.FILE_MODELS[file_type]
    parent_id = db.session.scalar(sa.select(parent_column).where(model.id == file_id))
    parent = load_reviewable(parent_type, parent_id) if parent_id is not None else None
    if parent is None:
        raise NotFound()
    return parent


def _organization_revisions(organization_id: int):
    """SQL condition: the revision belongs to a listing or demand of the organization."""
    return sa.or_(
        sa.and_(Revision.object_type == "listing", Revision.object_id.in_(
            sa.select(Listing.id).where(Listing.organization_id == organization_id))),
        sa.and_(Revision.object_type == "demand", Revision.object_id.in_(
            sa.select(Demand.id).where(Demand.organization_id == organization_id))))


def organization_record(organization: Organization) -> OrganizationRecord:
    belongs = _organization_revisions(organization.id)
    counts = {decision.value: 0 for decision in ReviewDecision}
    for decision, count in db.session.execute(
            sa.select(Revision.decision, sa.func.count()).where(belongs).group_by(Revision.decision)):
        counts[decision.value] = count
    recent = db.session.scalars(
        sa.select(Revision).where(belongs, Revision.decision.in_([ReviewDecision.APPROVED, ReviewDecision.REJECTED]))
        .order_by(Revision.decided_at.desc(), Revision.id.desc()).limit(HISTORY_LIMIT)).all()
    return OrganizationRecord(organization=organization, credit_code_valid=is_valid_credit_code(organization.credit_code),
                              decision_counts=counts, recent_decisions=list(recent))


# ---------------------------------------------------------------- organizations

VERIFICATION_FILTERS = ("pending", "unverified", "verified", "all")


@dataclass
class OrganizationRow:
    organization: Organization
    credit_code_valid: bool
    pending_count: int


def organizations_for_verification(show: str = "unverified", page: int = 1) -> Page:
    """Organizations by verification state, newest registrations first.

    :param show: one of VERIFICATION_FILTERS ("pending": awaiting review, as the queue counts them).
    :returns: a page of OrganizationRow.
    """
    statement = sa.select(Organization).options(selectinload(Organization.region))
    if show == "pending":  # registered, nobody decided yet: the organizations in the review queue
        statement = statement.where(REVIEWABLES["organization"].awaiting())
    elif show == "unverified":
        statement = statement.where(Organization.is_verified.is_(False))
    elif show == "verified":
        statement = statement.where(Organization.is_verified.is_(True))
    result = _page(statement.order_by(Organization.created_at.desc(), Organization.id.desc()),
                   page, ORGANIZATION_PAGE_SIZE)
    pending = _pending_counts([organization.id for organization in result.items])
    result.items = [OrganizationRow(organization, is_valid_credit_code(organization.credit_code),
                                    pending.get(organization.id, 0)) for organization in result.items]
    return result


def _pending_counts(organization_ids: list[int]) -> dict[int, int]:
    """Pending submissions per organization: a verification often unblocks a review."""
    counts: dict[int, int] = {}
    for reviewable in (REVIEWABLES["listing"], REVIEWABLES["demand"]):
        model = reviewable.model
        rows = db.session.execute(
            sa.select(model.organization_id, sa.func.count())
            .where(model.organization_id.in_(organization_ids), reviewable.awaiting())
            .group_by(model.organization_id))
        for organization_id, count in rows:
            counts[organization_id] = counts.get(organization_id, 0) + count
    return counts


def get_organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound()
    return organization


# ---------------------------------------------------------------- audit log

@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None


def audit_log(filters: AuditFilter, page: int = 1) -> Page:
    """Audit entries, newest first, narrowed by actor, action and object."""
    statement = sa.select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.object_type:
        statement = statement.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        statement = statement.where(AuditEntry.object_id == filters.object_id)
    return _page(statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()), page, AUDIT_PAGE_SIZE)


def audit_actors() -> list[User]:
    """Everyone who appears in the audit log, for the actor filter."""
    return list(db.session.scalars(
        sa.select(User).where(User.id.in_(sa.select(AuditEntry.actor_id).distinct())).order_by(User.display_name)))


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def object_titles(entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """Current titles/names of the objects in a page of entries: one query per type."""
    titles: dict[tuple[str, int], str] = {}
    for type_name, model, column in (("listing", Listing, Listing.title), ("demand", Demand, Demand.title),
                                     ("organization", Organization, Organization.name)):
        ids = {entry.object_id for entry in entries if entry.object_type == type_name and entry.object_id}
        if ids:
            for object_id, title in db.session.execute(sa.select(model.id, column).where(model.id.in_(sorted(ids)))):
                titles[(type_name, object_id)] = title
    return titles
