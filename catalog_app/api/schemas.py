"""What the API returns: marshmallow schemas that are also the OpenAPI description.

Every schema lists its fields explicitly (no `fields = "__all__"`): a column added to a
model later stays private until someone adds it here, which is how `confidential_details`,
contact details and moderation notes stay out of every response.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone

import marshmallow as ma

from catalog_app.api.pagination import PaginationSchema
from catalog_app.models import (
    Confidentiality,
    DemandStatus,
    ListingKind,
    ListingStatus,
    MaturityStage,
    OrganizationKind,
    OrganizationTier,
    OutcomeMetric,
)
from catalog_app.public_urls import SECTION_BY_KIND, public_url
from catalog_app.taxonomy.services import cluster_family, gbt_codes as cluster_gbt_codes
from catalog_app.visibility import public_demand_text

F = ma.fields


class UtcDateTime(F.DateTime):
    """Timestamps are stored as naive UTC; the API says so with an explicit offset (RFC 3339)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


def _enum(enum_cls, **kwargs):
    return F.Enum(enum_cls, by_value=True, **kwargs)


# --- taxonomy ----------------------------------------------------------------------------------

class _Names(ma.Schema):
    name_zh = F.String(required=True)
    name_en = F.String(required=True)


class IndustryRefSchema(_Names):
    code = F.String(required=True)


class ScenarioRefSchema(_Names):
    slug = F.String(required=True)


class TechnologyRefSchema(_Names):
    slug = F.String(required=True)


class RegionRefSchema(_Names):
    code = F.String(required=True)
    level = F.String(required=True, metadata={"description": "city or district"})


class IndustrySchema(IndustryRefSchema):
    """An industry cluster (the values of `industry`), with the GB/T 4754 divisions it maps to."""

    parent_code = F.Function(lambda term: term.parent.code if term.parent else None, allow_none=True)
    is_pillar = F.Boolean(required=True)
    family_zh = F.Function(lambda term: cluster_family(term.code)[0])
    family_en = F.Function(lambda term: cluster_family(term.code)[1])
    gbt_codes = F.Function(lambda term: list(cluster_gbt_codes(term.code)),
                           metadata={"description": "GB/T 4754-2017 division codes, for statistics"})


class RegionSchema(RegionRefSchema):
    parent_code = F.Function(lambda term: term.parent.code if term.parent else None, allow_none=True)


class StageSchema(_Names):
    code = F.String(required=True)


class ScenarioSchema(ScenarioRefSchema):
    stage = F.Nested(StageSchema, required=True)
    summary_zh = F.String(required=True)
    summary_en = F.String(required=True)


class ScenarioDetailSchema(ScenarioSchema):
    pain_points_zh = F.String(required=True)
    pain_points_en = F.String(required=True)
    source = F.String(required=True)
    listing_count = F.Integer(required=True, metadata={"description": "Published listings in the scenario"})
    demand_count = F.Integer(required=True, metadata={"description": "Public demands in the scenario"})


# --- organizations -------------------------------------------------------------------------------

class OrganizationRefSchema(ma.Schema):
    id = F.Integer(required=True)
    name = F.String(required=True)
    kind = _enum(OrganizationKind, required=True)
    tier = _enum(OrganizationTier, required=True)
    is_verified = F.Boolean(required=True)
    region = F.Nested(RegionRefSchema, allow_none=True)


class OrganizationSchema(OrganizationRefSchema):
    description = F.String(required=True)
    website = F.String(required=True)
    founded_year = F.Integer(allow_none=True)
    industries = F.List(F.Nested(IndustryRefSchema), required=True)
    created_at = UtcDateTime(required=True)
    listing_count = F.Integer(required=True)
    demand_count = F.Integer(required=True)


class OrganizationPageSchema(ma.Schema):
    items = F.List(F.Nested(OrganizationSchema), required=True)
    pagination = F.Nested(PaginationSchema, required=True)


# --- listings ------------------------------------------------------------------------------------

def _finite_change(outcome) -> float | None:
    """The relative change, or None where it is undefined or too large to write as JSON."""
    value = outcome.change_percent
    return value if value is not None and math.isfinite(value) else None


class OutcomeSchema(ma.Schema):
    metric = _enum(OutcomeMetric, required=True)
    label = F.String(required=True)
    before_value = F.Float(required=True)
    after_value = F.Float(required=True)
    unit = F.String(required=True)
    change_percent = F.Function(_finite_change, allow_none=True, metadata={"type": ["number", "null"]})


class ListingSummarySchema(ma.Schema):
    id = F.Integer(required=True)
    kind = _enum(ListingKind, required=True)
    title = F.String(required=True)
    summary = F.String(required=True)
    keywords = F.String(required=True)
    maturity_trl = F.Integer(allow_none=True)
    maturity_stage = _enum(MaturityStage, allow_none=True)
    is_featured = F.Boolean(required=True)
    published_at = UtcDateTime(allow_none=True)
    organization = F.Nested(OrganizationRefSchema, required=True)
    scenarios = F.List(F.Nested(ScenarioRefSchema), required=True)
    technologies = F.List(F.Nested(TechnologyRefSchema), required=True)
    url = F.Method("html_url", required=True, metadata={"description": "The listing's page on the site"})

    def html_url(self, listing) -> str:
        return public_url("catalog.listing", section=SECTION_BY_KIND[listing.kind], listing_id=listing.id)


