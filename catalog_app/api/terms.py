"""Taxonomy terms by the keys the API uses (industry code, scenario and technology slug,
region code), turned into ids for the services or names for the matching engine.

An unknown key is a 422 naming the field, never a silently dropped filter.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import request
from werkzeug.exceptions import BadRequest

from catalog_app.api.errors import validation_error
from catalog_app.browsing.params import InvalidQuery, parse_browse_params
from catalog_app.extensions import db
from catalog_app.models import Industry, Region, Scenario, Technology
from catalog_app.taxonomy.services import is_cluster

KEY_COLUMNS = {
    "industries": (Industry, Industry.code),
    "scenarios": (Scenario, Scenario.slug),
    "technologies": (Technology, Technology.slug),
    "region": (Region, Region.code),
}


def resolve_terms(field: str, keys, vocabulary: str | None = None) -> list:
    """The rows named by `keys`, in the order given (duplicates once).

    :param field: the body field, named in the error.
    :param vocabulary: a key of KEY_COLUMNS; defaults to `field`.
    :raises UnprocessableEntity: for any unknown key.
    """
    keys = list(dict.fromkeys(keys or ()))
    if not keys:
        return []
    model, column = KEY_COLUMNS[vocabulary or field]
    query = sa.select(model).where(column.in_(keys))
    if model is Industry:  # only the clusters are industries one may tag or filter by
        query = query.where(is_cluster())
    found = {getattr(row, column.key): row for row in db.session.scalars(query)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise validation_error({field: [f"Unknown value: {key[:40]}" for key in missing[:5]]})
    return [found[key] for key in keys]


def term_ids(field: str, keys, vocabulary: str | None = None) -> tuple[int, ...]:
    return tuple(row.id for row in resolve_terms(field, keys, vocabulary))


def browse_params(facet_names):
    """The catalog's own parsing of the query string, so the API filters like the HTML facets
    (one value per facet, the same bounds); the marshmallow schema has already checked types."""
    try:
        return parse_browse_params(request.args, facet_names)
    except InvalidQuery as error:
        raise BadRequest(error.message) from error
