"""Use-cases of a supplier's own listings. Each public function commits once.

Permissions are checked first (`permissions.py`); a refused action raises
`ListingActionError` with a message for people and changes nothing. Whenever the taxonomy
links of a listing change, `updated_at` is set explicitly: the matching index refreshes
from `updated_at`, and SQLAlchemy's `onupdate` does not fire for changes that only touch
the link tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from catalog_app import audit
from catalog_app.extensions import db
from catalog_app.form_errors import Refusal
from catalog_app.listings import permissions
from catalog_app.models import (
    LISTING_CLASS_BY_KIND,
    LISTING_CONTENT_FIELDS,
    CaseOutcome,
    Industry,
    Listing,
    ListingKind,
    ListingStatus,
    MaturityStage,
    OutcomeMetric,
    ReviewDecision,
    Scenario,
    ScenarioStage,
    Technology,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.moderation import services as moderation
from catalog_app.taxonomy.services import UnknownIndustry, clusters_by_id, industry_choices, is_cluster

RENEWAL_PERIOD = timedelta(days=365)
EXPIRY_WARNING = permissions.RENEWAL_WINDOW
COPY_SUFFIX = "（副本）"


class ListingActionError(Refusal):
    """A refused action on a listing; `message` is shown to the person who tried it."""


@dataclass(frozen=True)
class OutcomeInput:
    metric: OutcomeMetric
    label: str
    before_value: float
    after_value: float
    unit: str


@dataclass(frozen=True)
class ListingInput:
    """The editable content of a listing as plain values (the form builds it, services use it)."""

    title: str
    summary: str = ""
    body: str = ""
    keywords: str = ""
    industry_ids: tuple[int, ...] = ()
    scenario_ids: tuple[int, ...] = ()
    technology_ids: tuple[int, ...] = ()
    maturity_trl: Optional[int] = None
    maturity_stage: Optional[MaturityStage] = None
    expires_at: Optional[date] = None
    model_number: Optional[str] = None
    price_text: Optional[str] = None
    delivery_mode: Optional[str] = None
    delivery_weeks: Optional[int] = None
    customer_name: Optional[str] = None
    problem: Optional[str] = None
    deployment: Optional[str] = None
    deployed_year: Optional[int] = None
    outcomes: tuple[OutcomeInput, ...] = ()
    linked_ids: tuple[int, ...] = ()


PLAIN_FIELDS = LISTING_CONTENT_FIELDS
KIND_FIELDS = {
    ListingKind.SOLUTION: {"delivery_mode", "delivery_weeks"},
    ListingKind.PRODUCT: {"model_number", "price_text"},
    ListingKind.CASE: {"customer_name", "problem", "deployment", "deployed_year"},
}
ALL_KIND_FIELDS = set().union(*KIND_FIELDS.values())


# --- queries ---------------------------------------------------------------------------------

@dataclass
class ListingFilters:
    kind: Optional[ListingKind] = None
    status: Optional[ListingStatus] = None


def parse_kind(value: str | None) -> Optional[ListingKind]:
    try:
        return ListingKind(value) if value else None
    except ValueError:
        return None


def parse_filters(args) -> ListingFilters:
    """Filters from the query string; an unknown value means "all" rather than an error."""
    try:
        status = ListingStatus(args.get("status")) if args.get("status") else None
    except ValueError:
        status = None
    return ListingFilters(kind=parse_kind(args.get("kind")), status=status)


def default_expiry() -> date:
    return date.today() + RENEWAL_PERIOD


def template_example() -> dict:
    """The sample row of the import template, naming real taxonomy terms."""
    first = lambda model: db.session.scalars(sa.select(model).order_by(model.id)).first()  # noqa: E731
    industry = db.session.scalars(sa.select(Industry).where(is_cluster()).order_by(Industry.id)).first()
    scenario, technology = first(Scenario), first(Technology)
    return {
        "kind": "解决方案", "title": "皮具表面缺陷视觉检测方案",
        "summary": "基于深度学习的皮面划痕、色差自动识别，替代人工目检",
        "body": "适用于皮具、五金等行业的外观检测，支持产线在线部署。", "keywords": "视觉检测、缺陷检测",
        "industries": industry.name_zh if industry else "", "scenarios": scenario.name_zh if scenario else "",
        "technologies": technology.name_zh if technology else "", "maturity_trl": "7",
        "expires_at": default_expiry().isoformat(),
    }


def organization_listings(user: User, filters: ListingFilters) -> list[Listing]:
    """All listings of the user's organization, newest change first."""
    query = sa.select(Listing).where(Listing.organization_id == user.organization_id)
    if filters.kind is not None:
        query = query.where(Listing.kind == filters.kind)
    if filters.status is not None:
        query = query.where(Listing.status == filters.status)
    return list(db.session.scalars(query.order_by(Listing.updated_at.desc(), Listing.id.desc())))


def status_counts(user: User) -> dict[ListingStatus, int]:
    rows = db.session.execute(
        sa.select(Listing.status, sa.func.count()).where(Listing.organization_id == user.organization_id)
        .group_by(Listing.status))
    return {status: count for status, count in rows}


