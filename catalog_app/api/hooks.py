"""HTTP rules shared by every /api/v1 request, as app-level hooks keyed on the path (so
that unknown /api/v1 URLs get them too):

* bodies: JSON only (415 otherwise) and at most API_MAX_BODY_BYTES (413);
* a bearer token is checked before anything else reads the request (401 when bad), and
  an unsafe request without one is refused (401) before its body is validated, unless
  its view is marked `public_write`;
* CSRF: requests authenticated by a token are exempt (a browser never adds the header by
  itself); a request without a token that carries the session cookie is checked as the
  HTML forms are, since the cookie is ambient authority a forged form would carry;
* rate limits with Flask-Limiter's storage: per token, or per client address without one
  (also for a wrong token, so guessing tokens is limited); 429 with Retry-After;
* weak ETags on successful GET bodies, and 304 for a matching If-None-Match.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, g, request
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import BadRequest, Unauthorized, UnsupportedMediaType

from catalog_app.rate_limits import EXTENSION_KEY as LIMITER_KEY
from catalog_app.api import tokens
from catalog_app.api.errors import error_response, handle_http_error
from catalog_app.extensions import csrf

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def init_app(app: Flask, prefix: str) -> None:
    def is_api() -> bool:
        return request.path == prefix or request.path.startswith(prefix + "/")

    @app.before_request
    def api_before_request():
        if not is_api():
            return None
        request.max_content_length = current_app.config["API_MAX_BODY_BYTES"]
        try:
            tokens.authenticate_request()
        except Unauthorized as error:
            refused = _rate_limited(f"ip:{get_remote_address()}", "API_RATE_LIMIT_ANONYMOUS")
            return refused or _unauthorized(error)
        token = g.api_token
        if token is not None:
            refused = _rate_limited(f"token:{token.id}", "API_RATE_LIMIT_TOKEN")
        else:
            refused = _rate_limited(f"ip:{get_remote_address()}", "API_RATE_LIMIT_ANONYMOUS")
        if refused is not None:
            return refused
        if request.method in UNSAFE_METHODS and request.routing_exception is None:
            protect_from_csrf()
            if token is None and not _is_public_write():
                return _unauthorized(Unauthorized(
                    "This operation needs an API token (Authorization: Bearer ...)."), error_code="invalid_request")
            return _check_body()
        return None

    @app.after_request
    def api_after_request(response):
        if not is_api():
            return response
        if request.method in ("GET", "HEAD") and response.status_code == 200 and response.is_json:
            response.add_etag(weak=True)
            response.headers["Cache-Control"] = "no-cache"
            response.vary.add("Authorization")
            response = response.make_conditional(request)
        return response


def _check_body():
    """415 for a body that is not JSON, 400 for one that does not parse (before the view)."""
    if not request.is_json:
        return handle_http_error(UnsupportedMediaType("Send the body as application/json."))
    if request.get_json(silent=True) is None:
        return handle_http_error(BadRequest("The body is not valid JSON."))
    return None


def _unauthorized(error: Unauthorized, error_code: str = "invalid_token"):
    response = handle_http_error(error)
    response.headers["WWW-Authenticate"] = f'Bearer realm="api", error="{error_code}"'
    return response


def _is_public_write() -> bool:
    """Whether the matched view was marked `public_write` (anyone may POST to it)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "is_public_write", False))


def protect_from_csrf() -> None:
    """The session CSRF check for requests without a token that carry the session cookie."""
    config = current_app.config
    if tokens.has_token() or not config["WTF_CSRF_ENABLED"]:
        return
    if config["SESSION_COOKIE_NAME"] in request.cookies:
        csrf.protect()


def _rate_limited(key: str, setting: str):
    """None when the request may go on, else the 429 response with Retry-After."""
    config = current_app.config
    if not config["API_RATE_LIMIT_ENABLED"]:
        return None
    strategy = current_app.extensions[LIMITER_KEY].limiter
    refused_until = 0.0
    for item in parse_many(config[setting]):
        if not strategy.hit(item, "api", key):
            reset_at, _remaining = strategy.get_window_stats(item, "api", key)
            refused_until = max(refused_until, reset_at)
    if not refused_until:
        return None
    retry_after = max(1, math.ceil(refused_until - time.time()))
    return error_response(429, f"Too many requests: try again in {retry_after} seconds.",
                          headers=[("Retry-After", str(retry_after))])
