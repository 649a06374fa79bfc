"""Whole public pages for anonymous visitors, from the read cache (shared floor).

Most requests to the list, listing and search pages come from visitors who are not logged
in, and every one of them sees the same page for the same address and language: rendering
it again (a hundred translated facet links, twenty cards, the layout) is most of what such a
request costs. `cached_page` keeps the rendered HTML on the "pages" shelf of the app's read
cache, keyed by the host, script root, full path with its query and the locale, under the
database's `data_version()`: any change to listings, organizations or demands, on any node,
retires every page within READ_CACHE_VERSION_SECONDS, and the shelf's maximum age bounds
what no version sees (a taxonomy term renamed, a listing passing its expiry date).

Only what every anonymous visitor shares is stored:
- logged-in visitors (their header, enquiry box and drafts differ) and requests whose
  session holds flashed messages are served by the view, neither read from nor stored;
- only 200 HTML responses are stored (a 404 or a 400 is cheap and says nothing to keep), and
  only for addresses whose query string holds the arguments the page reads;
- the page's CSRF token (the listing page's view beacon) belongs to one session: it is
  stored as a placeholder and each hit gets the visitor's own token.

The before- and after-request hooks (rate limits, language cookie, security headers) run for
hits as for any other request: a hit skips the view only.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from flask import g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from catalog_app.read_cache import read_cache
from catalog_app.templating import current_locale

PAGES = "pages"
# Stands for the visitor's CSRF token in a stored page (a token is valid for one session).
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
# flask-wtf keeps the request's signed token on `g` under the field's name once made.
_CSRF_G_KEY = "csrf_token"


def _shared_request() -> bool:
    """Whether this request sees what every anonymous visitor sees."""
    return (request.method == "GET" and not session.get("_flashes")
            and not current_user.is_authenticated)


def _key() -> tuple:
    # The host too: hosts are checked (TRUSTED_HOSTS), but a page is never served under
    # another host than the one it was rendered for.
    return request.host, request.script_root, request.full_path, current_locale()


def cached_page(arguments: Iterable[str] = ()) -> Callable[[Callable], Callable]:
    """Serve the view's page from the "pages" shelf to anonymous visitors (see the module).

    `arguments`: the query-string arguments the page reads (`lang` is always allowed). A
    request with any other argument is served by the view and not stored, so made-up
    arguments (`?x=1`, `?x=2`, ...) cannot fill the shelf with copies of one page and push
    out the pages visitors ask for.
    """
    allowed = frozenset(arguments) | {"lang"}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            cache = read_cache()
            # With the page cache off, or a request it does not serve, not even the data
            # version is read: the view pays exactly what it would without the decorator.
            if (cache.max_age(PAGES) <= 0 or not _shared_request()
                    or not allowed.issuperset(request.args.keys())):
                return view(*args, **kwargs)
            key, version = _key(), cache.data_version()
            html = cache.get(PAGES, key, version)
            if html is not None:
                if CSRF_PLACEHOLDER in html:
                    html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
                return html
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and response.mimetype == "text/html" and not response.direct_passthrough:
                html = response.get_data(as_text=True)
                token = g.get(_CSRF_G_KEY)
                if token:
                    html = html.replace(token, CSRF_PLACEHOLDER)
                cache.put(PAGES, key, html, version)
            return response

        return wrapper

    return decorator
