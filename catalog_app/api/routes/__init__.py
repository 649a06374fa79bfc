"""The API's resources, one flask-smorest blueprint per module (all under /api/v1)."""
from __future__ import annotations

from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from catalog_app.api.errors import handle_http_error


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """A blueprint whose HTTP errors are the API's JSON error body (set up before registering)."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix, description=description)
    blueprint.register_error_handler(HTTPException, handle_http_error)
    return blueprint


def public_write(view):
    """Mark a POST/PUT/PATCH/DELETE view that anyone may call without a token.

    Every other unsafe request without a token is refused with 401 by the API's
    before-request hook, before its body is read or validated: an anonymous caller learns
    nothing about the schema of a write it may not make. Put it just under `@bp.route`.
    """
    view.is_public_write = True
    return view
