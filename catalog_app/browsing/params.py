"""Reading and validating the query string of the browse and search pages.

The rules, shared by every list page (solutions, products, cases, demands,
organizations) and the cross-kind search:

* `q`: keyword text, at most `SEARCH_MAX_QUERY_LENGTH` characters (longer is refused).
* Facets, each at most ONCE, combined with AND: `industry=<industry code>`,
  `scenario=<scenario slug>`, `technology=<technology slug>`, `region=<city code>`
  (a city includes its districts), `tier=<organization tier>`, and on the
  organizations page `kind=<organization kind>`. A repeated facet is refused rather
  than silently narrowed to one value.
* `sort`: `newest` or `title`, and `relevance` (the default) when `q` is set.
* `page` between 1 and `MAX_PAGE` and `per_page` between 1 and `CATALOG_MAX_PAGE_SIZE`,
  ASCII digits only (catalog_app.parameters).

Any violation raises `InvalidQuery` with a translated message; views turn it into a
400 page. Unknown parameters (tracking tags and the like) are ignored, and so is
`lang`, which the locale selector reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from catalog_app.parameters import MAX_PAGE, InvalidNumber, parse_whole_number

LISTING_FACETS = ("industry", "scenario", "technology", "region", "tier")
ORGANIZATION_FACETS = ("industry", "region", "tier", "kind")
SORTS = ("relevance", "newest", "title")


class InvalidQuery(ValueError):
    """A query string the page cannot answer; the message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BrowseParams:
    q: str = ""
    facets: dict[str, str] = field(default_factory=dict)
    sort: str = "newest"
    page: int = 1
    per_page: int = 20


def default_sort(q: str) -> str:
    return "relevance" if q else "newest"


def _single(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidQuery(_("Only one value is allowed for the filter “%(name)s”.", name=name))
    return values[0].strip()


def _positive_int(args: MultiDict, name: str, default: int, maximum: int = MAX_PAGE) -> int:
    raw = _single(args, name)
    if raw is None or raw == "":
        return default
    try:
        return parse_whole_number(raw, name, 1, maximum)
    except InvalidNumber as error:
        raise InvalidQuery(error.message) from error


# Every query-string argument `parse_browse_params` reads, with the facets of each kind of page.
BROWSE_ARGUMENTS = ("q", "sort", "page", "per_page")
LISTING_BROWSE_ARGUMENTS = BROWSE_ARGUMENTS + LISTING_FACETS
ORGANIZATION_BROWSE_ARGUMENTS = BROWSE_ARGUMENTS + ORGANIZATION_FACETS


def parse_browse_params(args: MultiDict, facet_names: tuple[str, ...] = LISTING_FACETS) -> BrowseParams:
    """Validate a list page's query string.

    :param args: `request.args`.
    :param facet_names: the facets this page offers; others are ignored.
    :returns: the validated parameters; facet values are not yet checked against the
        taxonomy (see `facets.resolve_facets`).
    :raises InvalidQuery: with a message for the user.
    """
    config = current_app.config
    q = " ".join((_single(args, "q") or "").split())
    max_length = config["SEARCH_MAX_QUERY_LENGTH"]
    if len(q) > max_length:
        raise InvalidQuery(_("The search text is too long (at most %(max)d characters).", max=max_length))
    facets = {}
    for name in facet_names:
        value = _single(args, name)
        if value:
            facets[name] = value
    sort = _single(args, "sort") or default_sort(q)
    if sort not in SORTS:
        raise InvalidQuery(_("Unknown sort order: %(sort)s", sort=sort[:40]))
    if sort == "relevance" and not q:
        sort = "newest"
    page = _positive_int(args, "page", 1)
    per_page = _positive_int(args, "per_page", config["CATALOG_PAGE_SIZE"], config["CATALOG_MAX_PAGE_SIZE"])
    return BrowseParams(q=q, facets=facets, sort=sort, page=page, per_page=per_page)
