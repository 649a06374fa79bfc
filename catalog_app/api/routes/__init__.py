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
