"""App-wide security: start-up checks, response headers, safe redirects, CSRF failures.

Everything here applies to every blueprint, so it lives outside any one feature and is
wired once by the factory (`check_production_settings` before extensions, `init_app`
with the blueprints).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadHost, SecurityError

from catalog_app.config import DEFAULT_SECRET_KEY
from catalog_app.public_urls import InvalidBaseUrl, check_public_base_url, trusted_hosts

MIN_SECRET_KEY_LENGTH = 32

# No inline script or style anywhere: templates link static files only, so the policy
# can forbid 'unsafe-inline' and an injected <script> does not run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HSTS_VALUE = "max-age=31536000; includeSubDomains"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}

# A local path: one slash, then no second slash or backslash (browsers read "/\\evil.com"
# as "//evil.com"), and no whitespace or control characters (browsers drop tabs and
# newlines, so "/\t/evil.com" would become "//evil.com" too).
_LOCAL_PATH = re.compile(r"^/(?![/\\])[^\\\s\x00-\x1f\x7f]*$")


class UnsafeConfiguration(RuntimeError):
    pass


def check_production_settings(app: Flask) -> None:
    """Refuse to start in production with a default or short SECRET_KEY, with debug on, with
    the development mailbox (it shows every e-mail, reset links included, to anyone), or
    without a PUBLIC_BASE_URL (e-mailed links would otherwise have no trustworthy host).

    Production also accepts only the Host headers of PUBLIC_BASE_URL and TRUSTED_HOSTS
    (Flask's `TRUSTED_HOSTS`); another one gets a 400 before any view runs.
    """
    if not app.config["IS_PRODUCTION"]:
        return
    secret = app.config["SECRET_KEY"] or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
        raise UnsafeConfiguration(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
        )
    if app.debug or app.config["DEBUG"]:
        raise UnsafeConfiguration("debug mode must be off in production")
    if app.config["DEV_MAILBOX"] or app.config["MAIL_TRANSPORT"] == "mailbox":
        raise UnsafeConfiguration("the development mailbox (DEV_MAILBOX, MAIL_TRANSPORT=mailbox) is not for production")
    try:
        base_url = check_public_base_url(app.config["PUBLIC_BASE_URL"])
    except InvalidBaseUrl as error:
        raise UnsafeConfiguration(str(error)) from error
    if app.config["TRUSTED_HOSTS"] is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(base_url, app.config["EXTRA_TRUSTED_HOSTS"] or ())


def safe_next_url(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None.

    Used for `?next=` after login: an attacker's link must not turn our login page into a
    redirect to their look-alike site (//evil.com, https://evil.com, /\\evil.com,
    javascript:...).
    """
    if not target or len(target) > 2000 or not _LOCAL_PATH.match(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["IS_PRODUCTION"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS_VALUE)
    return response


def _handle_csrf_error(error: CSRFError):
    """An expired or missing form token: 400 with words a person understands."""
    message = _l("The form has expired or was sent from another site. Please reload the page and try again.")
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return {"error": {"code": 400, "message": str(message), "fields": {}}}, 400
    return render_template("errors/error.html", error=error, status=400, message=message), 400


def _handle_bad_host(_error: SecurityError | BadHost):
    """400 for a Host header outside TRUSTED_HOSTS or not a valid host name, as plain text.

    Flask refuses such a request before routing, so there is no URL adapter and the HTML
    error page (which builds URLs) cannot be rendered: it would turn the 400 into a 500.
    """
    message = str(_l("This site does not answer to that host name."))
    if request.path.startswith("/api/"):
        return {"error": {"code": 400, "message": message, "fields": {}}}, 400
    return Response(message + "\n", status=400, mimetype="text/plain")


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.after_request(_add_security_headers)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(SecurityError, _handle_bad_host)
    app.register_error_handler(BadHost, _handle_bad_host)