def expiry_state(listing: Listing, today: date | None = None) -> Optional[str]:
    """'expired', 'expiring' (within the renewal window) or None, for the warnings in the list."""
    if listing.expires_at is None or listing.status is ListingStatus.ARCHIVED:
        return None
    today = today or date.today()
    if listing.expires_at < today or listing.status is ListingStatus.EXPIRED:
        return "expired"
    if listing.expires_at - today <= EXPIRY_WARNING:
        return "expiring"
    return None


def linkable_listings(user: User, exclude_id: int | None = None) -> list[Listing]:
    """Solutions and products of the user's organization that a case may point to."""
    query = sa.select(Listing).where(
        Listing.organization_id == user.organization_id,
        Listing.kind.in_((ListingKind.SOLUTION, ListingKind.PRODUCT)),
        Listing.status != ListingStatus.ARCHIVED)
    if exclude_id is not None:
        query = query.where(Listing.id != exclude_id)
    return list(db.session.scalars(query.order_by(Listing.kind, Listing.title)))


def editor_choices(user: User, locale: str, listing: Listing | None = None) -> dict:
    """Options of the editor's multi-selects, grouped for people: industry clusters under
    their provincial family, scenarios under their value-chain stage."""
    industries_grouped = industry_choices(locale)  # the clusters, under their provincial family
    scenarios = [
        (scenario.id, scenario.localized_name(locale), scenario.stage.localized_name(locale))
        for scenario in db.session.scalars(sa.select(Scenario).join(Scenario.stage)
                                           .order_by(ScenarioStage.position, Scenario.position))
    ]
    technologies = [(t.id, t.localized_name(locale), None)
                    for t in db.session.scalars(sa.select(Technology).order_by(Technology.id))]
    linkable = [(other.id, other.title, None)
                for other in linkable_listings(user, exclude_id=listing.id if listing else None)]
    return {"industries": industries_grouped, "scenarios": scenarios, "technologies": technologies,
            "linkable": linkable}


# --- helpers (flush, never commit) -------------------------------------------------------------

def _terms(model, ids) -> list:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(set(ids))).order_by(model.id)))


def _apply(listing: Listing, values: ListingInput, actor: User, own_id: int | None = None) -> None:
    """Copy the input onto the listing; checks everything before the first change.

    :param own_id: the id of the listing `listing` stands for, when it is a detached copy.
    """
    allowed = {other.id: other for other in linkable_listings(actor, exclude_id=own_id or listing.id)} \
        if values.linked_ids else {}
    if set(values.linked_ids) - set(allowed):  # another organization's listing: never link it
        raise ListingActionError(_("Linked listings must be your own solutions or products."))
    try:  # only the clusters: a GB/T division would show up as a new filter value
        industries = clusters_by_id(values.industry_ids)
    except UnknownIndustry as error:
        raise ListingActionError(_("Choose industries from the list.")) from error
    own_fields = KIND_FIELDS[listing.kind]
    for name in PLAIN_FIELDS:
        if name in ALL_KIND_FIELDS and name not in own_fields:
            continue
        setattr(listing, name, getattr(values, name))
    listing.industries = industries
    listing.scenarios = _terms(Scenario, values.scenario_ids)
    listing.technologies = _terms(Technology, values.technology_ids)
    if listing.kind is ListingKind.CASE:
        listing.outcomes = [
            CaseOutcome(metric=o.metric, label=o.label, before_value=o.before_value,
                        after_value=o.after_value, unit=o.unit, position=position)
            for position, o in enumerate(values.outcomes)
        ]
        listing.linked = [allowed[i] for i in values.linked_ids]
    listing.updated_at = utcnow()


def _check_expiry(values: ListingInput) -> None:
    if values.expires_at is not None and values.expires_at < date.today():
        raise ListingActionError(_("The expiry date must not be in the past."))


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise ListingActionError(message if message is not None else _("You cannot change this listing."))


def _withdraw_pending_revision(listing: Listing) -> None:
    revision = moderation.pending_revision(listing)
    if revision is not None:
        revision.decision = ReviewDecision.WITHDRAWN


def editable_version(listing: Listing) -> Listing:
    """What the editor shows: the edit waiting for review, if any, else the listing as it is."""
    return moderation.proposed_version(listing)


def add_draft(kind: ListingKind, values: ListingInput, actor: User) -> Listing:
    """A new draft of the actor's organization (flushes; the caller checks and commits)."""
    listing = LISTING_CLASS_BY_KIND[kind](organization_id=actor.organization_id, status=ListingStatus.DRAFT,
                                          title=values.title)
    db.session.add(listing)
    _apply(listing, values, actor)
    db.session.flush()
    return listing


# --- use-cases -------------------------------------------------------------------------------

