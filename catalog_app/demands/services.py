"""Demands: the public side (listing and reading the ones suppliers may see) and, further
down, the enterprise's own use-cases (save, submit, withdraw, close, mark solved).

Public means a status in PUBLIC_DEMAND_STATUSES. What of a public demand's text anyone
may see is `catalog_app.visibility`'s rule: a summary-only demand shows its title and
summary, and `confidential_details` is never public. Search reads only that public text
(a keyword hit would leak the rest, two characters at a time), and the detail page gets a
`DemandDetail` whose `text` holds it: templates show `detail.text`, never the row's
text columns (tests check hidden text never appears in the page).
"""
from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import date
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from catalog_app import audit
from catalog_app.browsing.browse import BrowsePage, BrowseSource, LinkFacet, browse, rows_in_order
from catalog_app.browsing.params import BrowseParams
from catalog_app.form_errors import Refusal
from catalog_app.demands import permissions
from catalog_app.demands.quality import QualityReport, assess_demand
from catalog_app.extensions import db
from catalog_app.figures import kept
from catalog_app.models import (
    DEMAND_CONTENT_FIELDS,
    PUBLIC_DEMAND_STATUSES,
    Confidentiality,
    Demand,
    DemandStatus,
    Industry,
    Organization,
    Region,
    ReviewDecision,
    Scenario,
    Technology,
    User,
)
from catalog_app.models._types import utcnow
from catalog_app.models.demands import demand_industries, demand_scenarios, demand_technologies
from catalog_app.recommendations.services import search_demand_ids
from catalog_app.moderation import services as moderation
from catalog_app.read_cache import read_cache
from catalog_app.taxonomy.services import UnknownIndustry, clusters_by_id
from catalog_app.visibility import DemandText, public_demand_text, public_text_column
from catalog_app.listings.services import editor_choices as listing_editor_choices
from catalog_app.recommendations.services import preview_listings
from catalog_app.recommendations.services import recommend_listings
from catalog_app.recommendations.services import suggest_facets


def public_demands() -> sa.Select:
    return sa.select(Demand).join(Demand.organization).where(Demand.status.in_(PUBLIC_DEMAND_STATUSES))


@functools.cache
def card_options():
    """Eager loads for a demand card: organization, region (own or the organization's), tags.
    Built once: loader options are immutable, and building them took 0.5 ms a call."""
    return (
        joinedload(Demand.organization).joinedload(Organization.region).joinedload(Region.parent),
        joinedload(Demand.region).joinedload(Region.parent),
        selectinload(Demand.scenarios),
        selectinload(Demand.technologies),
    )


DEMAND_SOURCE = BrowseSource(
    model=Demand,
    statement=public_demands,
    # The database keyword filter (used when the engine gives no ranking) sees public text only.
    text_columns=(Demand.title, Demand.summary, public_text_column(Demand.background),
                  public_text_column(Demand.requirements), public_text_column(Demand.expected_outcomes)),
    title_column=Demand.title,
    newest_columns=(Demand.published_at,),
    # A demand without its own region is located where its organization is.
    region_column=sa.func.coalesce(Demand.region_id, Organization.region_id),
    link_facets={
        "industry": LinkFacet(demand_industries, "demand_id", "industry_id"),
        "scenario": LinkFacet(demand_scenarios, "demand_id", "scenario_id"),
        "technology": LinkFacet(demand_technologies, "demand_id", "technology_id"),
    },
    enum_columns={"tier": Organization.tier},
    facet_names=("industry", "scenario", "technology", "region", "tier"),
    ranked_search=lambda q: search_demand_ids(q),
    # Read from the database (any node's change moves it), polled: see catalog_app.read_cache.
    version=lambda: read_cache().data_version(),
    name="demands",
)


def search_demands(params: BrowseParams, with_facets: bool = True) -> BrowsePage:
    """A page of public demands matching `params`, with facet counts.

    :raises InvalidQuery: for an unknown facet value.
    :raises NotFound: for a page past the last one.
    """
    return browse(DEMAND_SOURCE, params, card_options(), with_facets=with_facets)


RECOMMENDATIONS_SHOWN = 8


@dataclass
class DemandDetail:
    demand: Demand
    # The text the page shows: the public text, whoever reads it (the owner edits the full
    # text, approved suppliers read it on the logged confidential page).
    text: DemandText
    # Listings the matching engine recommends for the demand, best first.
    recommendations: list

    @property
    def is_locked(self) -> bool:
        return self.text.is_locked


