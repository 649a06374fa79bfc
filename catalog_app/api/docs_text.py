"""The API reference in the reader's language: tag titles and operation summaries.

The OpenAPI document at /api/v1/openapi.json stays English: it is what clients and code
generators read, and its tag names (`api_listings`) are stable identifiers. The reference
page (/api/v1/docs) loads `localized_spec()` instead, where each tag carries a readable
title and each summary is translated; `TEXTS` marks the English summaries written beside
the endpoints (`@bp.doc(summary=...)`) for extraction. A summary that is not listed here
shows in English, and tests/api/test_docs_i18n.py fails.
"""
from __future__ import annotations

import copy

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from catalog_app.templating import current_locale

TAG_TITLES = {
    "api_listings": _l("Solutions, products and cases"),
    "api_demands": _l("Demands"),
    "api_organizations": _l("Organizations"),
    "api_taxonomy": _l("Reference terms"),
    "api_match": _l("Matching"),
    "api_me": _l("Your token"),
    "api_events": _l("Events"),
}

TEXTS = (
    _l("Scenario Catalog API"),
    _l("Open data of the Guangdong industrial-AI matchmaking platform. Reads are public; writes need a personal "
       "API token (`Authorization: Bearer sc_...`) made on the account page."),
    # tag descriptions (catalog_app/api/routes/*.py, `api_blueprint(description=...)`)
    _l("Published solutions, products and application cases; suppliers' own listings"),
    _l("Enterprises' demands (public fields only) and posting demands"),
    _l("Enterprises and suppliers with published listings or public demands"),
    _l("Reference terms used by the filters and the request bodies"),
    _l("The matching engine: recommendations for a demand text"),
    _l("The token's user"),
    _l("Matchmaking events and challenge rounds, their figures and round demands"),
    # operation summaries
    _l("Published solutions, filtered and searched"),
    _l("Create a solution (draft, or submitted for review)"),
    _l("One published solution"),
    _l("Change your own solution"),
    _l("Published products, filtered and searched"),
    _l("Create a product (draft, or submitted for review)"),
    _l("One published product"),
    _l("Change your own product"),
    _l("Published cases, filtered and searched"),
    _l("Create a case (draft, or submitted for review)"),
    _l("One published case"),
    _l("Change your own case"),
    _l("Public demands, filtered and searched"),
    _l("Post a demand (draft, or submitted for review)"),
    _l("One public demand"),
    _l("Listings recommended for your demand"),
    _l("Organizations, filtered and searched"),
    _l("One organization"),
    _l("Industry clusters (codes for `industry`), with their GB/T 4754 codes"),
    _l("Scenarios by value-chain stage (slugs for `scenario`)"),
    _l("Technologies (slugs for `technology`)"),
    _l("Cities and districts of Guangdong (codes for `region`)"),
    _l("The scenario reference list"),
    _l("One scenario with its pain points and counts"),
    _l("Recommend published listings for a demand text"),
    _l("The token's user and scopes"),
    _l("Published events: upcoming first, then past"),
    _l("One published event with its figures"),
    _l("The event's public round demands (the shortlist once published)"),
)


def _translated(text: str) -> str:
    return gettext(text) if text else text


def _localize(spec: dict) -> dict:
    spec = copy.deepcopy(spec)
    info = spec.setdefault("info", {})
    info["title"] = _translated(info.get("title", ""))
    info["description"] = _translated(info.get("description", ""))
    titles = {name: str(title) for name, title in TAG_TITLES.items()}
    for tag in spec.get("tags", []):
        tag["description"] = _translated(tag.get("description", ""))
        tag["name"] = titles.get(tag["name"], tag["name"])
    for path_item in spec.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            if "tags" in operation:
                operation["tags"] = [titles.get(name, name) for name in operation["tags"]]
            if operation.get("summary"):
                operation["summary"] = _translated(operation["summary"])
    return spec


def localized_spec() -> dict:
    """The app's OpenAPI document with titles and summaries in the request's language,
    built once per app and language (the document does not change while the app runs)."""
    cache = current_app.extensions.setdefault("api_localized_specs", {})
    locale = current_locale()
    if locale not in cache:
        cache[locale] = _localize(current_app.extensions["api_spec"].spec.to_dict())
    return cache[locale]