def create_listing(kind: ListingKind, values: ListingInput, actor: User) -> Listing:
    """A new draft of the actor's organization."""
    _require(permissions.can_manage_listings(actor))
    _check_expiry(values)
    listing = add_draft(kind, values, actor)
    audit.record(actor, "created", listing)
    db.session.commit()
    return listing


def update_listing(listing: Listing, values: ListingInput, actor: User) -> bool:
    """Save the changes; returns True when they went into the review queue.

    An edit of a published listing waits for a moderator as a pending revision while the
    approved version stays in the catalog: the catalog never shows text nobody reviewed,
    and a typo fix does not take a listing offline. The row changes only on approval.
    A listing already waiting for its first review is simply resubmitted.
    """
    _require(permissions.can_edit_listing(actor, listing))
    _check_expiry(values)
    if listing.status is ListingStatus.PUBLISHED:
        proposed = LISTING_CLASS_BY_KIND[listing.kind](organization_id=listing.organization_id, kind=listing.kind)
        _apply(proposed, values, actor, own_id=listing.id)  # a detached copy: never added to the session
        moderation.propose_edit(listing, proposed, actor)
        db.session.commit()
        return True
    _apply(listing, values, actor)
    resubmitted = listing.status is ListingStatus.PENDING_REVIEW
    if resubmitted:
        moderation.submit_for_review(listing, actor)
    else:
        audit.record(actor, "edited", listing)
    db.session.commit()
    return resubmitted


def submit_listing(listing: Listing, actor: User) -> None:
    _require(permissions.can_submit_listing(actor, listing), _("Only drafts and rejected listings can be submitted."))
    if not (listing.summary or "").strip():
        raise ListingActionError(_("Add a summary before submitting for review."))
    if listing.expires_at is not None and listing.expires_at < date.today():
        raise ListingActionError(_("The listing has expired: renew it before submitting."))
    moderation.submit_for_review(listing, actor)
    db.session.commit()


def withdraw_listing(listing: Listing, actor: User) -> None:
    """Back to draft: out of the catalog and out of the review queue."""
    _require(permissions.can_withdraw_listing(actor, listing), _("Only published or pending listings can be withdrawn."))
    _withdraw_pending_revision(listing)
    listing.status = ListingStatus.DRAFT
    listing.updated_at = utcnow()
    audit.record(actor, "withdrawn", listing)
    db.session.commit()


def archive_listing(listing: Listing, actor: User) -> None:
    _require(permissions.can_archive_listing(actor, listing))
    _withdraw_pending_revision(listing)
    listing.status = ListingStatus.ARCHIVED
    listing.updated_at = utcnow()
    audit.record(actor, "archived", listing)
    db.session.commit()


def renew_listing(listing: Listing, actor: User, today: date | None = None) -> date:
    """Extend the expiry by a year from the later of the old expiry and today.

    An expired listing that had been approved returns to the catalog only when its
    content is still the one a moderator approved (only the date changes). An expired
    listing can be edited, so when its text changed since the approval it goes to the
    review queue instead: renewing never publishes text nobody reviewed.
    """
    today = today or date.today()
    _require(permissions.can_renew_listing(actor, listing, today),
             _("Listings can be renewed within 60 days of expiry or after they have expired."))
    listing.expires_at = max(listing.expires_at, today) + RENEWAL_PERIOD
    listing.updated_at = utcnow()
    audit.record(actor, "renewed", listing, expires_at=listing.expires_at.isoformat())
    if listing.status is ListingStatus.EXPIRED:
        approved = moderation.last_approved_revision(listing) is not None or listing.published_at is not None
        if not approved:
            listing.status = ListingStatus.DRAFT
        elif moderation.changed_since_approval(listing):
            moderation.submit_for_review(listing, actor)
        else:
            listing.status = ListingStatus.PUBLISHED
    db.session.commit()
    return listing.expires_at


def duplicate_listing(listing: Listing, actor: User) -> Listing:
    """A new draft with the same content and taxonomy, titled "…（副本）". Images are not copied."""
    _require(permissions.can_duplicate_listing(actor, listing))
    copy = LISTING_CLASS_BY_KIND[listing.kind](organization_id=listing.organization_id, status=ListingStatus.DRAFT)
    for name in PLAIN_FIELDS:
        setattr(copy, name, getattr(listing, name))
    copy.title = listing.title[: 120 - len(COPY_SUFFIX)] + COPY_SUFFIX
    if copy.expires_at is not None and copy.expires_at < date.today():
        copy.expires_at = date.today() + RENEWAL_PERIOD
    copy.industries = list(listing.industries)
    copy.scenarios = list(listing.scenarios)
    copy.technologies = list(listing.technologies)
    copy.linked = list(listing.linked)
    copy.outcomes = [CaseOutcome(metric=o.metric, label=o.label, before_value=o.before_value,
                                 after_value=o.after_value, unit=o.unit, position=o.position)
                     for o in listing.outcomes]
    copy.updated_at = utcnow()
    db.session.add(copy)
    db.session.flush()
    audit.record(actor, "duplicated", copy, source_id=listing.id)
    db.session.commit()
    return copy