def get_demand(demand_id: int, reader=None) -> DemandDetail:
    """A public demand and the published listings recommended for it.

    :param reader: the user viewing the page; the reasons of the recommendations quote the
        demand's text as this user may see it (the full text for its own organization,
        the public text for everyone else).
    :raises NotFound: when no public demand has this id.
    """
    demand = db.session.scalar(
        public_demands()
        .where(Demand.id == demand_id)
        .options(
            *card_options(),
            selectinload(Demand.industries),
            selectinload(Demand.scenarios).joinedload(Scenario.stage),
        )
    )
    if demand is None:
        raise NotFound()
    return DemandDetail(
        demand=demand,
        text=public_demand_text(demand),
        recommendations=recommend_listings(demand, top=RECOMMENDATIONS_SHOWN, reader=reader),
    )


def demands_for_scenarios(scenario_ids: list[int], limit: int = 4) -> list[Demand]:
    """Public demands in any of the scenarios, newest first.

    Which ones is kept for a few seconds (`catalog_app.figures`: finding them sorts every
    demand of the scenarios); the rows are loaded fresh and still public.
    """
    return rows_in_order(public_demands().options(*card_options()), Demand,
                         demand_ids_for_scenarios(scenario_ids, limit))


def demand_ids_for_scenarios(scenario_ids: list[int], limit: int = 4) -> list[int]:
    """The ids `demands_for_scenarios` shows, kept as a figure; callers load or check them
    under the public condition."""
    if not scenario_ids:
        return []
    key = f"demands-for-scenarios:{sorted(scenario_ids)}:{limit}"
    return kept(key, lambda: list(db.session.scalars(
        sa.select(Demand.id)
        .where(Demand.status.in_(PUBLIC_DEMAND_STATUSES),
               Demand.id.in_(sa.select(demand_scenarios.c.demand_id)
                             .where(demand_scenarios.c.scenario_id.in_(scenario_ids))))
        .order_by(Demand.published_at.desc(), Demand.id.desc())
        .limit(limit)
    )))


# --------------------------------------------------------------- the enterprise's own demands
# Use-cases commit once; helpers flush. Permissions are checked first (`permissions.py`); a
# refused action raises `DemandError` and changes nothing.

class DemandError(Refusal):
    """A demand rule the user broke (see `form_errors.Refusal`)."""


@dataclass(frozen=True)
class DemandInput:
    """The editable content of a demand as plain values (the form builds it, services use it)."""

    title: str
    summary: str = ""
    background: str = ""
    requirements: str = ""
    expected_outcomes: str = ""
    data_available: str = ""
    confidential_details: str = ""
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    industry_ids: tuple[int, ...] = ()
    scenario_ids: tuple[int, ...] = ()
    technology_ids: tuple[int, ...] = ()
    region_id: Optional[int] = None
    budget_min: Optional[int] = None
    budget_max: Optional[int] = None
    deadline: Optional[date] = None
    is_challenge: bool = False
    prize_amount: Optional[int] = None
    challenge_deadline: Optional[date] = None


PLAIN_FIELDS = DEMAND_CONTENT_FIELDS + ("region_id",)


class SaveOutcome(enum.Enum):
    SAVED = "saved"                            # a draft (or a rejected demand) was saved
    SUBMITTED = "submitted"                    # it went to the review queue
    NEEDS_CONFIRMATION = "needs_confirmation"  # saved; the quality check wants a confirmation first


@dataclass(frozen=True)
class SaveResult:
    demand: Demand
    outcome: SaveOutcome
    report: QualityReport


def editable_version(demand: Demand) -> Demand:
    """What the editor shows: the edit waiting for review, if any, else the demand as it is."""
    return moderation.proposed_version(demand)


def input_of(demand: Demand) -> DemandInput:
    """The saved demand as input values (the editor's initial data, the quality check)."""
    return DemandInput(
        **{name: getattr(demand, name) for name in PLAIN_FIELDS},
        industry_ids=tuple(t.id for t in demand.industries), scenario_ids=tuple(t.id for t in demand.scenarios),
        technology_ids=tuple(t.id for t in demand.technologies),
    )


def organization_demands(user: User) -> list[Demand]:
    """Every demand of the user's organization, in all statuses, newest change first."""
    return list(db.session.scalars(
        sa.select(Demand).where(Demand.organization_id == user.organization_id)
        .options(selectinload(Demand.scenarios), joinedload(Demand.region))
        .order_by(Demand.updated_at.desc(), Demand.id.desc())).unique())


