"""Start-up checks that keep an unsafe configuration from ever serving traffic."""
from __future__ import annotations

from flask import Flask

from catalog_app.config import DEFAULT_SECRET_KEY

MIN_SECRET_KEY_LENGTH = 32


class UnsafeConfiguration(RuntimeError):
    pass


def check_production_settings(app: Flask) -> None:
    """Refuse to start in production with a default or short SECRET_KEY or with debug on."""
    if not app.config.get("IS_PRODUCTION"):
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
        raise UnsafeConfiguration(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
        )
    if app.debug or app.config.get("DEBUG"):
        raise UnsafeConfiguration("debug mode must be off in production")
