"""`GET /api/v1/me`: who a token belongs to and what it may do (a script's first check)."""
from __future__ import annotations

from flask import g
from werkzeug.exceptions import Unauthorized

from catalog_app.api.routes import api_blueprint
from catalog_app.api.schemas import MeSchema
from catalog_app.api.tokens import token_user

bp = api_blueprint("api_me", __name__, url_prefix="/api/v1/me", description="The token's user")


@bp.route("", endpoint="me", methods=["GET"])
@bp.response(200, MeSchema)
@bp.doc(operationId="get_me", summary="The token's user and scopes", security=[{"bearerAuth": []}])
def me():
    user = token_user()
    if user is None:
        raise Unauthorized("This operation needs an API token (Authorization: Bearer ...).")
    return {"id": user.id, "display_name": user.display_name, "role": user.role.value,
            "organization": user.organization, "scopes": list(g.api_token.scope_names)}