def status_counts(user: User) -> dict[DemandStatus, int]:
    rows = db.session.execute(sa.select(Demand.status, sa.func.count())
                              .where(Demand.organization_id == user.organization_id).group_by(Demand.status))
    return {status: count for status, count in rows}


def editor_choices(user: User, locale: str) -> dict:
    """(id, name, group) triples for the pickers: industry clusters under their family, scenarios under
    their value-chain stage (the listings editor's grouping), districts under their city."""
    choices = listing_editor_choices(user, locale)
    choices.pop("linkable")  # a case's related listings: nothing a demand has
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.code)))
    cities = [region for region in regions if region.parent_id is None]
    districts: dict[int, list[Region]] = {}
    for region in regions:
        if region.parent_id is not None:
            districts.setdefault(region.parent_id, []).append(region)
    choices["regions"] = [(region.id, region.localized_name(locale), city.localized_name(locale))
                          for city in cities for region in [city, *districts.get(city.id, [])]]
    return choices


def _terms(model, ids) -> list:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(set(ids))).order_by(model.id)))


def _check_dates(values: DemandInput, today: date) -> None:
    """The form checks these too; the service repeats them because it is the last line."""
    if values.deadline is not None and values.deadline <= today:
        raise DemandError(_l("The deadline must be in the future."), "deadline")
    if values.budget_min is not None and values.budget_max is not None and values.budget_min > values.budget_max:
        raise DemandError(_l("The maximum must not be lower than the minimum."), "budget_max")
    if values.is_challenge and values.challenge_deadline is not None:
        if values.challenge_deadline <= today:
            raise DemandError(_l("The challenge deadline must be in the future."), "challenge_deadline")
        if values.deadline is not None and values.challenge_deadline > values.deadline:
            raise DemandError(_l("The challenge must close on or before the demand deadline."),
                              "challenge_deadline")


def _check_industries(values: DemandInput) -> None:
    """Only the industry clusters may tag a demand (a GB/T division would become a new filter
    value); checked before anything is written."""
    try:
        clusters_by_id(values.industry_ids)
    except UnknownIndustry as error:
        raise DemandError(_l("Choose industries from the list."), "industries") from error


def _apply(demand: Demand, values: DemandInput) -> None:
    for name in PLAIN_FIELDS:
        setattr(demand, name, getattr(values, name))
    if not values.is_challenge:
        demand.prize_amount = demand.challenge_deadline = None
    demand.industries = clusters_by_id(values.industry_ids)
    demand.scenarios = _terms(Scenario, values.scenario_ids)
    demand.technologies = _terms(Technology, values.technology_ids)
    demand.updated_at = utcnow()  # link-table changes do not fire onupdate; the matching index reads it


def _require(allowed: bool, message=None) -> None:
    if not allowed:
        raise DemandError(message if message is not None else _l("You cannot change this demand."))


def _send_to_review(demand: Demand, actor: User, accept_low_quality: bool) -> SaveResult:
    """Submit when the quality check passes or the author confirmed; flushes."""
    if not (demand.summary or "").strip():
        raise DemandError(_l("Write a public summary before submitting for review."), "summary")
    report = assess_demand(input_of(demand), demand.organization.tier)
    if not report.passes and not accept_low_quality:
        return SaveResult(demand, SaveOutcome.NEEDS_CONFIRMATION, report)
    moderation.submit_for_review(demand, actor)
    return SaveResult(demand, SaveOutcome.SUBMITTED, report)


