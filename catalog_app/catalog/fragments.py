"""The rendered facet panel, cached.

A facet panel links every option of every facet (a hundred or more links, each with a
translated label): rendering it is most of a list page's CPU. It depends only on the
counts (identified by the page's summary key, which includes the data version), the
locale and the query arguments other than the page number, so one rendering serves every
page of the same result set until the data changes.
"""
from __future__ import annotations

import threading

from cachetools import TTLCache
from flask import get_template_attribute, request
from markupsafe import Markup

from catalog_app.templating import current_locale

_panels: TTLCache = TTLCache(maxsize=4096, ttl=300)
_lock = threading.Lock()


def facet_panel(page, titles: dict) -> Markup:
    render = get_template_attribute("_macros/facets.html", "facet_panel")
    if page.summary_key is None:
        return render(page, titles)
    arguments = tuple(sorted((name, tuple(values)) for name, values in request.args.lists() if name != "page"))
    key = (page.summary_key, current_locale(), request.endpoint, tuple(sorted((request.view_args or {}).items())),
           arguments)
    with _lock:
        cached = _panels.get(key)
    if cached is None:
        cached = Markup(render(page, titles))
        with _lock:
            _panels[key] = cached
    return cached
