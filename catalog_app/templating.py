"""Template globals and filters shared by every blueprint."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale


def current_locale() -> str:
    locale = get_locale()
    return str(locale) if locale else "zh"


def localized(term, attribute: str = "name") -> str:
    """Name of a taxonomy term in the current locale (`{{ scenario|localized }}`)."""
    if term is None:
        return ""
    return getattr(term, f"localized_{attribute}")(current_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.globals["current_locale"] = current_locale