def save_demand(demand: Demand | None, values: DemandInput, actor: User, *, submit: bool = False,
                accept_low_quality: bool = False, today: date | None = None) -> SaveResult:
    """Create (demand None) or update a demand, and submit it for review when asked.

    A published demand that is edited keeps its approved text public while the edit waits
    for a moderator as a pending revision (the row changes on approval); a pending demand
    that is edited is resubmitted. The public never sees text that nobody reviewed. A submission whose
    quality score is below the threshold is saved as a draft and comes back
    NEEDS_CONFIRMATION unless `accept_low_quality`.
    """
    if demand is None:
        _require(permissions.can_create_demand(actor), _l("Only enterprise members can post demands."))
    else:
        _require(permissions.can_edit_demand(actor, demand))
    _check_dates(values, today or date.today())
    _check_industries(values)
    if demand is not None and demand.status is DemandStatus.PUBLISHED:
        if not (values.summary or "").strip():
            raise DemandError(_l("Write a public summary before submitting for review."), "summary")
        proposed = Demand(organization_id=demand.organization_id, created_by_id=demand.created_by_id)
        _apply(proposed, values)  # a detached copy: never added to the session
        moderation.propose_edit(demand, proposed, actor)
        db.session.commit()
        return SaveResult(demand, SaveOutcome.SUBMITTED, assess_demand(values))
    if demand is None:
        demand = Demand(organization_id=actor.organization_id, created_by_id=actor.id,
                        status=DemandStatus.DRAFT, title=values.title)
        db.session.add(demand)
    _apply(demand, values)
    db.session.flush()
    if demand.status in (DemandStatus.PUBLISHED, DemandStatus.PENDING_REVIEW):
        result = _send_to_review(demand, actor, accept_low_quality=True)
    elif submit:
        result = _send_to_review(demand, actor, accept_low_quality)
    else:
        result = SaveResult(demand, SaveOutcome.SAVED, assess_demand(values, demand.organization.tier))
    if result.outcome is not SaveOutcome.SUBMITTED:
        audit.record(actor, "edited", demand)
    db.session.commit()
    return result


def submit_demand(demand: Demand, actor: User, *, accept_low_quality: bool = False) -> SaveResult:
    """Send a draft or rejected demand to review (the quality check may ask to confirm first)."""
    _require(permissions.can_submit_demand(actor, demand), _l("Only drafts and rejected demands can be submitted."))
    if demand.deadline is not None and demand.deadline <= date.today():
        raise DemandError(_l("The deadline has passed: set a new one before submitting."), "deadline")
    result = _send_to_review(demand, actor, accept_low_quality)
    db.session.commit()
    return result


def _withdraw_pending_revision(demand: Demand) -> None:
    revision = moderation.pending_revision(demand)
    if revision is not None:
        revision.decision = ReviewDecision.WITHDRAWN


def _change_status(demand: Demand, actor: User, status: DemandStatus, action: str) -> None:
    _withdraw_pending_revision(demand)
    demand.status = status
    demand.updated_at = utcnow()
    audit.record(actor, action, demand)
    db.session.commit()


def withdraw_demand(demand: Demand, actor: User) -> None:
    """Back to draft: out of the public list and out of the review queue."""
    _require(permissions.can_withdraw_demand(actor, demand), _l("Only published or pending demands can be withdrawn."))
    _change_status(demand, actor, DemandStatus.DRAFT, "withdrawn")


def close_demand(demand: Demand, actor: User) -> None:
    """No more answers wanted; the demand leaves the public list."""
    _require(permissions.can_close_demand(actor, demand), _l("Only open demands can be closed."))
    _change_status(demand, actor, DemandStatus.CLOSED, "closed")


def mark_demand_solved(demand: Demand, actor: User) -> None:
    """Solved demands stay public as a reference, marked solved, and take no more answers."""
    _require(permissions.can_mark_demand_solved(actor, demand), _l("Only open demands can be marked solved."))
    _change_status(demand, actor, DemandStatus.SOLVED, "solved")


PREVIEW_TEXT_MAX = 4000


def _draft_text(values: DemandInput) -> str:
    return "\n".join((values.title, values.title, values.summary, values.background, values.requirements,
                      values.expected_outcomes))[:PREVIEW_TEXT_MAX]


def suggested_facets(values: DemandInput) -> list[tuple[str, object]]:
    """(form field, taxonomy row) pairs the draft's text suggests and the draft does not have yet:
    industries and scenarios inferred by the matching engine, likeliest first."""
    chosen = {"industries": set(values.industry_ids), "scenarios": set(values.scenario_ids)}
    inferred = suggest_facets(_draft_text(values))
    return [(field, row) for field, facet in (("scenarios", "scenario"), ("industries", "industry"))
            for row, _probability in inferred[facet] if row.id not in chosen[field]]


def preview_matches(values: DemandInput, top: int = 5) -> list:
    """Published listings matching a demand still being written (the editor's live preview).

    Reads nothing but public listings and writes nothing: the text may be half typed.
    """
    text = _draft_text(values)
    names = lambda model, ids: [term.name_zh for term in _terms(model, ids)]  # noqa: E731
    return preview_listings(text, industry=names(Industry, values.industry_ids),
                            scenario=names(Scenario, values.scenario_ids),
                            technology=names(Technology, values.technology_ids), top=top)
