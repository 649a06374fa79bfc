"""Locale selection: Simplified Chinese first, English on request.

The choice made with `?lang=` is kept in a cookie so that it survives navigation
without needing a session or an account.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, has_request_context, request

LANG_COOKIE = "lang"
# The language of anything rendered without a choice: a user without one, the CLI, a model's
# name asked for no locale. Every such fallback goes through the helpers below.
DEFAULT_LOCALE = "zh"


def locale_or_default(locale) -> str:
    """`locale` (a string or a babel Locale) as a string, or the default when it is empty."""
    return str(locale) if locale else DEFAULT_LOCALE


def locale_of(user) -> str:
    """The language a user's e-mails are written in: their own choice, else the default."""
    return locale_or_default(getattr(user, "locale", None))


def is_english(locale) -> bool:
    """Whether `locale` (possibly empty) asks for English names rather than Chinese ones."""
    return locale_or_default(locale).startswith("en")


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, background jobs: the default unless force_locale says otherwise
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    requested = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if requested in supported:
        return requested
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _remember_language(response: Response) -> Response:
    requested = request.args.get("lang")
    if requested in current_app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != requested:
        response.set_cookie(LANG_COOKIE, requested, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_remember_language)