class ListingSchema(ListingSummarySchema):
    body = F.String(required=True)
    industries = F.List(F.Nested(IndustryRefSchema), required=True)
    expires_at = F.Date(allow_none=True)
    updated_at = UtcDateTime(required=True)
    model_number = F.String(allow_none=True)
    price_text = F.String(allow_none=True)
    delivery_mode = F.String(allow_none=True)
    delivery_weeks = F.Integer(allow_none=True)
    customer_name = F.String(allow_none=True)
    problem = F.String(allow_none=True)
    deployment = F.String(allow_none=True)
    deployed_year = F.Integer(allow_none=True)
    outcomes = F.List(F.Nested(OutcomeSchema), required=True)


class OwnListingSchema(ListingSchema):
    """A listing as its supplier sees it through the API: any status."""

    status = _enum(ListingStatus, required=True)
    linked_ids = F.Function(lambda listing: [other.id for other in listing.linked], required=True)
    url = F.Method("html_url", allow_none=True)

    def html_url(self, listing):
        return super().html_url(listing) if listing.is_public else None


class ListingPageSchema(ma.Schema):
    items = F.List(F.Nested(ListingSummarySchema), required=True)
    pagination = F.Nested(PaginationSchema, required=True)


# --- demands -------------------------------------------------------------------------------------

class DemandSummarySchema(ma.Schema):
    id = F.Integer(required=True)
    title = F.String(required=True)
    summary = F.String(required=True)
    status = _enum(DemandStatus, required=True)
    confidentiality = _enum(Confidentiality, required=True)
    is_challenge = F.Boolean(required=True)
    budget_min = F.Integer(allow_none=True, metadata={"description": "In 10,000 yuan"})
    budget_max = F.Integer(allow_none=True, metadata={"description": "In 10,000 yuan"})
    deadline = F.Date(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    organization = F.Nested(OrganizationRefSchema, required=True)
    region = F.Nested(RegionRefSchema, allow_none=True)
    scenarios = F.List(F.Nested(ScenarioRefSchema), required=True)
    technologies = F.List(F.Nested(TechnologyRefSchema), required=True)
    url = F.Method("html_url", allow_none=True)

    def html_url(self, demand):
        return public_url("demands.detail", demand_id=demand.id) if demand.is_public else None


def _unless_locked(name: str):
    """The public text of a demand's field (`catalog_app.visibility`); None when the
    enterprise published only its summary."""
    return F.Function(lambda demand: public_demand_text(demand).shown(name), allow_none=True)


class DemandSchema(DemandSummarySchema):
    industries = F.List(F.Nested(IndustryRefSchema), required=True)
    is_locked = F.Function(lambda demand: public_demand_text(demand).is_locked,
                           required=True, metadata={"description": "Only the summary is public"})
    background = _unless_locked("background")
    requirements = _unless_locked("requirements")
    expected_outcomes = _unless_locked("expected_outcomes")
    data_available = _unless_locked("data_available")
    prize_amount = F.Integer(allow_none=True)
    challenge_deadline = F.Date(allow_none=True)


class OwnDemandSchema(DemandSchema):
    """The author's view: every public field in full, in any status (never the confidential part)."""

    background = F.String(required=True)
    requirements = F.String(required=True)
    expected_outcomes = F.String(required=True)
    data_available = F.String(required=True)
    has_confidential_part = F.Function(lambda demand: bool((demand.confidential_details or "").strip()),
                                          required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class DemandPageSchema(ma.Schema):
    items = F.List(F.Nested(DemandSummarySchema), required=True)
    pagination = F.Nested(PaginationSchema, required=True)


class QualityCheckSchema(ma.Schema):
    key = F.String(required=True)
    state = F.String(required=True)
    title = F.String(required=True)
    advice = F.String(required=True)


class QualitySchema(ma.Schema):
    score = F.Integer(required=True)
    threshold = F.Integer(required=True)
    passes = F.Boolean(required=True)
    checks = F.List(F.Nested(QualityCheckSchema), required=True)


class DemandSavedSchema(ma.Schema):
    outcome = F.String(required=True, metadata={
        "description": "saved (a draft), submitted (in the review queue) or needs_confirmation "
                       "(saved as a draft: the quality check asks for more detail; resend with "
                       "accept_low_quality to submit anyway)"})
    demand = F.Nested(OwnDemandSchema, required=True)
    quality = F.Nested(QualitySchema, required=True)


# --- recommendations -----------------------------------------------------------------------------

class ReasonSchema(ma.Schema):
    kind = F.String(required=True, metadata={"description": "term, synonym, facet, verified, case or fuzzy"})
    label = F.String(required=True)
    weight = F.Float(required=True)
    facet = F.String(allow_none=True)


class RecommendationSchema(ma.Schema):
    listing = F.Nested(ListingSummarySchema, required=True)
    score = F.Float(required=True, metadata={
        "description": "The engine's older relative score (the best hit is about 1): not comparable across requests"})
    confidence = F.Float(required=True, metadata={
        "description": "Calibrated confidence in [0, 1], comparable across demands and requests"})
    percent = F.Integer(required=True, metadata={"description": "The confidence on a 0-100 bar: round(confidence * 100)"})
    strong = F.Boolean(required=True, metadata={
        "description": "confidence >= the platform's strong-match threshold (STRONG_MATCH_CONFIDENCE)"})
    reasons = F.List(F.Nested(ReasonSchema), required=True)
    explanation = F.String(required=True)


class RecommendationListSchema(ma.Schema):
    items = F.List(F.Nested(RecommendationSchema), required=True)


# --- accounts ------------------------------------------------------------------------------------

class MeSchema(ma.Schema):
    id = F.Integer(required=True)
    display_name = F.String(required=True)
    role = F.String(required=True)
    organization = F.Nested(OrganizationRefSchema, allow_none=True)
    scopes = F.List(F.String(), required=True)
