"""What the API accepts: query strings and JSON bodies, as marshmallow schemas.

Bodies refuse unknown fields (marshmallow's default RAISE), so a typo such as `tittle`
is a 422 naming the field rather than a silently ignored value. Every text field is a
`Text`: bounded by its column's length (PostgreSQL refuses longer values with an error
that would otherwise become a 500) and free of NUL and lone surrogates, which no
database column can store.
"""
from __future__ import annotations

import marshmallow as ma

from catalog_app.api.pagination import PageArgsSchema, WholeNumber
from catalog_app.browsing.params import SORTS
from catalog_app.models import Confidentiality, MaturityStage, OrganizationKind, OrganizationTier, OutcomeMetric
from catalog_app.titles import has_visible_text

F = ma.fields
V = ma.validate

LONG_TEXT = 20_000
MATCH_TEXT_MAX = 4_000
SEARCH_TEXT_MAX = 200
MAX_TERMS = 20
MAX_AMOUNT = 10_000_000  # 10,000 yuan units: far above any real budget, well inside int4


class Text(F.String):
    """A string bounded by `max_length` that a database can store."""

    def __init__(self, max_length: int, min_length: int = 0, **kwargs):
        super().__init__(validate=V.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Must not contain NUL characters.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ma.ValidationError("Must be valid Unicode text.") from error
        return text


class Title(Text):
    """A `Text` that must show something: not only spaces or zero-width characters
    (the shared rule of catalog_app.titles)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not has_visible_text(text):
            raise ma.ValidationError("Must contain visible characters, not only spaces or invisible ones.")
        return text


def _codes(description: str):
    return F.List(Text(80), validate=V.Length(max=MAX_TERMS), metadata={"description": description})


def _enum(enum_cls, **kwargs):
    return F.Enum(enum_cls, by_value=True, **kwargs)


# --- query strings -------------------------------------------------------------------------------

class _FacetArgs(PageArgsSchema):
    q = Text(SEARCH_TEXT_MAX, metadata={"description": "Keywords; ranked by the matching engine for listings"})
    industry = Text(80, metadata={"description": "An industry code (see /taxonomy/industries)"})
    region = Text(12, metadata={"description": "A city code; includes its districts"})
    tier = _enum(OrganizationTier)
    sort = F.String(validate=V.OneOf(SORTS), metadata={"description": "relevance (default with q), newest, title"})


class ListingArgsSchema(_FacetArgs):
    scenario = Text(80, metadata={"description": "A scenario slug (see /taxonomy/scenarios)"})
    technology = Text(80, metadata={"description": "A technology slug (see /taxonomy/technologies)"})


class DemandArgsSchema(ListingArgsSchema):
    pass


class OrganizationArgsSchema(_FacetArgs):
    kind = _enum(OrganizationKind)


# --- bodies --------------------------------------------------------------------------------------

class MatchBodySchema(ma.Schema):
    text = Text(MATCH_TEXT_MAX, min_length=1, required=True,
                metadata={"description": "The demand in your words: title and description"})
    industry = _codes("Industry codes")
    scenario = _codes("Scenario slugs")
    technology = _codes("Technology slugs")
    top = F.Integer(validate=V.Range(min=1, max=20), load_default=5)


class _TaxonomyBody(ma.Schema):
    industries = _codes("Industry codes")
    scenarios = _codes("Scenario slugs")
    technologies = _codes("Technology slugs")


class DemandBodySchema(_TaxonomyBody):
    title = Title(120, min_length=2, required=True)
    summary = Text(500, load_default="")
    background = Text(LONG_TEXT, load_default="")
    requirements = Text(LONG_TEXT, load_default="")
    expected_outcomes = Text(LONG_TEXT, load_default="")
    data_available = Text(LONG_TEXT, load_default="")
    confidential_details = Text(LONG_TEXT, load_default="", load_only=True, metadata={
        "description": "Shown only to suppliers the enterprise approves; never returned by the API"})
    confidentiality = _enum(Confidentiality, load_default=Confidentiality.PUBLIC)
    region = Text(12, allow_none=True, load_default=None, metadata={"description": "A region code"})
    budget_min = F.Integer(allow_none=True, load_default=None, validate=V.Range(min=0, max=MAX_AMOUNT))
    budget_max = F.Integer(allow_none=True, load_default=None, validate=V.Range(min=0, max=MAX_AMOUNT))
    deadline = F.Date(allow_none=True, load_default=None)
    is_challenge = F.Boolean(load_default=False)
    prize_amount = F.Integer(allow_none=True, load_default=None, validate=V.Range(min=0, max=MAX_AMOUNT))
    challenge_deadline = F.Date(allow_none=True, load_default=None)
    submit = F.Boolean(load_default=False, metadata={
        "description": "false: save as a draft; true: send to the moderators' review queue"})
    accept_low_quality = F.Boolean(load_default=False, metadata={
        "description": "Submit even when the quality check finds the description thin"})


class OutcomeBodySchema(ma.Schema):
    metric = _enum(OutcomeMetric, required=True)
    label = Text(60, min_length=1, required=True)
    before_value = F.Float(required=True, validate=V.Range(min=-1e12, max=1e12))
    after_value = F.Float(required=True, validate=V.Range(min=-1e12, max=1e12))
    unit = Text(20, required=True)


class ListingBodySchema(_TaxonomyBody):
    """A listing's content. Kind-specific fields of another kind are refused."""

    title = Title(120, min_length=2, required=True)
    summary = Text(500)
    body = Text(LONG_TEXT)
    keywords = Text(300)
    maturity_trl = F.Integer(allow_none=True, validate=V.Range(min=1, max=9))
    maturity_stage = _enum(MaturityStage, allow_none=True)
    expires_at = F.Date(allow_none=True)
    model_number = Text(60, allow_none=True, metadata={"description": "Products only"})
    price_text = Text(60, allow_none=True, metadata={"description": "Products only"})
    delivery_mode = Text(30, allow_none=True, metadata={"description": "Solutions only"})
    delivery_weeks = F.Integer(allow_none=True, validate=V.Range(min=0, max=520),
                               metadata={"description": "Solutions only"})
    customer_name = Text(120, allow_none=True, metadata={"description": "Cases only"})
    problem = Text(LONG_TEXT, allow_none=True, metadata={"description": "Cases only"})
    deployment = Text(LONG_TEXT, allow_none=True, metadata={"description": "Cases only"})
    deployed_year = F.Integer(allow_none=True, validate=V.Range(min=1950, max=2100),
                              metadata={"description": "Cases only"})
    outcomes = F.List(F.Nested(OutcomeBodySchema), validate=V.Length(max=20), metadata={"description": "Cases only"})
    linked_ids = F.List(F.Integer(validate=V.Range(min=1, max=2**31 - 1)), validate=V.Length(max=20),
                        metadata={"description": "Cases only: your own solutions and products"})
    submit = F.Boolean(load_default=False, metadata={
        "description": "Also send the listing to the review queue (needs a summary)"})

    @ma.validates_schema
    def _submit_needs_summary(self, values, **kwargs):
        if values.get("submit") and "summary" in values and not values["summary"].strip():
            raise ma.ValidationError("Add a summary before submitting for review.", "summary")


class ListingPatchSchema(ListingBodySchema):
    """The same fields, all optional: only the fields sent change."""

    title = Title(120, min_length=2)


class RecommendationArgsSchema(ma.Schema):
    top = WholeNumber(validate=V.Range(min=1, max=20), load_default=10)
