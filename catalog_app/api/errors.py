"""The API's error body, `{"error": {"code", "message", "fields"}}`, for every failure.

The app-wide handler (`catalog_app/errors.py`) already answers JSON under /api/; the API
blueprints add their own handler so that webargs' validation messages become `fields`
(`{"title": ["Longer than maximum length 120."]}`, nested paths joined with dots) and an
exception's own headers (Allow, Retry-After, WWW-Authenticate) survive.
"""
from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from werkzeug.exceptions import HTTPException, UnprocessableEntity


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.Integer(required=True, metadata={"description": "The HTTP status"})
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()), required=True,
        metadata={"description": "Field name (dotted for nested values) -> messages"})


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetailSchema, required=True)


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """webargs/marshmallow messages (nested dicts and lists) as dotted field -> messages."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field_name, texts in _flatten(value, name).items():
                flat.setdefault(field_name, []).extend(texts)
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            if isinstance(item, (dict, list, tuple)):
                for field_name, texts in _flatten(item, prefix).items():
                    flat.setdefault(field_name, []).extend(texts)
            else:
                flat.setdefault(prefix or "_schema", []).append(str(item))
    else:
        flat.setdefault(prefix or "_schema", []).append(str(messages))
    return flat


def _without_location(messages) -> dict:
    """webargs nests messages under their location ("json", "query"); callers want fields."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "querystring", "path", "headers"}:
        merged: dict = {}
        for value in messages.values():
            if isinstance(value, dict):
                merged.update(value)
        return merged
    return messages


def error_response(code: int, message: str, fields: dict | None = None, headers=None):
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = code
    for name, value in headers or ():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_http_error(error: HTTPException):
    data = getattr(error, "data", None) or {}
    fields = _flatten(_without_location(data["messages"])) if "messages" in data else {}
    message = data.get("message") or error.description or error.name
    if isinstance(error, UnprocessableEntity) and fields and message == UnprocessableEntity.description:
        message = "The request has invalid fields."
    return error_response(error.code or 500, str(message), fields, error.get_headers())


def validation_error(fields: dict[str, list[str]], message: str = "The request has invalid fields."):
    """A 422 raised from a view after the schema passed (a service's rule, an unknown term)."""
    error = UnprocessableEntity(message)
    error.data = {"messages": fields, "message": message}
    return error
