"""Error pages: a friendly page for browsers, a JSON body for API and JSON clients."""
from __future__ import annotations

from flask import Flask, render_template, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from catalog_app.extensions import db


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _user_message(error: HTTPException) -> str | None:
    """The message a view gave to `abort()`, or None for Werkzeug's stock English text.

    Views pass translated, user-facing messages ("未知的筛选条件…"); the stock
    descriptions are English developer prose, so the page shows its own wording instead.
    """
    if not error.description or error.description == type(error).description:
        return None
    return error.description


def _handle_http_error(error: HTTPException):
    status = error.code or 500
    if _wants_json():
        body = {"error": {"code": status, "message": error.description or error.name, "fields": {}}}
        return body, status
    return render_template("errors/error.html", error=error, status=status, message=_user_message(error)), status


def _handle_data_error(_error: DataError):
    """A value the database cannot hold (an id past 2**31 in a URL on PostgreSQL).

    SQLite stores it and finds nothing; PostgreSQL refuses the statement. Both mean that no
    such object exists, never a server error.
    """
    db.session.rollback()
    error = NotFound() if request.method in ("GET", "HEAD") else BadRequest()
    return _handle_http_error(error)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(DataError, _handle_data_error)
