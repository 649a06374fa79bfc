"""Saved catalog searches: the query string of /solutions, /products or /cases, re-run for the digest.

The stored query string is normalised (validated with the catalog's own parser; page,
per_page, sort and lang dropped; keys sorted), so saving the same search twice is one row.
`checked_until` is a watermark on `published_at`: each digest run adds the results
published after it and moves it to the run's start (`publishing.digests`, which runs the
catalog search; this module stores and describes searches only).
"""
from __future__ import annotations

from contextlib import nullcontext
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from flask_babel import force_locale, gettext as _
from werkzeug.datastructures import MultiDict

from catalog_app.browsing.params import InvalidQuery, parse_browse_params
from catalog_app.extensions import db
from catalog_app.models import SavedSearch, User
from catalog_app.models._types import utcnow

SECTIONS = ("solutions", "products", "cases")
MAX_SAVED_PER_USER = 20
RESULTS_PER_RUN = 100


class SavedSearchError(ValueError):
    """Not a search that can be saved; the message is for the user."""


def normalise_query(args: MultiDict) -> str:
    try:
        params = parse_browse_params(args)
    except InvalidQuery as error:
        raise SavedSearchError(error.message) from error
    pairs = sorted(params.facets.items())
    if params.q:
        pairs.insert(0, ("q", params.q))
    return urlencode(pairs)


def save_search(user: User, section: str, args: MultiDict) -> SavedSearch:
    """Save (or find) this search for `user`; commits. Raises SavedSearchError."""
    if section not in SECTIONS:
        raise SavedSearchError(_("Only searches of solutions, products and cases can be saved."))
    query_string = normalise_query(args)
    existing = db.session.scalar(sa.select(SavedSearch).where(
        SavedSearch.user_id == user.id, SavedSearch.section == section, SavedSearch.query_string == query_string))
    if existing is not None:
        return existing
    count = db.session.scalar(sa.select(sa.func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id))
    if count >= MAX_SAVED_PER_USER:
        raise SavedSearchError(_("You can save at most %(count)d searches.", count=MAX_SAVED_PER_USER))
    search = SavedSearch(user_id=user.id, section=section, query_string=query_string, checked_until=utcnow())
    db.session.add(search)
    db.session.commit()
    return search


def delete_search(user: User, search_id: int) -> bool:
    """Delete one of the user's saved searches; False when it is not theirs (or gone). Commits."""
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != user.id:
        return False
    db.session.delete(search)
    db.session.commit()
    return True


def searches_of(user: User) -> list[SavedSearch]:
    return list(db.session.scalars(sa.select(SavedSearch).where(SavedSearch.user_id == user.id)
                                   .order_by(SavedSearch.created_at)))


def describe_search(search: SavedSearch, locale: str | None = None) -> str:
    """A readable name: section, then the keyword and filters ("Solutions: 视觉检测 · industry=C34")."""
    sections = {"solutions": lambda: _("Solutions"), "products": lambda: _("Products"), "cases": lambda: _("Application cases")}
    pairs = parse_query(search.query_string)
    terms = [value if name == "q" else f"{name}={value}" for name, value in pairs]
    with force_locale(locale) if locale else nullcontext():
        section = sections.get(search.section, lambda: search.section)()
        everything = _("everything")
    return f"{section}: {' · '.join(terms) or everything}"


def parse_query(query_string: str) -> list[tuple[str, str]]:
    return parse_qsl(query_string)
