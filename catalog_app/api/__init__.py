"""The open JSON API under /api/v1: flask-smorest blueprints, an OpenAPI 3.1 description
generated from their marshmallow schemas, and the HTTP rules every endpoint shares.

`init_app` is called by the factory. It binds one `ApiSpec` per app (tests build many
apps), registers the blueprints, exempts them from the session CSRF check (see
`hooks.protect_from_csrf`: only token-authenticated requests are exempt) and installs the
hooks: body size and type, token authentication, rate limits, weak ETags.
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from catalog_app.api import hooks, pages
from catalog_app.api.errors import ErrorSchema
from catalog_app.api.routes import agenda, demands, events, listings, match, me, organizations, taxonomy
from catalog_app.extensions import csrf

PREFIX = "/api/v1"
# flask-smorest's settings (API_TITLE, OPENAPI_URL_PREFIX...) are in catalog_app/config.py
# with the deployment's (rate limits, body size).


class CatalogApi(Api):
    """flask-smorest's Api without its app-wide error handler.

    flask-smorest registers a handler for every HTTPException of the whole app, which would
    turn the site's HTML error pages into JSON; the API's blueprints carry their own handler.
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    api = CatalogApi(app, spec_kwargs={
        "info": {"description": "Open data of the Guangdong industrial-AI matchmaking platform. "
                                "Reads are public; writes need a personal API token "
                                "(`Authorization: Bearer sc_...`) made on the account page."},
        "servers": [{"url": "/"}],
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for module in (listings, demands, organizations, taxonomy, match, me, events, agenda):
        api.register_blueprint(module.bp)
        csrf.exempt(module.bp)
    app.register_blueprint(pages.bp)
    hooks.init_app(app, PREFIX)
    app.extensions["api_spec"] = api
