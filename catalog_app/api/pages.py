"""HTML pages of the API: the interactive reference (/api/v1/docs) and the account's tokens.

The reference is Swagger UI, vendored under static/vendor (no CDN), started by a script
served from here (`docs_init`), because the site's CSP allows scripts from 'self' only
and no inline script. Swagger UI sets inline style attributes, so this one page's CSP
also allows inline styles; scripts stay 'self'.
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.api import tokens
from catalog_app.api.docs_text import localized_spec
from catalog_app.api.forms import TokenForm
from catalog_app.form_errors import attach_error
from catalog_app.security import CONTENT_SECURITY_POLICY

bp = Blueprint("api_pages", __name__)

SWAGGER_UI_DIR = "vendor/swagger-ui-5.35.0"
DOCS_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@bp.get("/api/v1/docs")
def docs():
    response = make_response(render_template("api/docs.html", swagger_ui_dir=SWAGGER_UI_DIR))
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response


@bp.get("/api/v1/docs/openapi.json")
def docs_spec():
    """The reference page's copy of the OpenAPI document, in the reader's language."""
    response = jsonify(localized_spec())
    response.headers["Vary"] = "Cookie"  # the language comes from ?lang= or the lang cookie
    return response


@bp.get("/api/v1/docs/init.js")
def docs_init():
    response = make_response(render_template("api/docs_init.js"))
    response.mimetype = "text/javascript"
    return response


def _token_form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(scope, str(tokens.SCOPE_LABELS[scope])) for scope in tokens.scopes_for(current_user)]
    return form


def _render(form: TokenForm, new_token=None, status: int = 200):
    response = make_response(render_template(
        "api/tokens.html", form=form, new_token=new_token, api_tokens=tokens.user_tokens(current_user),
        scope_labels=tokens.SCOPE_LABELS), status)
    response.headers["Cache-Control"] = "no-store"  # the page may show a token once
    return response


@bp.get("/account/api-tokens")
@login_required
def token_list():
    return _render(_token_form())


@bp.post("/account/api-tokens")
@login_required
def create_token():
    form = _token_form()
    if not form.validate_on_submit():
        return _render(form, status=400)
    try:
        new_token = tokens.create_token(current_user, form.name.data, form.scopes.data or [])
    except tokens.TokenError as error:
        attach_error(form, error.message, error.field)
        return _render(form, status=400)
    return _render(_token_form(), new_token=new_token, status=201)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    try:
        tokens.revoke_token(current_user, token_id)
    except tokens.TokenError as error:
        flash(error.message, "error")
        return redirect(url_for("api_pages.token_list"), 303)
    flash(_("The token was revoked: requests with it are refused from now on."), "success")
    return redirect(url_for("api_pages.token_list"), 303)
