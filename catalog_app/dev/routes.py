"""/dev/mailbox: the e-mails a development instance sent, for a newcomer to read and click.

Development only. The page shows every message, password-reset and verification links
included, to whoever opens it, so it answers 404 unless DEV_MAILBOX is on (`make run` and
FLASK_DEBUG turn it on; production refuses to start with it, see catalog_app.security).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from catalog_app.dev import services
from catalog_app.parameters import page_arg

bp = Blueprint("dev", __name__, url_prefix="/dev")

# The message's own HTML, in a sandboxed frame of the mailbox page: no script, nothing
# fetched from elsewhere, inline styles as mail clients allow them.
MESSAGE_HTML_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; "
                       "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


@bp.before_request
def development_only():
    if not current_app.config["DEV_MAILBOX"] or current_app.config["IS_PRODUCTION"]:
        abort(404)


@bp.get("/mailbox")
def mailbox():
    page = services.mailbox_page(page_arg(), request.args.get("to", ""))
    return render_template("dev/mailbox.html", page=page)


@bp.get("/mailbox/<int:message_id>")
def message(message_id: int):
    return render_template("dev/message.html", message=services.get_message(message_id))


@bp.get("/mailbox/<int:message_id>/body.html")
def message_html(message_id: int):
    response = current_app.response_class(services.framed_html(services.get_message(message_id)),
                                          mimetype="text/html")
    response.headers["Content-Security-Policy"] = MESSAGE_HTML_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
