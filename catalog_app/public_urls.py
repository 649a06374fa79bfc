"""Absolute links to this site, built from `PUBLIC_BASE_URL`, never from the request.

`url_for(..., _external=True)` copies the Host header of the current request, and the
client chooses that header. A password-reset request sent with `Host: evil.example` would
then e-mail the account's owner a link to evil.example carrying a valid reset token, and
the same goes for verification, invitation and notification links, exports and the API's
`url` fields. Every absolute URL the app hands out therefore comes from `public_url`
(tests/security/test_links_and_hosts.py fails on any `_external=True` in catalog_app),
which works the same inside a request, in the CLI and in a Celery worker.

Production refuses to start without `PUBLIC_BASE_URL` and derives its trusted hosts from
it (`check_public_base_url`, `trusted_hosts`, called by catalog_app.security).
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter

from catalog_app.models import ListingKind

_ADAPTER_KEY = "public_url_adapter"

# The catalog's URL sections and the listing kind each shows: /solutions, /products, /cases.
KIND_BY_SECTION = {"solutions": ListingKind.SOLUTION, "products": ListingKind.PRODUCT, "cases": ListingKind.CASE}
SECTION_BY_KIND = {kind: section for section, kind in KIND_BY_SECTION.items()}


class InvalidBaseUrl(ValueError):
    """PUBLIC_BASE_URL is missing or is not an http(s) URL with a host name."""


def check_public_base_url(value: str | None) -> str:
    """`value` when it is an absolute http(s) URL without query or fragment, else InvalidBaseUrl."""
    if not value:
        raise InvalidBaseUrl("PUBLIC_BASE_URL must be set to the site's address, e.g. https://catalog.example.cn")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidBaseUrl(f"PUBLIC_BASE_URL must be an http(s) URL such as https://catalog.example.cn, "
                             f"not {value!r}")
    return value


def trusted_hosts(base_url: str, extra_hosts: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The host names a request may name: PUBLIC_BASE_URL's, then `extra_hosts` (Flask's TRUSTED_HOSTS)."""
    hosts = [urlsplit(base_url).hostname or ""]
    hosts += [host.strip().lower() for host in extra_hosts if host.strip()]
    return list(dict.fromkeys(host for host in hosts if host))


def _adapter() -> MapAdapter:
    """The URL map bound to PUBLIC_BASE_URL, kept per app while the setting stays the same
    (an API list page builds a hundred URLs; binding each time doubled their cost)."""
    base_url = current_app.config["PUBLIC_BASE_URL"]
    cached = current_app.extensions.get(_ADAPTER_KEY)
    if cached is None or cached[0] != base_url:
        base = urlsplit(check_public_base_url(base_url))
        adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                           url_scheme=base.scheme)
        cached = current_app.extensions[_ADAPTER_KEY] = (base_url, adapter)
    return cached[1]


def public_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The absolute URL of `endpoint` on the public site, e.g. for an e-mail.

    :param endpoint: a full endpoint name (``"accounts.reset_password"``); no leading dot,
        since there may be no request whose blueprint it would be relative to.
    :param values: the rule's arguments; unknown ones become the query string, None ones are dropped.
    :returns: ``PUBLIC_BASE_URL`` (scheme, host, port and path prefix) followed by the rule's path.
    """
    current_app.inject_url_defaults(endpoint, values)
    url = _adapter().build(endpoint, values, force_external=True)
    if _anchor:
        url += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url
