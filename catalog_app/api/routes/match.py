"""`POST /api/v1/match`: listings for a demand described in free text, with the reasons."""
from __future__ import annotations

from flask_babel import get_locale

from catalog_app.api.arguments import MatchBodySchema
from catalog_app.api.routes import api_blueprint, public_write
from catalog_app.api.schemas import RecommendationListSchema
from catalog_app.api.terms import resolve_terms
from catalog_app.recommendations.services import preview_listings
from catalog_app.i18n import locale_or_default

bp = api_blueprint("api_match", __name__, url_prefix="/api/v1/match",
               description="The matching engine: recommendations for a demand text")


def dump_recommendations(recommendations) -> list[dict]:
    """Recommendations as the schema's plain values, explained in the request's language."""
    locale = locale_or_default(get_locale())
    return [{"listing": r.item, "score": round(r.score, 4), "confidence": round(r.confidence, 4),
             "percent": r.percent, "strong": r.is_strong,
             "reasons": [{"kind": reason.kind, "label": reason.label, "weight": round(reason.weight, 4),
                          "facet": reason.facet} for reason in r.reasons],
             "explanation": r.explanation(locale)}
            for r in recommendations]


@bp.route("", endpoint="match", methods=["POST"])
@public_write
@bp.arguments(MatchBodySchema)
@bp.response(200, RecommendationListSchema)
@bp.doc(operationId="match", summary="Recommend published listings for a demand text")
def match(body: dict):
    """Public: the text is not stored. Taxonomy terms raise the listings that carry them."""
    names = {field: [term.name_zh for term in resolve_terms(field, body.get(field), vocabulary)]
             for field, vocabulary in (("industry", "industries"), ("scenario", "scenarios"),
                                       ("technology", "technologies"))}
    return {"items": dump_recommendations(preview_listings(body["text"], top=body["top"], **names))}
