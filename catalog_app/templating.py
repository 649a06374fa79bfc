"""Template globals and filters shared by every blueprint."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, url_for
from flask_babel import get_locale, ngettext, refresh
from flask_babel import lazy_gettext as _l

from catalog_app import formatting
from catalog_app.labels import KIND_PLURALS, label
from catalog_app.models import OutcomeMetric
from catalog_app.public_urls import SECTION_BY_KIND
from catalog_app.readiness import readiness_level


# Outcome metrics where a drop is the improvement (cycle time, cost ...).
LOWER_IS_BETTER = {
    OutcomeMetric.CYCLE_TIME, OutcomeMetric.COST, OutcomeMetric.DEFECT_RATE, OutcomeMetric.ENERGY,
    OutcomeMetric.LABOR, OutcomeMetric.INVENTORY, OutcomeMetric.DOWNTIME,
}


def current_locale() -> str:
    # The UI's locales are bare languages ("zh", "en"); `language` is a plain attribute,
    # while str(Locale) rebuilds the identifier on every call of a busy filter.
    locale = get_locale()
    return locale.language if locale else "zh"


def _locale_memo(name: str) -> dict:
    """A dict kept on `g` for the current locale. Translating the same label for every card
    of a page is a measurable share of rendering it; a forced locale (e-mails rendered for
    their recipient) gets its own dict."""
    memos = g.get("_locale_memos")
    if memos is None:
        memos = g._locale_memos = {}
    return memos.setdefault((name, current_locale()), {})


def cached_label(value) -> str:
    """`label(value)`, translated once per request and locale (`{{ kind|label }}`)."""
    memo = _locale_memo("labels")
    try:
        return memo[value]
    except KeyError:
        text = memo[value] = label(value)
        return text


# Fixed strings every listing card shows, translated once per request (see `card_text`).
CARD_TEXT = {
    "featured": _l("Featured"),
    "maturity": _l("Technology readiness level (1–9) and deployment stage"),
    "verified": _l("Verified organization"),
    "scenarios": _l("Scenarios"),
}


def trl_tooltip(number) -> str:
    """"TRL 7: Prototype demonstrated in operation", once per level, request and locale: the
    title of the TRL chip on every card, so that the bare number explains itself."""
    memo = _locale_memo("trl")
    text = memo.get(number)
    if text is None:
        level = readiness_level(number)
        text = memo[number] = (str(_l("TRL %(level)d of 9: %(title)s", level=level.level, title=level.title))
                               if level else "")
    return text


def _results_label(count: int) -> str:
    """"12 results" (and "1 result") translated, once per count, request and locale: a facet
    panel says it, for screen readers, for every option."""
    memo = _locale_memo("results")
    text = memo.get(count)
    if text is None:
        text = memo[count] = ngettext("%(num)d result", "%(num)d results", count)
    return text


def card_text() -> dict[str, str]:
    memo = _locale_memo("card")
    if not memo:
        memo.update((key, str(text)) for key, text in CARD_TEXT.items())
    return memo


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


def site_name() -> str:
    """The site's name in the current language, from Config (SITE_NAME, SITE_NAME_EN)."""
    config = current_app.config
    return config["SITE_NAME_EN"] if current_locale() == "en" else config["SITE_NAME"]


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


# Characters werkzeug's URL builder leaves unquoted in query strings; url_with encodes the
# same way so that its links equal url_for's.
_QUERY_SAFE = "!$'()*,/:;?@"


def _current_path() -> str:
    """The current endpoint's URL without a query, built once per request (a list page
    links the same path with other arguments a hundred times or more)."""
    endpoint, view_args = request.endpoint or "home.index", request.view_args or {}
    key = (request.script_root, endpoint, tuple(sorted(view_args.items())))
    cached = g.get("_url_with_path")
    if cached is None or cached[0] != key:
        cached = g._url_with_path = (key, url_for(endpoint, **view_args))
    return cached[1]


def _encoded_args(*leave_out: str) -> dict[str, str]:
    """The current query string by argument name, each part already encoded."""
    return {arg: urlencode([(arg, value) for value in values], safe=_QUERY_SAFE)
            for arg, values in request.args.lists() if arg not in leave_out}


def _current_url(parts: dict[str, str]) -> str:
    path = _current_path()
    return f"{path}?{'&'.join(parts.values())}" if parts else path


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (None removes one)."""
    parts = _encoded_args()
    for name, value in changes.items():
        if value is None:
            parts.pop(name, None)
        else:
            parts[name] = urlencode([(name, value)], safe=_QUERY_SAFE)
    return _current_url(parts)


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    href: str  # the page with this value chosen, or without the facet when it is selected
    count_label: str  # "12 results", for screen readers


def facet_links(name: str, options) -> list[FacetLink]:
    """Links for a facet's options: `url_with(name=value, page=None)` for each, computed with
    one pass over the query string instead of one per option (a panel has 150 of them)."""
    parts = _encoded_args("page")
    without = {arg: part for arg, part in parts.items() if arg != name}
    remove = _current_url(without)
    links = []
    for option in options:
        count_label = _results_label(option.count)
        if option.selected:
            links.append(FacetLink(option.label, option.count, True, remove, count_label))
            continue
        parts[name] = urlencode([(name, option.value)], safe=_QUERY_SAFE)
        links.append(FacetLink(option.label, option.count, False, _current_url(parts), count_label))
    return links


def page_numbers(current: int, pages: int, window: int = 2) -> list[int | None]:
    """Page links to show: the first, the last and `window` either side of the current one;
    None marks a gap. Computed here because a template loop over every page number costs
    milliseconds once a result set has hundreds of pages."""
    shown = sorted({1, pages, *range(max(1, current - window), min(pages, current + window) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


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
    g.pop("_url_with_path", None)


def init_app(app: Flask) -> None:
    app.before_request(_forget_cached_locale)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["label"] = cached_label
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters.update(formatting.FILTERS)
    # The catalog's cached fragments (listing_card, cached_facet_panel) are registered by
    # catalog.fragments.init_app: this floor module does not import a feature.
    app.jinja_env.globals.update(
        current_locale=current_locale,
        listing_url=listing_url,
        display_name=display_name,
        term_url=term_url,
        city_of=city_of,
        url_with=url_with,
        page_numbers=page_numbers,
        facet_links=facet_links,
        card_text=card_text,
        trl_tooltip=trl_tooltip,
        readiness_level=readiness_level,
        is_improvement=is_improvement,
        kind_plurals=KIND_PLURALS,
        section_by_kind=SECTION_BY_KIND,
        site_name=site_name,
        **formatting.GLOBALS,
    )
