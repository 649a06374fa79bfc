"""Template globals and filters shared by every blueprint."""
from __future__ import annotations

import enum

from flask import Flask, request, url_for
from flask_babel import get_locale, refresh

from catalog_app.catalog.labels import KIND_PLURALS, label
from catalog_app.models import ListingKind, OutcomeMetric

SECTION_BY_KIND = {ListingKind.SOLUTION: "solutions", ListingKind.PRODUCT: "products", ListingKind.CASE: "cases"}

# Outcome metrics where a drop is the improvement (cycle time, cost ...).
LOWER_IS_BETTER = {
    OutcomeMetric.CYCLE_TIME, OutcomeMetric.COST, OutcomeMetric.DEFECT_RATE, OutcomeMetric.ENERGY,
    OutcomeMetric.LABOR, OutcomeMetric.INVENTORY, OutcomeMetric.DOWNTIME,
}


def current_locale() -> str:
    locale = get_locale()
    return str(locale) if locale else "zh"


def localized(term, attribute: str = "name") -> str:
    """Name of a taxonomy term in the current locale (`{{ scenario|localized }}`)."""
    if term is None:
        return ""
    return getattr(term, f"localized_{attribute}")(current_locale())


def display_name(value) -> str:
    """A facet value for people: an enum's translated label or a term's localized name."""
    if isinstance(value, enum.Enum):
        return label(value)
    return localized(value)


def listing_url(listing) -> str:
    return url_for("catalog.listing", section=SECTION_BY_KIND[listing.kind], listing_id=listing.id)


def term_url(endpoint: str, term, param: str, **args) -> str:
    """A list page filtered by a taxonomy term (scenarios and technologies by slug, others by code)."""
    key = getattr(term, "slug", None) or term.code
    return url_for(endpoint, **args, **{param: key})


def city_of(record) -> object | None:
    """The city of an organization or demand (a demand falls back to its organization's)."""
    region = getattr(record, "region", None)
    if region is None and getattr(record, "organization", None) is not None:
        region = record.organization.region
    return region.city if region is not None else None


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (None removes one)."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = [value]
    return url_for(request.endpoint or "home.index", **(request.view_args or {}), **args)


def is_improvement(outcome) -> bool | None:
    change = outcome.change_percent
    if change is None or change == 0:
        return None
    return (change < 0) if outcome.metric in LOWER_IS_BETTER else (change > 0)


def format_number(value) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _forget_cached_locale() -> None:
    """Flask-Babel caches the locale on `g`; when one app context spans several requests
    (the test client inside an app context, CLI commands rendering pages), the first
    request's language would stick. Each request chooses its own."""
    refresh()


def init_app(app: Flask) -> None:
    app.before_request(_forget_cached_locale)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["number"] = format_number
    from catalog_app.catalog.fragments import facet_panel as cached_facet_panel

    app.jinja_env.globals.update(
        cached_facet_panel=cached_facet_panel,
        current_locale=current_locale,
        listing_url=listing_url,
        display_name=display_name,
        term_url=term_url,
        city_of=city_of,
        url_with=url_with,
        is_improvement=is_improvement,
        kind_plurals=KIND_PLURALS,
        section_by_kind=SECTION_BY_KIND,
    )
