"""Rate limits for logins, registrations and account emails (Flask-Limiter storage).

Each app gets its own `Limiter`, bound to RATELIMIT_STORAGE_URI: `memory://` counts in
one process, which is fine for development but not for gunicorn, where each worker would
keep its own counts and an attacker would get N times the budget. Production uses
`redis://`, shared by every worker and every host. (A module-level Limiter would also make
every app in one process share whichever storage was bound last.)

Limits are checked by the services, not by route decorators, because the per-account key
is the email in the form and a refused attempt must show the login form again.
"""
from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

EXTENSION_KEY = "accounts_limiter"


def init_app(app: Flask) -> None:
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy="moving-window",
        key_prefix="scenario-catalog",
    )
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter


def _limiter() -> Limiter:
    return current_app.extensions[EXTENSION_KEY]


def _hit(setting: str, scope: str, key: str) -> bool:
    """Count one attempt against every limit in `setting`; False when any is exceeded."""
    strategy = _limiter().limiter
    allowed = True
    for item in parse_many(current_app.config[setting]):
        # Hit every window even after one refuses, so a burst cannot slip past a longer one.
        allowed = strategy.hit(item, scope, key) and allowed
    return allowed


def allow_login_attempt(email: str, ip_address: str) -> bool:
    """Count a login attempt per account and per IP address."""
    by_account = _hit("LOGIN_LIMIT_PER_ACCOUNT", "login-account", email.strip().lower())
    by_ip = _hit("LOGIN_LIMIT_PER_IP", "login-ip", ip_address or "-")
    return by_account and by_ip


def forget_login_attempts(email: str) -> None:
    """After a successful login the account's failed attempts no longer count."""
    strategy = _limiter().limiter
    for item in parse_many(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
        strategy.clear(item, "login-account", email.strip().lower())


def allow_account_email(address: str) -> bool:
    """Reset and verification mails per address: the form must not become a mail cannon."""
    return _hit("ACCOUNT_EMAIL_LIMIT", "account-email", address.strip().lower())


def allow_registration(ip_address: str) -> bool:
    return _hit("REGISTRATION_LIMIT_PER_IP", "register-ip", ip_address or "-")
